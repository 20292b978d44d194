// The editing session: one evaluator of the package, a mirror of its design kept current from
// the deltas, and the persisted history (base snapshot + edit log + cursor). Batches run one at a
// time, in order; each is written to IndexedDB before it is reported as saved. Undo restores the
// base snapshot and replays the log up to the cursor (the engine is deterministic, so the replay
// gives the same design); redo applies the next logged batch again.
import {
  EvaluatorError, createEvaluator, restoreEvaluator,
  type CallTiming, type Delta, type Design, type DesignRelationship, type Edit, type EngineInfo, type EnginePreference,
  type RelationshipDefinition, type RelationshipEvaluator,
} from '@meshery/relationship-evaluator';
import type { DesignStore, LogEntry } from './persistence.js';

/** After this many logged batches the history is compacted into a new base snapshot. */
const MAX_LOG = 200;

/** What the panels show about the last change. */
/** How long a change took: in the engine (when one call did it) and from click to result. */
export interface Timing {
  engineMs: number | null;
  totalMs: number;
}

export interface Change {
  label: string;
  /** The relationships the change removed, as they were before it. */
  removed?: DesignRelationship[];
  delta: Delta;
  timing: Timing | null;
  at: number;
}

export type SaveState = { state: 'saving' } | { state: 'saved'; revision: number } | { state: 'error'; message: string };

type Listener = (event: 'design' | 'saved' | 'engine') => void;

export class Session {
  design: Design = { components: [], relationships: [] };
  lastChange: Change | null = null;
  saveState: SaveState = { state: 'saved', revision: 0 };
  engine: EngineInfo | null = null;
  engineError: string | null = null;
  log: LogEntry[] = [];
  cursor = 0;
  baseLabel = '';
  private evaluator: RelationshipEvaluator;
  private base: Uint8Array | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly definitions: readonly RelationshipDefinition[], private readonly store: DesignStore, private preference: EnginePreference) {
    this.evaluator = createEvaluator(definitions, { engine: preference });
  }

  on(listener: Listener): void {
    this.listeners.add(listener);
  }

  private emit(event: 'design' | 'saved' | 'engine'): void {
    for (const listener of this.listeners) listener(event);
  }

  get revision(): number {
    return this.evaluator.revision;
  }

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.log.length;
  }

  /** Runs `task` after every earlier task (edits, undo, loads never interleave). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async refreshEngine(): Promise<void> {
    try {
      this.engine = await this.evaluator.engine();
      this.engineError = null;
    } catch (error) {
      this.engineError = String((error as Error).message ?? error);
    }
    this.emit('engine');
  }

  private async saving(write: () => Promise<void>): Promise<void> {
    this.saveState = { state: 'saving' };
    this.emit('saved');
    try {
      await write();
      this.saveState = { state: 'saved', revision: this.revision };
    } catch (error) {
      this.saveState = { state: 'error', message: String(error) };
    }
    this.emit('saved');
  }

  /** Restores the saved session; false when there is none. */
  restore(): Promise<boolean> {
    return this.serial(async () => {
      const saved = await this.store.load();
      if (!saved) return false;
      const started = performance.now();
      await this.rebuild(saved.base, saved.log, saved.cursor);
      this.baseLabel = saved.label;
      this.lastChange = { label: `restored from IndexedDB (${saved.cursor} of ${saved.log.length} logged batches replayed)`, delta: emptyDelta(this.design, this.revision), timing: { engineMs: null, totalMs: performance.now() - started }, at: Date.now() };
      this.saveState = { state: 'saved', revision: this.revision };
      this.emit('design');
      this.emit('saved');
      await this.refreshEngine();
      return true;
    });
  }

  /** Replaces the design (sample, import, new): a new history starts from it. */
  load(design: Design | string, label: string): Promise<Delta> {
    return this.serial(async () => {
      const delta = await this.evaluator.loadDesign(design);
      this.design = await this.evaluator.design();
      this.lastChange = { label, delta, timing: this.evaluator.lastCall, at: Date.now() };
      this.base = await this.evaluator.snapshot();
      this.log = [];
      this.cursor = 0;
      this.baseLabel = label;
      this.emit('design');
      await this.saving(() => this.store.reset(this.base!, label));
      await this.refreshEngine();
      return delta;
    });
  }

  /** Applies one batch (a transaction), shows it, then persists it. */
  apply(label: string, edits: Edit[]): Promise<Delta> {
    return this.serial(async () => {
      const delta = await this.evaluator.applyEdits(edits);
      const removed = removedRelationships(this.design, delta);
      applyDelta(this.design, delta);
      this.lastChange = { label, delta, removed, timing: this.evaluator.lastCall, at: Date.now() };
      const entry: LogEntry = { seq: this.cursor, label, edits };
      this.log = [...this.log.slice(0, this.cursor), entry];
      this.cursor++;
      this.emit('design');
      await this.saving(async () => {
        await this.store.append(entry);
        if (this.cursor >= MAX_LOG) await this.compact();
      });
      if (!this.engine) await this.refreshEngine();
      return delta;
    });
  }

  /** Folds the whole log into a new base snapshot (the undo history starts again). */
  private async compact(): Promise<void> {
    this.base = await this.evaluator.snapshot();
    this.log = [];
    this.cursor = 0;
    await this.store.reset(this.base, `${this.baseLabel} (compacted)`);
  }

  undo(): Promise<void> {
    return this.serial(async () => {
      if (!this.canUndo || !this.base) return;
      const undone = this.log[this.cursor - 1]!;
      const before = this.design;
      const started = performance.now();
      await this.rebuild(this.base, this.log, this.cursor - 1);
      this.lastChange = { label: `undo: ${undone.label}`, delta: diffDesigns(before, this.design, this.revision), removed: (before.relationships ?? []).filter((r) => !(this.design.relationships ?? []).some((x) => x.id === r.id)), timing: { engineMs: null, totalMs: performance.now() - started }, at: Date.now() };
      this.emit('design');
      await this.saving(() => this.store.setCursor(this.cursor));
    });
  }

  redo(): Promise<void> {
    return this.serial(async () => {
      if (!this.canRedo) return;
      const entry = this.log[this.cursor]!;
      const delta = await this.evaluator.applyEdits(entry.edits);
      const removed = removedRelationships(this.design, delta);
      applyDelta(this.design, delta);
      this.cursor++;
      this.lastChange = { label: `redo: ${entry.label}`, delta, removed, timing: this.evaluator.lastCall, at: Date.now() };
      this.emit('design');
      await this.saving(() => this.store.setCursor(this.cursor));
    });
  }

  /** A new evaluator from `base`, with the first `cursor` logged batches applied. */
  private async rebuild(base: Uint8Array, log: LogEntry[], cursor: number): Promise<void> {
    const next = restoreEvaluator(base, { engine: this.preference });
    try {
      for (const entry of log.slice(0, cursor)) await next.applyEdits(entry.edits);
      this.design = await next.design();
    } catch (error) {
      await next.dispose();
      throw error;
    }
    const previous = this.evaluator;
    this.evaluator = next;
    this.base = base;
    this.log = log;
    this.cursor = cursor;
    await previous.dispose();
  }

  /** Moves the session to another engine (auto / worker / main-thread / js) without losing state. */
  switchEngine(preference: EnginePreference): Promise<void> {
    return this.serial(async () => {
      const bytes = await this.evaluator.snapshot();
      const previous = this.evaluator;
      this.preference = preference;
      this.engine = null;
      this.emit('engine');
      this.evaluator = restoreEvaluator(bytes, { engine: preference });
      await previous.dispose();
      this.design = await this.evaluator.design();
      this.emit('design');
      await this.refreshEngine();
    });
  }

  /** The evaluated design as the engine holds it (for export). */
  exportDesign(): Promise<Design> {
    return this.serial(() => this.evaluator.design());
  }

  explain(relationshipId: string) {
    return this.serial(() => this.evaluator.explain(relationshipId));
  }

  get lastTiming(): CallTiming | null {
    return this.evaluator.lastCall;
  }
}

