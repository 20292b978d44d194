// The editing session: the package's offline evaluator (IndexedDB: base snapshot + journal of
// batches + undo cursor, `@meshery/relationship-evaluator/offline`) and a mirror of its design kept
// current from the deltas. Batches run one at a time, in order; a batch resolves only once it is
// durable, so "saved" is what the package acknowledged. Undo and redo move the package's cursor.
import {
  EvaluatorError,
  type CallTiming, type Delta, type Design, type DesignRelationship, type Edit, type EngineInfo, type EnginePreference,
  type RelationshipDefinition,
} from '@meshery/relationship-evaluator';
import { deleteOfflineDesign, listOfflineDesigns, openOfflineEvaluator, type HistoryEntry, type OfflineEvaluator } from '@meshery/relationship-evaluator/offline';

/** The demo's design in the package's offline database (one design; the package keeps several side by side). */
const DESIGN_NAME = 'demo';
/** After this many journaled batches the history is compacted into a new base snapshot. */
const MAX_LOG = 200;

/** How long a change took: in the engine (when one call did it) and from click to result. */
export interface Timing {
  engineMs: number | null;
  totalMs: number;
}

/** What the panels show about the last change. */
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
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();

  private constructor(private offline: OfflineEvaluator, private readonly stored: boolean, private readonly notice: string | null) {}

  /**
   * Opens the saved design (or a new one on a first visit). A damaged base snapshot cannot be
   * opened: the design starts over, and `restore()` says so.
   */
  static async open(definitions: readonly RelationshipDefinition[], preference: EnginePreference): Promise<Session> {
    // The inspector's "re-match relationships on edit" box spells the removals out as edits, so
    // the engine's own re-matching is off: unticked means Meshery's behaviour.
    const options = { engine: preference, compactEvery: MAX_LOG, evaluation: { rematchOnEdit: false } };
    const stored = (await listOfflineDesigns()).includes(DESIGN_NAME);
    try {
      const offline = await openOfflineEvaluator(DESIGN_NAME, definitions, options);
      return new Session(offline, stored, offline.corruption ? `${errorText(offline.corruption)} — opened the last good state` : null);
    } catch (error) {
      if (!(error instanceof EvaluatorError) || error.code !== 'STORAGE_CORRUPT') throw error;
      await deleteOfflineDesign(DESIGN_NAME);
      return new Session(await openOfflineEvaluator(DESIGN_NAME, definitions, options), false, `${errorText(error)} — started over`);
    }
  }

  on(listener: Listener): void {
    this.listeners.add(listener);
  }

  private emit(event: 'design' | 'saved' | 'engine'): void {
    for (const listener of this.listeners) listener(event);
  }

  get revision(): number {
    return this.offline.revision;
  }

  get canUndo(): boolean {
    return this.offline.canUndo;
  }

  get canRedo(): boolean {
    return this.offline.canRedo;
  }

  get cursor(): number {
    return this.offline.cursor;
  }

  get log(): readonly HistoryEntry[] {
    return this.offline.history;
  }

  get baseLabel(): string {
    return this.offline.baseLabel;
  }

  /** A problem found while opening the saved design (a damaged record), or null. */
  get storageNotice(): string | null {
    return this.notice;
  }

  /** Runs `task` after every earlier task (edits, undo, loads never interleave). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async refreshEngine(): Promise<void> {
    try {
      this.engine = await this.offline.engine();
      this.engineError = null;
    } catch (error) {
      this.engineError = String((error as Error).message ?? error);
    }
    this.emit('engine');
  }

  /** Runs a change that the package makes durable before it resolves; the badge follows it. */
  private async saving<T>(change: () => Promise<T>): Promise<T> {
    this.saveState = { state: 'saving' };
    this.emit('saved');
    try {
      const result = await change();
      this.saveState = { state: 'saved', revision: this.revision };
      return result;
    } catch (error) {
      // A storage failure: the package put the evaluator back to what is stored. An engine
      // error (a rejected batch): nothing changed, the last save stands.
      const storage = error instanceof EvaluatorError && String(error.code).startsWith('STORAGE_');
      this.saveState = storage ? { state: 'error', message: errorText(error) } : { state: 'saved', revision: this.revision };
      throw error;
    } finally {
      this.emit('saved');
    }
  }

  /** Shows the saved session; false on a first visit (nothing was stored). */
  restore(): Promise<boolean> {
    return this.serial(async () => {
      const started = performance.now();
      this.design = await this.offline.design();
      if (this.stored) {
        const replayed = `${this.cursor} of ${this.log.length} logged batches replayed`;
        this.lastChange = { label: `restored from IndexedDB (${replayed})${this.notice ? `; ${this.notice}` : ''}`, delta: emptyDelta(this.design, this.revision), timing: { engineMs: null, totalMs: performance.now() - started }, at: Date.now() };
      }
      this.saveState = { state: 'saved', revision: this.revision };
      this.emit('design');
      this.emit('saved');
      await this.refreshEngine();
      return this.stored;
    });
  }

  /** Replaces the design (sample, import, new): a new history starts from it. */
  load(design: Design | string, label: string): Promise<Delta> {
    return this.serial(async () => {
      const delta = await this.saving(() => this.offline.loadDesign(design, { label }));
      const timing = this.offline.lastCall;
      this.design = await this.offline.design();
      this.lastChange = { label, delta, timing, at: Date.now() };
      this.emit('design');
      await this.refreshEngine();
      return delta;
    });
  }

  /** Applies one batch (a transaction); resolves once it is durable, then shows it. */
  apply(label: string, edits: Edit[]): Promise<Delta> {
    return this.serial(async () => {
      const started = performance.now();
      const delta = await this.saving(() => this.offline.applyEdits(edits, { label }));
      const removed = removedRelationships(this.design, delta);
      const timing = { engineMs: this.offline.lastCall?.engineMs ?? null, totalMs: performance.now() - started };
      applyDelta(this.design, delta);
      this.lastChange = { label, delta, removed, timing, at: Date.now() };
      this.emit('design');
      if (!this.engine) await this.refreshEngine();
      return delta;
    });
  }

  undo(): Promise<void> {
    return this.serial(async () => {
      if (!this.canUndo) return;
      const undone = this.log[this.cursor - 1]!;
      const before = this.design;
      const started = performance.now();
      this.design = await this.saving(() => this.offline.undo());
      this.lastChange = { label: `undo: ${undone.label}`, delta: diffDesigns(before, this.design, this.revision), removed: (before.relationships ?? []).filter((r) => !(this.design.relationships ?? []).some((x) => x.id === r.id)), timing: { engineMs: null, totalMs: performance.now() - started }, at: Date.now() };
      this.emit('design');
    });
  }

  redo(): Promise<void> {
    return this.serial(async () => {
      if (!this.canRedo) return;
      const entry = this.log[this.cursor]!;
      const delta = await this.saving(() => this.offline.redo());
      if (!delta) return;
      const removed = removedRelationships(this.design, delta);
      applyDelta(this.design, delta);
      this.lastChange = { label: `redo: ${entry.label}`, delta, removed, timing: this.offline.lastCall, at: Date.now() };
      this.emit('design');
    });
  }

  /** Moves the session to another engine (auto / worker / main-thread / js) without losing state. */
  switchEngine(preference: EnginePreference): Promise<void> {
    return this.serial(async () => {
      this.engine = null;
      this.emit('engine');
      await this.offline.reconfigure({ engine: preference });
      this.design = await this.offline.design();
      this.emit('design');
      await this.refreshEngine();
    });
  }

  /** The evaluated design as the engine holds it (for export). */
  exportDesign(): Promise<Design> {
    return this.serial(() => this.offline.design());
  }

  explain(relationshipId: string) {
    return this.serial(() => this.offline.explain(relationshipId));
  }

  /** The definitions the engine says would relate `fromId` (from side) to `toId` (to side). */
  connectableDefinitions(fromId: string, toId: string) {
    return this.serial(() => this.offline.connectableDefinitions(fromId, toId));
  }

  get lastTiming(): CallTiming | null {
    return this.offline.lastCall;
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
