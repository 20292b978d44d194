// @vitest-environment happy-dom
/**
 * The React hooks, rendered with React Testing Library: results arrive, the previous result stays
 * while the next is computed, the newest input wins, debounce coalesces, StrictMode starts one
 * engine, server rendering starts none, and the incremental handle applies edits.
 */
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { StrictMode, useEffect } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineInfo, RelationshipEvaluator, type Design, type EvaluatorOptions } from '@meshery/relationship-evaluator';
import {
  useEvaluationResult, useIncrementalEvaluator, useRelationshipEvaluation, useRelationshipEvaluator,
  type RelationshipEvaluationOptions, type RelationshipEvaluationState, type RelationshipEvaluatorHandle,
} from '../../../js/react.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';

const definitions = kubernetesDefinitions();

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Renders the hook and records every state it rendered. */
function Evaluation(props: { design: Design | null; options?: RelationshipEvaluationOptions; seen: RelationshipEvaluationState[] }) {
  const state = useEvaluationResult(props.design, definitions, props.options);
  props.seen.push(state);
  return <output>{`${state.status} r${state.revision}${state.isStale ? ' stale' : ''}${state.isEvaluating ? ' evaluating' : ''}`}</output>;
}

const latest = (seen: RelationshipEvaluationState[]): RelationshipEvaluationState => seen[seen.length - 1]!;

