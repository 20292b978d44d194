/**
 * `OfflineEvaluator`: a `RelationshipEvaluator` whose state lives in IndexedDB as a base snapshot
 * plus a journal of edit batches. A change resolves only after its record is durable; if the
 * write fails the evaluator is rebuilt from what is stored, so memory never runs ahead of disk.
 * Undo/redo move a cursor over the journal (undo replays base + the first `cursor - 1` batches:
 * the engine is deterministic, so the replay gives the same design).
 */
import {
  EvaluatorError, restoreEvaluator,
  type Delta, type Design, type Edit, type EvaluatedDesign, type EngineInfo, type EvaluationResponse, type EvaluatorOptions, type Explanation,
  type CallOptions, type CallTiming, type ConnectableDefinition, type RelationshipDefinition, type RelationshipEvaluator,
} from '@meshery/relationship-evaluator';
import { OfflineStorageError, checksum, journalChecksum, type BaseRecord, type DesignDatabase, type JournalRecord } from './storage.js';

/** Options of `openOfflineEvaluator()`. */
export interface OfflineOptions extends EvaluatorOptions {
  /** The IndexedDB database (default `meshery-relationship-evaluator`); designs are keyed inside it by name. */
  database?: string;
  /**
   * After this many journaled batches the history is compacted into a new base snapshot
   * (default 200; `Infinity` never compacts by itself). Compaction ends the undo history.
   */
  compactEvery?: number;
  /** The IndexedDB factory (default `globalThis.indexedDB`); `IDBKeyRange` must be a global too. */
  indexedDB?: IDBFactory;
  /**
   * How long to wait for a design that is open elsewhere (another tab) before rejecting with
   * STORAGE_LOCKED (default 3000 ms).
   */
  lockTimeoutMs?: number;
}

/** Options of one change. */
export interface ChangeOptions {
  /** A name for the change, kept in the journal (`history`) and shown back by undo/redo UIs. */
  label?: string;
}

/** One journaled batch. */
export interface HistoryEntry {
  seq: number;
  label: string;
  /** The revision the batch produced. */
  revision: number;
}

/** What `openOfflineEvaluator()` found in storage. */
export interface Restored {
  /** Batches replayed on top of the base snapshot. */
  replayed: number;
  /** Journaled batches after the cursor (undone, redoable). */
  redoable: number;
}

const asJson = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The evaluator options without this entry's own. */
export function evaluatorOptions(options: OfflineOptions): EvaluatorOptions {
  const { database: _database, compactEvery: _compactEvery, indexedDB: _indexedDB, lockTimeoutMs: _lockTimeoutMs, ...rest } = options;
  return rest;
}

/**
 * A fresh evaluator from `base` with `entries` applied in order, each checked against the
 * revision it produced when it was journaled. Stops at the first entry that does not replay.
 */
export async function replay(base: BaseRecord, entries: readonly JournalRecord[], options: EvaluatorOptions, design: string):
  Promise<{ evaluator: RelationshipEvaluator; applied: number; error: OfflineStorageError | null }> {
  const evaluator = restoreEvaluator(base.bytes, options);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const path = `/${design}/journal/${entry.seq}`;
    try {
      await evaluator.applyEdits(entry.edits);
    } catch (cause) {
      return { evaluator, applied: i, error: new OfflineStorageError('STORAGE_CORRUPT', `batch ${entry.seq} of "${design}" does not replay: ${String((cause as Error)?.message ?? cause)}`, path, [design, 'journal', entry.seq], { cause }) };
    }
    if (evaluator.revision !== entry.revision) {
      // Applied, but not to the state it was journaled against: rebuild without it.
      await evaluator.dispose();
      const rebuilt = await replay(base, entries.slice(0, i), options, design);
      return { ...rebuilt, error: new OfflineStorageError('STORAGE_CORRUPT', `batch ${entry.seq} of "${design}" replays to revision ${evaluator.revision}, journaled as ${entry.revision}`, path, [design, 'journal', entry.seq]) };
    }
  }
  return { evaluator, applied: entries.length, error: null };
}

