// The engine's shape as the package declares it (js/engine-module.ts: `RawEvaluator`,
// `EngineModule`) against the declarations wasm-bindgen generates for both builds of the Rust
// core (pkg/web and pkg/wasm2js, from the `#[wasm_bindgen]` exports of src/wasm/): the same
// members with the same types, both ways, so neither side can drift. A method added to the wasm
// `Evaluator` fails here until js/engine-module.ts declares it; one removed or retyped fails too.
//
// js/engine-module.ts is written by hand because it sits in the base layer, which must not import
// the glue (tests/js/node/layers.test.mjs), and because the shipped declarations (dist/types) must
// not point into pkg/. Checked by `tsc -p tsconfig.test.json` (scripts/test.sh, after both builds).
import type { EngineModule, RawEvaluator } from '../../../js/engine-module.js';
import type * as Wasm2js from '../../../pkg/wasm2js/relationship_evaluator.js';
import type * as Web from '../../../pkg/web/relationship_evaluator.js';

/** True when `A` and `B` are the same type, not merely assignable one way. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/** The string-named members of `T` (`[Symbol.dispose]` aside: see below), as properties. */
type Members<T> = { [K in keyof T as K extends string ? K : never]: T[K] };

/** The static side of an evaluator class: how one is made, and what it makes. */
type Statics<C extends abstract new (...args: never) => unknown> = {
  constructorParameters: ConstructorParameters<C>;
  statics: { [K in Exclude<keyof C, 'prototype'>]: C[K] extends (...args: infer P) => infer R ? [P, Members<R>] : C[K] };
  instance: Members<InstanceType<C>>;
};

/** What the package declares, in the same terms. */
type Declared = {
  constructorParameters: ConstructorParameters<EngineModule['Evaluator']>;
  statics: {
    [K in keyof EngineModule['Evaluator']]: EngineModule['Evaluator'][K] extends (...args: infer P) => infer R
      ? [P, Members<R>]
      : EngineModule['Evaluator'][K];
  };
  instance: Members<RawEvaluator>;
};

/**
 * The glue's exports the package does not use: the web build's initialisers (`init` is the
 * default export; js/load.ts calls it directly), wasm-bindgen's start function, and Meshery's
 * contract installer (its own entry, `installMesheryEngine`, not the package's API).
 */
type Unused = 'default' | 'initSync' | 'start' | 'installMesheryEngine';

type ModuleFunctions<M> = { [K in Exclude<keyof M, Unused | 'Evaluator'>]: M[K] };
type DeclaredFunctions = { [K in Exclude<keyof EngineModule, 'Evaluator'>]: EngineModule[K] };

export type EngineModuleMatchesTheGlue = [
  Expect<Equal<Declared, Statics<typeof Web.Evaluator>>>,
  Expect<Equal<Declared, Statics<typeof Wasm2js.Evaluator>>>,
  Expect<Equal<DeclaredFunctions, ModuleFunctions<typeof Web>>>,
  Expect<Equal<DeclaredFunctions, ModuleFunctions<typeof Wasm2js>>>,
  // `[Symbol.dispose]` is the one member RawEvaluator leaves out: the shipped declarations compile
  // with `lib: ES2022`, which has no Symbol.dispose (tests/js/node/consumer-types.test.mjs).
  Expect<Equal<Exclude<keyof Web.Evaluator, string>, typeof Symbol.dispose>>,
];

// Negative controls: the comparison notices a member missing on either side, and a changed type.
export type NegativeControls = [
  // @ts-expect-error a method the glue has and the declaration lacks
  Expect<Equal<Declared['instance'], Omit<Members<Web.Evaluator>, 'design'>>>,
  // @ts-expect-error a method the declaration has and the glue lacks
  Expect<Equal<Declared['instance'], Members<Web.Evaluator> & { compact(): void }>>,
  // @ts-expect-error a parameter whose type changed
  Expect<Equal<Declared['instance'], Omit<Members<Web.Evaluator>, 'explain'> & { explain(id: number): string }>>,
];
