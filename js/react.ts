/**
 * React bindings: `useEvaluationResult` (evaluate a whole design, one-shot, keep the last result
 * while the next one is computed) and `useIncrementalEvaluator` (load once, apply edit batches,
 * read deltas). Both read an external store through `useSyncExternalStore`; the store takes its
 * engine only while subscribed (after commit), so render stays pure, StrictMode's double mount is
 * harmless (the module-level engine is reference counted and closes only after its last user
 * leaves), and server rendering never touches a Worker or WebAssembly.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  EvaluatorError, createEvaluator,
  type Delta, type Design, type Edit, type EngineInfo, type EvaluatedDesign, type EvaluationResponse, type EvaluatorOptions,
  type RelationshipDefinition, type RelationshipEvaluator,
} from '@meshery/relationship-evaluator';

/** Options of `useEvaluationResult`. */
export interface RelationshipEvaluationOptions extends EvaluatorOptions {
  /** Wait this long after the last change of `design` before evaluating (default 0: no wait). */
  debounceMs?: number;
}

/** The state of an evaluation, as an immutable snapshot. */
export interface RelationshipEvaluationState {
  /** `idle`: nothing to evaluate (no design, or server render); `loading`: first result pending. */
  status: 'idle' | 'loading' | 'success' | 'error';
  /** The newest result; kept while a newer evaluation runs, and after a newer one fails. */
  result: EvaluationResponse | null;
  /** The error of the newest finished evaluation, if it failed. */
  error: EvaluatorError | null;
  /** An evaluation is waiting (debounce) or running. */
  isEvaluating: boolean;
  /** `result` belongs to an older input than the current one. */
  isStale: boolean;
  /** The engine in use, once started. */
  engine: EngineInfo | null;
  /** The input revision (1 for the first design passed, +1 per change) `result`/`error` belong to. */
  revision: number;
}

type Listener = () => void;

/** A tiny external store with a cached, frozen snapshot. */
abstract class Store<State extends object> {
  private readonly listeners = new Set<Listener>();
  private current: State;

  protected constructor(initial: State) {
    this.current = Object.freeze(initial);
  }

  readonly getSnapshot = (): State => this.current;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.attach();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.detach();
    };
  };

  protected get state(): State {
    return this.current;
  }

  protected set(patch: Partial<State>): void {
    const next = { ...this.current, ...patch };
    const keys = Object.keys(next) as (keyof State)[];
    if (keys.every((key) => next[key] === this.current[key])) return;
    this.current = Object.freeze(next);
    for (const listener of [...this.listeners]) listener();
  }

  protected abstract attach(): void;
  protected abstract detach(): void;
}

const IDLE_EVALUATION: RelationshipEvaluationState = Object.freeze({
  status: 'idle', result: null, error: null, isEvaluating: false, isStale: false, engine: null, revision: 0,
});

const getIdleEvaluation = (): RelationshipEvaluationState => IDLE_EVALUATION;

/** The options that decide which evaluator (engine preference, evaluation options). */
function evaluatorKey(options: EvaluatorOptions): string {
  return JSON.stringify([options.engine ?? 'auto', options.evaluation ?? null, options.snapshotEvery ?? null]);
}

const asError = (error: unknown): EvaluatorError =>
  error instanceof EvaluatorError ? error : new EvaluatorError('INTERNAL', String(error));

class EvaluationStore extends Store<RelationshipEvaluationState> {
  private evaluator: RelationshipEvaluator | null = null;
  private evaluatorFor: { key: string; definitions: unknown } | null = null;
  private input: { design: Design | null | undefined; definitions: readonly RelationshipDefinition[] | string; options: RelationshipEvaluationOptions } | null = null;
  /** Bumped when the input changes. */
  private inputRevision = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attached = false;

  constructor() {
    super(IDLE_EVALUATION);
  }

  /** Called from an effect whenever an input may have changed; a new input is a new revision. */
  update(design: Design | null | undefined, definitions: readonly RelationshipDefinition[] | string, options: RelationshipEvaluationOptions): void {
    const previous = this.input;
    const same = previous !== null && previous.design === design && previous.definitions === definitions
      && evaluatorKey(previous.options) === evaluatorKey(options) && previous.options.debounceMs === options.debounceMs;
    this.input = { design, definitions, options };
    if (!same) this.inputRevision++;
    if (this.attached && !same) this.schedule();
  }

