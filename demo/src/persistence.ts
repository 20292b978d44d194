// The offline store: IndexedDB holds the evaluator snapshot a history starts from (`base`, the
// package's `snapshot()` bytes) and the edit log after it, one record per acknowledged batch,
// plus the undo cursor. A batch counts as saved only when its IndexedDB transaction completes.
import type { Edit } from '@meshery/relationship-evaluator';

/** One acknowledged batch of edits. */
export interface LogEntry {
  seq: number;
  label: string;
  edits: Edit[];
}

/** What a reload restores. */
export interface Saved {
  base: Uint8Array;
  label: string;
  log: LogEntry[];
  cursor: number;
}

const DB_NAME = 'meshery-relationship-demo';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class DesignStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<DesignStore> {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('meta');
      open.result.createObjectStore('log', { keyPath: 'seq' });
    };
    return new DesignStore(await request(open));
  }

  /** The saved session, or null on a first visit. */
  async load(): Promise<Saved | null> {
    const tx = this.db.transaction(['meta', 'log'], 'readonly');
    const [base, cursor, log] = await Promise.all([
      request(tx.objectStore('meta').get('base')),
      request(tx.objectStore('meta').get('cursor')),
      request(tx.objectStore('log').getAll()),
    ]);
    if (!base) return null;
    const entries = (log as LogEntry[]).sort((a, b) => a.seq - b.seq);
    return { base: base.bytes, label: base.label, log: entries, cursor: Math.min(cursor?.cursor ?? 0, entries.length) };
  }

  /** Starts a new history from `base` (a loaded, imported or compacted design). */
  async reset(base: Uint8Array, label: string): Promise<void> {
    const tx = this.db.transaction(['meta', 'log'], 'readwrite');
    tx.objectStore('log').clear();
    tx.objectStore('meta').put({ bytes: base, label }, 'base');
    tx.objectStore('meta').put({ cursor: 0 }, 'cursor');
    await done(tx);
  }

  /** Records a batch at `entry.seq`, dropping the redo entries it replaces. */
  async append(entry: LogEntry): Promise<void> {
    const tx = this.db.transaction(['meta', 'log'], 'readwrite');
    const log = tx.objectStore('log');
    log.delete(IDBKeyRange.lowerBound(entry.seq));
    log.put(entry);
    tx.objectStore('meta').put({ cursor: entry.seq + 1 }, 'cursor');
    await done(tx);
  }

  /** Moves the undo cursor (undo / redo). */
  async setCursor(cursor: number): Promise<void> {
    const tx = this.db.transaction(['meta'], 'readwrite');
    tx.objectStore('meta').put({ cursor }, 'cursor');
    await done(tx);
  }
}