/** A persistent evaluator. Open it with `openOfflineEvaluator()`; dispose it when done. */
export class OfflineEvaluator {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly compactEvery: number;
  private options: EvaluatorOptions;
  private timing: CallTiming | null = null;
  /** The last compaction failure (the batches stay journaled; the next batch tries again), or null. */
  compactionError: OfflineStorageError | null = null;

  /** @internal Use `openOfflineEvaluator()`. */
  constructor(
    /** The design's name in the database. */
    readonly name: string,
    private readonly db: DesignDatabase,
    private readonly unlock: () => void,
    private evaluator: RelationshipEvaluator,
    private base: BaseRecord,
    private entries: JournalRecord[],
    private cursorAt: number,
    options: OfflineOptions,
    /** Set when a stored record was unreadable: the evaluator opened at the last good state before it. */
    readonly corruption: OfflineStorageError | null,
  ) {
    this.compactEvery = Math.max(1, options.compactEvery ?? 200);
    this.options = evaluatorOptions(options);
  }

  /** The revision of the current state (as acknowledged by the engine). */
  get revision(): number {
    return this.evaluator.revision;
  }

  /** How many journaled batches are applied (the rest can be redone). */
  get cursor(): number {
    return this.cursorAt;
  }

  get canUndo(): boolean {
    return this.cursorAt > 0;
  }

  get canRedo(): boolean {
    return this.cursorAt < this.entries.length;
  }

  /** The journal since the base snapshot, including undone batches after `cursor`. */
  get history(): readonly HistoryEntry[] {
    return this.entries.map(({ seq, label, revision }) => ({ seq, label, revision }));
  }

  /** The label of the base snapshot (the load, or the compaction, that started the history). */
  get baseLabel(): string {
    return this.base.label;
  }

  /** Timing of the engine call of the last successful call (not of its IndexedDB write or compaction). */
  get lastCall(): CallTiming | null {
    return this.timing;
  }

  /** Keeps the timing of the engine call just made. */
  private timed<T>(result: T): T {
    this.timing = this.evaluator.lastCall;
    return result;
  }

  /** Runs `task` after every earlier call: changes, undo and reads never interleave. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new EvaluatorError('DISPOSED', `the offline evaluator of "${this.name}" was disposed`));
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Replaces the design (a new history starts from it, durably) and evaluates it. */
  loadDesign(design: Design | string, options: ChangeOptions = {}): Promise<Delta> {
    return this.serial(async () => {
      const delta = this.timed(await this.evaluator.loadDesign(design));
      await this.rebase(options.label ?? 'loaded design');
      return delta;
    });
  }

  /** Replaces the relationship definitions (a new history starts, durably) and re-evaluates. */
  replaceDefinitions(definitions: readonly RelationshipDefinition[] | string, options: ChangeOptions = {}): Promise<Delta> {
    return this.serial(async () => {
      const delta = this.timed(await this.evaluator.replaceDefinitions(definitions));
      await this.rebase(options.label ?? 'replaced definitions');
      return delta;
    });
  }

  /**
   * Applies a batch as one transaction and journals it; resolves once the journal record's
   * IndexedDB transaction has completed. Batches after the cursor (undone) are dropped.
   */
  applyEdits(edits: readonly Edit[] | string, options: ChangeOptions = {}): Promise<Delta> {
    return this.serial(async () => {
      const text = asJson(edits);
      const delta = this.timed(await this.evaluator.applyEdits(text));
      const record: Omit<JournalRecord, 'checksum'> = { seq: this.cursorAt, edits: text, label: options.label ?? '', revision: this.evaluator.revision };
      const entry: JournalRecord = { ...record, checksum: journalChecksum(record) };
      try {
        await this.db.append(this.name, entry);
      } catch (error) {
        await this.rollback();
        throw error;
      }
      this.entries = [...this.entries.slice(0, this.cursorAt), entry];
      this.cursorAt++;
      if (this.cursorAt >= this.compactEvery) await this.compactNow().catch(() => {});
      return delta;
    });
  }

  /** Steps back one batch (replays base + the batches before it). Resolves with the design. */
  undo(): Promise<EvaluatedDesign> {
    return this.serial(async () => {
      if (this.cursorAt === 0) return this.evaluator.design();
      await this.moveTo(this.cursorAt - 1);
      return this.evaluator.design();
    });
  }