  protected attach(): void {
    this.attached = true;
    // Also after a StrictMode remount: the evaluation of the current input starts again.
    if (this.input) this.schedule();
  }

  protected detach(): void {
    this.attached = false;
    clearTimeout(this.timer);
    void this.evaluator?.dispose();
    this.evaluator = null;
    this.evaluatorFor = null;
    if (this.state.isEvaluating) this.set({ isEvaluating: false });
  }

  private schedule(): void {
    const input = this.input!;
    const revision = this.inputRevision;
    clearTimeout(this.timer);
    if (input.design == null) {
      this.set({ ...IDLE_EVALUATION, engine: this.state.engine, revision });
      return;
    }
    const shown = this.state.revision;
    this.set({
      isEvaluating: true,
      isStale: shown !== 0 && shown !== revision,
      status: this.state.status === 'idle' ? 'loading' : this.state.status,
    });
    const debounceMs = input.options.debounceMs ?? 0;
    if (debounceMs > 0) this.timer = setTimeout(() => this.evaluate(revision), debounceMs);
    else this.evaluate(revision);
  }

  private evaluatorOf(definitions: readonly RelationshipDefinition[] | string, options: EvaluatorOptions): RelationshipEvaluator {
    const key = evaluatorKey(options);
    if (this.evaluator && this.evaluatorFor?.key === key) {
      if (this.evaluatorFor.definitions !== definitions) {
        // Queued before the evaluation below; its failure shows up there.
        this.evaluator.replaceDefinitions(definitions).catch(() => {});
        this.evaluatorFor = { key, definitions };
      }
      return this.evaluator;
    }
    void this.evaluator?.dispose();
    this.evaluator = createEvaluator(definitions, options);
    this.evaluatorFor = { key, definitions };
    return this.evaluator;
  }

  private evaluate(revision: number): void {
    if (!this.attached || revision !== this.inputRevision || !this.input?.design) return;
    const { design, definitions, options } = this.input;
    const evaluator = this.evaluatorOf(definitions, options);
    evaluator.evaluateDesign(design).then(
      async (result) => {
        const engine = await evaluator.engine().catch(() => null);
        this.settle(revision, { status: 'success', result, error: null, engine });
      },
      (error: unknown) => {
        const failure = asError(error);
        // Superseded by a newer input, or dropped because the component unmounted.
        if (failure.code === 'SUPERSEDED' || failure.code === 'DISPOSED') return;
        this.settle(revision, { status: 'error', error: failure });
      },
    );
  }

  private settle(revision: number, patch: Partial<RelationshipEvaluationState>): void {
    if (!this.attached || revision < this.state.revision) return;
    const latest = revision === this.inputRevision;
    this.set({ ...patch, revision, isEvaluating: !latest, isStale: !latest });
  }
}

/**
 * Evaluates `design` against `definitions` and re-evaluates when either changes; the newest
 * input wins and the previous result stays visible while the next one is computed.
 * `definitions` and `options` are compared by identity and by value respectively: keep the
 * definitions array stable (module constant, `useMemo`).
 */
export function useEvaluationResult(
  design: Design | null | undefined,
  definitions: readonly RelationshipDefinition[] | string,
  options: RelationshipEvaluationOptions = {},
): RelationshipEvaluationState {
  const [store] = useState(() => new EvaluationStore());
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, getIdleEvaluation);
  const key = evaluatorKey(options);
  const debounceMs = options.debounceMs ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `options` is compared by value, through `key` and `debounceMs`.
  useEffect(() => {
    store.update(design, definitions, options);
  }, [store, design, definitions, key, debounceMs]);
  return state;
}

/** The state of an incremental evaluator. */
export interface RelationshipEvaluatorState {
  /** `idle` before the first load; `ready` after a successful load or batch. */
  status: 'idle' | 'pending' | 'ready' | 'error';
  /** What the last successful load or batch changed. */
  delta: Delta | null;
  /** The error of the last failed call (the state did not change: batches are transactions). */
  error: EvaluatorError | null;
  /** The revision after the last acknowledged change. */
  revision: number;
  /** Calls are in flight. */
  isPending: boolean;
  /** The engine in use, once started. */
  engine: EngineInfo | null;
}

