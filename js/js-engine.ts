/**
 * The JavaScript engine: the Rust core compiled to wasm, then to plain JavaScript by wasm2js. Opt
 * in with the `jsEngine` option (see `LadderOptions`); typed as the engine shape, not the glue.
 */
import * as wasm2js from '../pkg/wasm2js/relationship_evaluator.js';
import type { EngineModule } from './engine-module.js';
import { guardFreed } from './freed-guard.js';

/** Calls after `free()` throw DISPOSED, not the glue's "null pointer passed to rust". */
export const Evaluator: EngineModule['Evaluator'] = guardFreed(wasm2js.Evaluator);
export const engineVersion: EngineModule['engineVersion'] = wasm2js.engineVersion;
export const isPoisoned: EngineModule['isPoisoned'] = wasm2js.isPoisoned;