describe('useEvaluationResult', () => {
  it('evaluates the design and reports the result, the engine and the revision', async () => {
    const seen: RelationshipEvaluationState[] = [];
    const view = render(<Evaluation design={shopDesign(2)} options={{ engine: 'main-thread' }} seen={seen} />);
    expect(seen[0]).toMatchObject({ status: 'idle', result: null });
    await waitFor(() => expect(view.container.textContent).toBe('success r1'));
    const state = latest(seen);
    expect(state.result!.schemaVersion).toBe('evaluation.meshery.io/v1beta1');
    expect(state.result!.design.relationships!.map((r) => r.subType)).toContain('inventory');
    expect(state.engine).toMatchObject({ kind: 'main-thread', code: 'wasm' });
    expect(state).toMatchObject({ error: null, isEvaluating: false, isStale: false });
    expect(Object.isFrozen(state)).toBe(true);
  });

  it('keeps the previous result (marked stale) while the next design is evaluated', async () => {
    const seen: RelationshipEvaluationState[] = [];
    const options = { engine: 'main-thread' as const, debounceMs: 40 };
    const view = render(<Evaluation design={shopDesign(1)} options={options} seen={seen} />);
    await waitFor(() => expect(latest(seen).status).toBe('success'));
    const first = latest(seen).result;
    view.rerender(<Evaluation design={shopDesign(3)} options={options} seen={seen} />);
    await waitFor(() => expect(view.container.textContent).toBe('success r1 stale evaluating'));
    expect(latest(seen).result).toBe(first);
    await waitFor(() => expect(view.container.textContent).toBe('success r2'));
    expect(latest(seen).result!.design.components).toHaveLength(4);
  });

  it('shows the newest input\'s result when inputs change faster than evaluations finish', async () => {
    const seen: RelationshipEvaluationState[] = [];
    const options = { engine: 'main-thread' as const };
    const view = render(<Evaluation design={shopDesign(1)} options={options} seen={seen} />);
    for (const count of [2, 3, 4, 5]) view.rerender(<Evaluation design={shopDesign(count)} options={options} seen={seen} />);
    await waitFor(() => expect(view.container.textContent).toBe('success r5'));
    expect(latest(seen).result!.design.components).toHaveLength(6);
    const revisions = seen.map((state) => state.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  });

  it('debounces: of several quick changes only the last one is evaluated', async () => {
    const evaluateDesign = vi.spyOn(RelationshipEvaluator.prototype, 'evaluateDesign');
    const seen: RelationshipEvaluationState[] = [];
    const options = { engine: 'main-thread' as const, debounceMs: 60 };
    const view = render(<Evaluation design={shopDesign(1)} options={options} seen={seen} />);
    for (const count of [2, 3, 4]) view.rerender(<Evaluation design={shopDesign(count)} options={options} seen={seen} />);
    await waitFor(() => expect(view.container.textContent).toBe('success r4'));
    expect(evaluateDesign).toHaveBeenCalledTimes(1);
    expect(latest(seen).result!.design.components).toHaveLength(5);
  });

  it('reports an invalid design as an error with code and path, keeping the last good result', async () => {
    const seen: RelationshipEvaluationState[] = [];
    const options = { engine: 'main-thread' as const };
    const view = render(<Evaluation design={shopDesign(1)} options={options} seen={seen} />);
    await waitFor(() => expect(latest(seen).status).toBe('success'));
    const good = latest(seen).result;
    view.rerender(<Evaluation design={{ id: 'd', components: [{ id: 'a' }, { id: 'a' }] }} options={options} seen={seen} />);
    await waitFor(() => expect(latest(seen).status).toBe('error'));
    expect(latest(seen).error).toMatchObject({ name: 'EvaluatorError', code: 'DUPLICATE_ID', path: '/components/1/id' });
    expect(latest(seen).result).toBe(good);
    view.rerender(<Evaluation design={null} options={options} seen={seen} />);
    await waitFor(() => expect(latest(seen).status).toBe('idle'));
  });

  it('under StrictMode starts one worker, delivers results, and closes the worker on unmount', async () => {
    const factory = workerFactory();
    const seen: RelationshipEvaluationState[] = [];
    const view = render(
      <StrictMode>
        <Evaluation design={shopDesign(2)} options={{ worker: factory }} seen={seen} />
      </StrictMode>,
    );
    await waitFor(() => expect(view.container.textContent).toBe('success r1'), { timeout: 10000 });
    expect(latest(seen).engine).toMatchObject({ kind: 'worker' });
    expect(factory.made).toHaveLength(1);
    const exited = new Promise((resolve) => factory.made[0]!.thread.once('exit', resolve));
    view.unmount();
    await expect(exited).resolves.toBeDefined();
  });

  it('renders the idle snapshot on the server and starts no engine', () => {
    const seen: RelationshipEvaluationState[] = [];
    const html = renderToString(<Evaluation design={shopDesign(1)} options={{ engine: 'js' }} seen={seen} />);
    expect(html).toBe('<output>idle r0</output>');
    expect(seen).toEqual([{ status: 'idle', result: null, error: null, isEvaluating: false, isStale: false, engine: null, revision: 0 }]);
    expect(engineInfo({ engine: 'js' })).toBeNull();
  });
});

/** Exposes the handle of useIncrementalEvaluator to the test. */
function Incremental(props: { options?: EvaluatorOptions; onHandle: (handle: RelationshipEvaluatorHandle) => void }) {
  const handle = useIncrementalEvaluator(definitions, props.options);
  useEffect(() => {
    props.onHandle(handle);
  });
  return <output>{`${handle.status} r${handle.revision}${handle.isPending ? ' pending' : ''}`}</output>;
}

describe('the former hook names', () => {
  it('still work, as the same hooks', () => {
    expect(useRelationshipEvaluation).toBe(useEvaluationResult);
    expect(useRelationshipEvaluator).toBe(useIncrementalEvaluator);
  });
});

describe('useIncrementalEvaluator', () => {
  it('loads a design, applies edit batches and shows each delta; a failed batch changes nothing', async () => {
    let handle!: RelationshipEvaluatorHandle;
    const view = render(<Incremental options={{ engine: 'main-thread' }} onHandle={(h) => (handle = h)} />);
    expect(view.container.textContent).toBe('idle r0');
    await act(async () => {
      await handle.loadDesign(shopDesign(1));
    });
    expect(view.container.textContent).toBe('ready r1');
    expect(handle.delta!.relationshipsAdded.map((r) => r.subType)).toContain('inventory');
    await act(async () => {
      await handle.applyEdits([{ op: 'addComponent', component: component('web-9', 'Deployment', { metadata: { namespace: 'shop' } }) }]);
    });
    expect(view.container.textContent).toBe('ready r2');
    expect(handle.delta!.componentsAdded.map((c) => c.id)).toEqual(['web-9']);
    expect(handle.engine).toMatchObject({ kind: 'main-thread' });
    await act(async () => {
      await expect(handle.applyEdits([{ op: 'removeComponent', id: 'nope' }])).rejects.toMatchObject({ code: 'UNKNOWN_ID', path: '/0/id' });
    });
    expect(view.container.textContent).toBe('error r2');
    expect(handle.error).toMatchObject({ code: 'UNKNOWN_ID' });
    expect((await handle.design()).components!.map((c) => c.id)).toEqual(['ns', 'web-0', 'web-9']);
    const keep = handle;
    view.unmount();
    await expect(keep.applyEdits([])).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