/** The handle of `useIncrementalEvaluator`: its state plus stable methods. */
export interface RelationshipEvaluatorHandle extends RelationshipEvaluatorState {
  /** Replaces the design; resolves with the delta. */
  loadDesign(design: Design | string): Promise<Delta>;
  /** Applies a batch of edits (one transaction); resolves with the delta. */
  applyEdits(edits: readonly Edit[] | string): Promise<Delta>;
  /** The current evaluated design (before the first load: the empty design evaluated, see `RelationshipEvaluator.design`). */
  design(): Promise<EvaluatedDesign>;
  /** The evaluator itself while mounted (snapshot, explain, …), else `null`. */
  evaluator(): RelationshipEvaluator | null;
}

const IDLE_EVALUATOR: RelationshipEvaluatorState = Object.freeze({
  status: 'idle', delta: null, error: null, revision: 0, isPending: false, engine: null,
});

const getIdleEvaluator = (): RelationshipEvaluatorState => IDLE_EVALUATOR;

class EvaluatorStore extends Store<RelationshipEvaluatorState> {
  private instance: RelationshipEvaluator | null = null;
  private inFlight = 0;
  input: { definitions: readonly RelationshipDefinition[] | string; options: EvaluatorOptions } | null = null;

  constructor() {
    super(IDLE_EVALUATOR);
  }

  protected attach(): void {
    if (!this.input) return;
    this.instance = createEvaluator(this.input.definitions, this.input.options);
  }

  protected detach(): void {
    void this.instance?.dispose();
    this.instance = null;
  }

  /** A new evaluator for new definitions (by identity) or options (by value); the old state is dropped. */
  reset(definitions: readonly RelationshipDefinition[] | string, options: EvaluatorOptions): void {
    const previous = this.input;
    this.input = { definitions, options };
    if (!previous || (previous.definitions === definitions && evaluatorKey(previous.options) === evaluatorKey(options))) return;
    if (!this.instance) return;
    this.detach();
    this.attach();
    this.set({ ...IDLE_EVALUATOR });
  }

  readonly evaluator = (): RelationshipEvaluator | null => this.instance;

  private run<T extends Delta | EvaluatedDesign>(call: (evaluator: RelationshipEvaluator) => Promise<T>, isChange: boolean): Promise<T> {
    const evaluator = this.instance;
    if (!evaluator) return Promise.reject(new EvaluatorError('DISPOSED', 'the component using this evaluator is not mounted'));
    this.inFlight++;
    this.set({ isPending: true, status: isChange ? 'pending' : this.state.status });
    const done = (patch: Partial<RelationshipEvaluatorState>): void => {
      this.inFlight--;
      if (evaluator === this.instance) this.set({ ...patch, isPending: this.inFlight > 0 });
    };
    return call(evaluator).then(
      async (value) => {
        const engine = await evaluator.engine().catch(() => null);
        done(isChange ? { status: 'ready', delta: value as Delta, error: null, revision: evaluator.revision, engine } : { engine });
        return value;
      },
      (error: unknown) => {
        done({ status: 'error', error: asError(error) });
        throw error;
      },
    );
  }

  readonly loadDesign = (design: Design | string): Promise<Delta> => this.run((e) => e.loadDesign(design), true);
  readonly applyEdits = (edits: readonly Edit[] | string): Promise<Delta> => this.run((e) => e.applyEdits(edits), true);
  readonly design = (): Promise<EvaluatedDesign> => this.run((e) => e.design(), false);
}

/**
 * An incremental evaluator bound to the component's lifetime: load a design, apply edit
 * batches, read the deltas. New `definitions` (by identity) or options start a new evaluator.
 */
export function useIncrementalEvaluator(
  definitions: readonly RelationshipDefinition[] | string,
  options: EvaluatorOptions = {},
): RelationshipEvaluatorHandle {
  const [store] = useState(() => new EvaluatorStore());
  // Render-phase assignment of plain data (no resources): the first input is known before subscribe.
  if (store.input === null) store.input = { definitions, options };
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, getIdleEvaluator);
  const key = evaluatorKey(options);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `options` is compared by value, through `key`.
  useEffect(() => {
    store.reset(definitions, options);
  }, [store, definitions, key]);
  return { ...state, loadDesign: store.loadDesign, applyEdits: store.applyEdits, design: store.design, evaluator: store.evaluator };
}

/** @deprecated Renamed `useEvaluationResult` (the one-shot evaluation of a whole design); this alias will be removed. */
export const useRelationshipEvaluation = useEvaluationResult;

/** @deprecated Renamed `useIncrementalEvaluator` (load once, then apply edit batches); this alias will be removed. */
export const useRelationshipEvaluator = useIncrementalEvaluator;