function removedRelationships(design: Design, delta: Delta): DesignRelationship[] {
  const gone = new Set(delta.relationshipsRemoved);
  return (design.relationships ?? []).filter((r) => gone.has(r.id));
}

/** Applies a delta to the mirror design in place. */
export function applyDelta(design: Design, delta: Delta): void {
  const components = design.components ?? [];
  const removed = new Set(delta.componentsRemoved);
  const updated = new Map(delta.componentsUpdated.map((component) => [component.id, component]));
  design.components = components.filter((c) => !removed.has(c.id)).map((c) => updated.get(c.id) ?? c).concat(delta.componentsAdded);
  const relationships = design.relationships ?? [];
  const gone = new Set(delta.relationshipsRemoved);
  const changed = new Map(delta.relationshipsUpdated.map((r) => [r.id, r]));
  design.relationships = relationships.filter((r) => !gone.has(r.id)).map((r) => changed.get(r.id) ?? r).concat(delta.relationshipsAdded);
  design.version = delta.version;
}

/** What differs between two designs, as a delta (for undo, which replays instead of diffing). */
function diffDesigns(before: Design, after: Design, revision: number): Delta {
  const index = <T extends { id: string }>(items: T[] | null | undefined) => new Map((items ?? []).map((item) => [item.id, item]));
  const [c0, c1, r0, r1] = [index(before.components), index(after.components), index(before.relationships), index(after.relationships)];
  const json = (value: unknown) => JSON.stringify(value);
  return {
    revision, version: after.version ?? '',
    componentsAdded: [...c1.values()].filter((c) => !c0.has(c.id)),
    componentsRemoved: [...c0.keys()].filter((id) => !c1.has(id)),
    componentsUpdated: [...c1.values()].filter((c) => c0.has(c.id) && json(c0.get(c.id)) !== json(c)),
    relationshipsAdded: [...r1.values()].filter((r) => !r0.has(r.id)),
    relationshipsRemoved: [...r0.keys()].filter((id) => !r1.has(id)),
    relationshipsUpdated: [...r1.values()].filter((r) => r0.has(r.id) && json(r0.get(r.id)) !== json(r)),
    actions: [],
  };
}

function emptyDelta(design: Design, revision: number): Delta {
  return { revision, version: design.version ?? '', componentsAdded: [], componentsRemoved: [], componentsUpdated: [], relationshipsAdded: [], relationshipsRemoved: [], relationshipsUpdated: [], actions: [] };
}

export const errorText = (error: unknown): string =>
  error instanceof EvaluatorError ? `${error.code}${error.path ? ` at ${error.path}` : ''}: ${error.message}` : String((error as Error)?.message ?? error);
