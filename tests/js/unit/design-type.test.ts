/**
 * `design()` resolves with an `EvaluatedDesign`, and that is true at run time as well as in the
 * types: after a load it is the engine's evaluated design, and before the first change (a fresh
 * evaluator, or one restored from a fresh evaluator's snapshot, as the offline entry's "empty
 * design" base is) it is the empty design evaluated, which the engine holds from construction
 * (`Evaluator::new`): exactly what `loadDesign({})` leaves, in every engine and under every option. The type assertions
 * (`expectTypeOf`, `@ts-expect-error`) are checked by `tsc -p tsconfig.test.json`.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import { openOfflineEvaluator, type OfflineEvaluator } from '../../../js/offline/index.js';
import type { RelationshipEvaluatorHandle } from '../../../js/react.js';
import type { Design, EngineOptions, EvaluatedDesign } from '../../../js/types.js';
import { disposedAfterEach } from '../helpers/evaluators.js';
import { kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';

const definitions = kubernetesDefinitions();
const { create, track } = disposedAfterEach();
/** The empty design evaluated, as `loadDesign({})` leaves it (checked against the engine below). */
const EMPTY_DESIGN_EVALUATED = '{"version":"0.0.1","metadata":{"resolvedAliases":{}}}';
const emptyEvaluated = JSON.parse(EMPTY_DESIGN_EVALUATED) as EvaluatedDesign;

// ---- types (compile-time: `tsc -p tsconfig.test.json`; the function is never called) -------

async function designTypes(evaluator: RelationshipEvaluator, offline: OfflineEvaluator, handle: RelationshipEvaluatorHandle): Promise<void> {
  expectTypeOf(evaluator.design()).toEqualTypeOf<Promise<EvaluatedDesign>>();
  expectTypeOf(evaluator.design({})).toEqualTypeOf<Promise<EvaluatedDesign>>();
  expectTypeOf(evaluator.design({ output: 'object' })).toEqualTypeOf<Promise<EvaluatedDesign>>();
  expectTypeOf(evaluator.design({ output: 'text' })).toEqualTypeOf<Promise<string>>();
  expectTypeOf(offline.design()).toEqualTypeOf<Promise<EvaluatedDesign>>();
  expectTypeOf(offline.undo()).toEqualTypeOf<Promise<EvaluatedDesign>>();
  expectTypeOf(handle.design()).toEqualTypeOf<Promise<EvaluatedDesign>>();
  // What an evaluated design guarantees, with no narrowing.
  const design = await evaluator.design();
  const version: string = design.version;
  const aliases: EvaluatedDesign['metadata']['resolvedAliases'] = design.metadata.resolvedAliases;
  // Still a `Design`: it can be loaded again, or handed on where a design is expected.
  const asDesign: Design = design;
  void [version, aliases, asDesign];
  // The text form is text.
  // @ts-expect-error [version] the text output has no fields
  void (await evaluator.design({ output: 'text' })).version;
  // A plain `Design` is not an evaluated one: `version` and `metadata` may be absent.
  // @ts-expect-error [version] optional on a Design
  const notEvaluated: EvaluatedDesign = {} as Design;
  void notEvaluated;
}

// ---- run time --------------------------------------------------------------------------------

const OPTION_SETS: EngineOptions[] = [{}, { returnDiffOnly: true, includeTimestamp: true, enableTrace: true }, { settleOnLoad: false, rematchOnEdit: false }];

describe('design() resolves with an EvaluatedDesign', () => {
  it('is typed so (checked by tsc)', () => {
    expectTypeOf(designTypes).returns.toEqualTypeOf<Promise<void>>();
  });

  it('before the first change: the empty design evaluated, in every engine (main thread, worker, JavaScript) and under every option', async () => {
    for (const engine of ['main-thread', 'worker', 'js'] as const) {
      for (const evaluation of OPTION_SETS) {
        const options = { engine, evaluation, ...(engine === 'worker' ? { worker: workerFactory() } : {}) };
        const fresh = create(definitions, options);
        const before = await fresh.design();
        expect(before, `${engine} ${JSON.stringify(evaluation)}`).toEqual(emptyEvaluated);
        expect(await fresh.design({ output: 'text' })).toBe(EMPTY_DESIGN_EVALUATED);
        expect(fresh.revision).toBe(0);
        // The same text the engine leaves after loading `{}`: the constant is the engine's, not a guess.
        const loaded = create(definitions, options);
        await loaded.loadDesign({});
        expect(await loaded.design({ output: 'text' }), `${engine} ${JSON.stringify(evaluation)}`).toBe(EMPTY_DESIGN_EVALUATED);
        // A full evaluation of it is one more pass: Meshery bumps the version of every pass.
        expect((await fresh.evaluate()).design).toEqual({ ...before, version: '0.0.2' });
        expect((await fresh.engine()).kind).toBe(engine);
      }
    }
  });

  it('after a load: the engine\'s evaluated design, version and resolved aliases included', async () => {
    const evaluator = create(definitions);
    await evaluator.loadDesign(shopDesign(2));
    const design = await evaluator.design();
    expect(typeof design.version).toBe('string');
    expect(design.metadata.resolvedAliases).toEqual({});
    expect(design.components?.length).toBe(shopDesign(2).components!.length);
    expect(JSON.parse(await evaluator.design({ output: 'text' }))).toEqual(design);
  });

  it('a snapshot of a fresh evaluator (the offline entry\'s "empty design" base) restores to the same empty evaluated design', async () => {
    const fresh = create(definitions);
    const bytes = await fresh.snapshot();
    const json = await fresh.exportJson();
    const api = await import('../helpers/test-entry.js');
    const restored = api.restoreEvaluator(bytes);
    const imported = api.importEvaluator(json);
    track(restored, imported);
    expect(await restored.design()).toEqual(emptyEvaluated);
    expect(await imported.design()).toEqual(emptyEvaluated);
    // The snapshot itself holds the engine's state as it is: already evaluated.
    expect(JSON.parse(json).design).toEqual(emptyEvaluated);
  });

  it('the offline evaluator: opening a new design, reopening it, and undo at the start all give the empty design evaluated', async () => {
    const options = { indexedDB: new IDBFactory() };
    const first = await openOfflineEvaluator('empty', definitions, options);
    expect(await first.design()).toEqual(emptyEvaluated);
    expect(await first.undo()).toEqual(emptyEvaluated);
    await first.dispose();
    const again = await openOfflineEvaluator('empty', definitions, options);
    try {
      expect(await again.design()).toEqual(emptyEvaluated);
      await again.applyEdits([{ op: 'addComponent', component: { id: 'a', displayName: 'a' } }]);
      expect((await again.undo())).toEqual(emptyEvaluated);
    } finally {
      await again.dispose();
    }
  });
});