  /** Applies the next undone batch again. Resolves with its delta, or null when there is none. */
  redo(): Promise<Delta | null> {
    return this.serial(async () => {
      const entry = this.entries[this.cursorAt];
      if (!entry) return null;
      const delta = this.timed(await this.evaluator.applyEdits(entry.edits));
      try {
        await this.db.setCursor(this.name, this.cursorAt + 1);
      } catch (error) {
        await this.rollback();
        throw error;
      }
      this.cursorAt++;
      return delta;
    });
  }

  /** Folds the journal into a new base snapshot, atomically (ends the undo history). */
  compact(): Promise<void> {
    return this.serial(() => this.compactNow());
  }

  /** Continues on other evaluator options (e.g. another `engine`), from the current state. */
  reconfigure(options: EvaluatorOptions): Promise<void> {
    return this.serial(async () => {
      const bytes = await this.evaluator.snapshot();
      const previous = this.evaluator;
      this.options = { ...this.options, ...options };
      this.evaluator = restoreEvaluator(bytes, this.options);
      await previous.dispose();
    });
  }

  /** The current evaluated design (see `RelationshipEvaluator.design`). */
  design(): Promise<EvaluatedDesign> {
    return this.serial(async () => this.timed(await this.evaluator.design()));
  }

  evaluate(options?: CallOptions): Promise<EvaluationResponse> {
    return this.serial(async () => this.timed(await this.evaluator.evaluate(options)));
  }

  evaluateDesign(design: Design | string, options?: CallOptions): Promise<EvaluationResponse> {
    return this.serial(async () => this.timed(await this.evaluator.evaluateDesign(design, options)));
  }

  explain(relationshipId: string): Promise<Explanation> {
    return this.serial(async () => this.timed(await this.evaluator.explain(relationshipId)));
  }

  connectableDefinitions(fromId: string, toId: string): Promise<ConnectableDefinition[]> {
    return this.serial(async () => this.timed(await this.evaluator.connectableDefinitions(fromId, toId)));
  }

  snapshot(): Promise<Uint8Array> {
    return this.serial(async () => this.timed(await this.evaluator.snapshot()));
  }

  exportJson(): Promise<string> {
    return this.serial(async () => this.timed(await this.evaluator.exportJson()));
  }

  engine(): Promise<EngineInfo> {
    return this.serial(() => this.evaluator.engine());
  }

  /** Frees the evaluator, closes the database and lets others open the design (stored data stays). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    const last = this.queue;
    this.disposed = true;
    await last;
    try {
      await this.evaluator.dispose();
    } finally {
      this.db.close();
      this.unlock();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** The current state becomes the base snapshot of a new history. */
  private async rebase(label: string): Promise<void> {
    const bytes = await this.evaluator.snapshot();
    const base: BaseRecord = { bytes, checksum: checksum(bytes), revision: this.evaluator.revision, label };
    try {
      await this.db.reset(this.name, base);
    } catch (error) {
      await this.rollback();
      throw error;
    }
    this.base = base;
    this.entries = [];
    this.cursorAt = 0;
  }

  private async compactNow(): Promise<void> {
    if (this.cursorAt === 0 && this.entries.length === 0) return;
    try {
      await this.rebase(this.base.label.endsWith(' (compacted)') ? this.base.label : `${this.base.label} (compacted)`);
      this.compactionError = null;
    } catch (error) {
      this.compactionError = error as OfflineStorageError;
      throw error;
    }
  }

  /** The evaluator of base + the first `cursor` batches, with the cursor stored. */
  private async moveTo(cursor: number): Promise<void> {
    const previous = this.cursorAt;
    await this.swapTo(cursor);
    try {
      await this.db.setCursor(this.name, cursor);
    } catch (error) {
      await this.swapTo(previous);
      throw error;
    }
  }

  /** Back to what storage holds, after a failed write. */
  private async rollback(): Promise<void> {
    await this.swapTo(this.cursorAt);
  }

  private async swapTo(cursor: number): Promise<void> {
    const { evaluator, error } = await replay(this.base, this.entries.slice(0, cursor), this.options, this.name);
    if (error) {
      await evaluator.dispose();
      throw error;
    }
    const previous = this.evaluator;
    this.evaluator = evaluator;
    this.cursorAt = cursor;
    await previous.dispose();
  }
}
