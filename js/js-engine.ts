/** The JavaScript engine: the Rust core compiled to wasm, then to plain JavaScript by wasm2js. */
export { Evaluator, engineVersion, isPoisoned } from '../pkg/wasm2js/relationship_evaluator.js';
