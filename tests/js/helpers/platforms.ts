/** Platforms for the unit tests: the real engines, with the wasm read from pkg/web. */
import { fetchableInput, type Platform } from '../../../js/platform.js';
import { wasmBytes } from './fixtures.js';

export function testPlatform(overrides: Partial<Platform> = {}): Platform {
  return {
    name: 'node',
    noWorkerReason: 'the test platform has no default worker',
    defaultSource: () => ({ kind: 'bytes', bytes: wasmBytes }),
    wasmInput: fetchableInput,
    // The sources, as Vite resolves them (load.ts's own default is a built file next to it).
    defaultJsEngine: () => import('../../../js/js-engine.js'),
    ...overrides,
  };
}
