/**
 * What both builds of the Rust core export to JavaScript: the wasm-bindgen glue of the
 * WebAssembly build and that of the wasm2js (plain JavaScript) build have the same shape.
 * Written here rather than imported from the glue's generated declarations (pkg/), which this
 * layer must not import and the shipped declarations cannot point to; tests/js/types/engine-module.ts
 * checks at compile time that both glues declare exactly these members with these types.
 */

/** The wasm `Evaluator`: one design kept evaluated in the engine's memory. */
export interface RawEvaluator {
  loadDesign(designJson: string): string;
  applyEdits(editsJson: string): string;
  replaceDefinitions(definitionsJson: string): string;
  design(): string;
  evaluate(): string;
  /** A one-off full evaluation of another design with this evaluator's definitions and options. */
  evaluateDesign(designJson: string): string;
  explain(relationshipId: string): string;
  /** The definitions that would relate component `fromId` (from side) to `toId` (to side). */
  connectableDefinitions(fromId: string, toId: string): string;
  snapshot(): Uint8Array;
  exportJson(): string;
  readonly revision: number;
  free(): void;
}

/** The `Evaluator` class and the module functions. */
export interface EngineModule {
  Evaluator: {
    new (definitionsJson: string, optionsJson?: string | null): RawEvaluator;
    restore(bytes: Uint8Array): RawEvaluator;
    importJson(json: string): RawEvaluator;
  };
  engineVersion(): string;
  isPoisoned(): boolean;
}

/** Which code runs the evaluations. */
export type EngineCode = 'wasm' | 'js';
