/**
 * The IndexedDB side of the offline evaluator: one database, one object store, array keys
 * prefixed by the design's name (so several designs live side by side, and a design's records are
 * one key range). Per design:
 *   [name, 'base']           → { bytes, checksum, revision, label }   the snapshot history starts from
 *   [name, 'head']           → { cursor }                             how many journal entries are applied
 *   [name, 'journal', seq]   → { seq, edits, label, revision, checksum }   one acknowledged batch
 * A write resolves only when its transaction has completed (durability 'strict'), and every
 * multi-record change (append, compaction, reset) is one transaction, so it is all there or not at all.
 */
import { EvaluatorError, PACKAGE_ERROR_CODES, type PackageErrorCode } from '@meshery/relationship-evaluator';

/** Codes of the offline entry: the package's `STORAGE_*` codes (documented in `PACKAGE_ERROR_CODES`). */
export type OfflineErrorCode = Extract<PackageErrorCode, `STORAGE_${string}`>;

/** Every offline code, in the order `PACKAGE_ERROR_CODES` lists them. */
export const OFFLINE_ERROR_CODES: readonly OfflineErrorCode[] = PACKAGE_ERROR_CODES.filter(
  (code): code is OfflineErrorCode => code.startsWith('STORAGE_'),
);

/**
 * An `EvaluatorError` with one of the offline codes; `path` is the JSON pointer of the record at
 * fault (`/<design>/base`, `/<design>/journal/<seq>`), `key` its IndexedDB key.
 */
export class OfflineStorageError extends EvaluatorError {
  override name = 'OfflineStorageError';
  readonly storageCode: OfflineErrorCode;
  readonly key: IDBValidKey | null;

  constructor(code: OfflineErrorCode, message: string, path = '', key: IDBValidKey | null = null, options?: { cause?: unknown }) {
    super(code, message, path, options);
    this.storageCode = code;
    this.key = key;
  }
}

export interface BaseRecord {
  bytes: Uint8Array;
  checksum: number;
  revision: number;
  label: string;
}

export interface JournalRecord {
  seq: number;
  /** The batch as JSON text (what `applyEdits` was given). */
  edits: string;
  label: string;
  /** The revision the batch produced. */
  revision: number;
  checksum: number;
}

/** What one design has stored; records are returned raw, the caller validates them. */
export interface StoredDesign {
  base: unknown;
  head: unknown;
  journal: { key: IDBValidKey; value: unknown }[];
}

const STORE = 'records';

/** FNV-1a over bytes: detects a record changed behind our back (not an integrity guarantee against tampering). */
export function checksum(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

const encoder = new TextEncoder();

/** The checksum of a journal record: its seq, revision, label and edits. */
export function journalChecksum(record: Omit<JournalRecord, 'checksum'>): number {
  return checksum(encoder.encode(`${record.seq}\n${record.revision}\n${record.label}\n${record.edits}`));
}

export const keys = {
  base: (design: string): IDBValidKey => [design, 'base'],
  head: (design: string): IDBValidKey => [design, 'head'],
  entry: (design: string, seq: number): IDBValidKey => [design, 'journal', seq],
  /** Journal entries from `seq` on. */
  journalFrom: (design: string, seq: number): IDBKeyRange => IDBKeyRange.bound([design, 'journal', seq], [design, 'journal', Infinity]),
  /** Every record of the design (arrays sort after strings, so `[design, []]` is past all of them). */
  design: (design: string): IDBKeyRange => IDBKeyRange.bound([design], [design, []]),
};

/** A storage failure as a typed error. */
export function storageError(thrown: unknown, doing: string, path = '', key: IDBValidKey | null = null): OfflineStorageError {
  if (thrown instanceof OfflineStorageError) return thrown;
  const name = (thrown as { name?: unknown } | null)?.name;
  const detail = (thrown as { message?: unknown } | null)?.message ?? String(thrown);
  if (name === 'QuotaExceededError') {
    return new OfflineStorageError('STORAGE_QUOTA_EXCEEDED', `${doing}: the storage quota is exceeded (${detail})`, path, key, { cause: thrown });
  }
  return new OfflineStorageError('STORAGE_FAILED', `${doing}: ${String(name ?? 'Error')}: ${detail}`, path, key, { cause: thrown });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `fill` in one readwrite transaction and resolves when it has completed (is durable). */
function write(db: IDBDatabase, fill: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    } catch (error) {
      reject(error);
      return;
    }
    // A failure shows up as a request error, a transaction error or an abort (quota is an abort
    // with no request error): each rejects, the first one wins.
    const fail = (): void => reject(tx.error ?? new Error('the IndexedDB transaction was aborted'));
    tx.oncomplete = () => resolve();
    tx.onerror = fail;
    tx.onabort = fail;
    try {
      fill(tx.objectStore(STORE));
    } catch (error) {
      reject(error);
      try {
        tx.abort();
      } catch {
        // already finished
      }
    }
  });
}

/** An open database of offline designs. */
export class DesignDatabase {
  private constructor(private readonly db: IDBDatabase, readonly name: string) {}

  static async open(name: string, factory: IDBFactory | undefined): Promise<DesignDatabase> {
    const idb = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!idb || typeof IDBKeyRange === 'undefined') {
      throw new OfflineStorageError('STORAGE_UNAVAILABLE', 'IndexedDB is not available in this runtime (in Node, install globals such as fake-indexeddb/auto)');
    }
    try {
      const open = idb.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      return new DesignDatabase(await request(open), name);
    } catch (error) {
      throw new OfflineStorageError('STORAGE_UNAVAILABLE', `IndexedDB database "${name}" could not be opened: ${String((error as Error)?.message ?? error)}`, '', null, { cause: error });
    }
  }

  close(): void {
    this.db.close();
  }

  /** Every record of `design`, in one read transaction. */
  async read(design: string): Promise<StoredDesign> {
    try {
      const tx = this.db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const range = keys.journalFrom(design, -Infinity);
      const [base, head, journalKeys, journalValues] = await Promise.all([
        request(store.get(keys.base(design))),
        request(store.get(keys.head(design))),
        request(store.getAllKeys(range)),
        request(store.getAll(range)),
      ]);
      return { base, head, journal: journalKeys.map((key, i) => ({ key, value: journalValues[i] })) };
    } catch (error) {
      throw storageError(error, `reading design "${design}"`, `/${design}`);
    }
  }

  /** The names of the designs stored here. */
  async designs(): Promise<string[]> {
    try {
      const tx = this.db.transaction(STORE, 'readonly');
      const all = await request(tx.objectStore(STORE).getAllKeys());
      return all.filter((key): key is [string, string] => Array.isArray(key) && key[1] === 'base').map((key) => key[0]);
    } catch (error) {
      throw storageError(error, 'listing designs');
    }
  }

  /** Starts a new history: `base`, an empty journal, cursor 0 (one transaction). */
  async reset(design: string, base: BaseRecord): Promise<void> {
    await write(this.db, (store) => {
      store.delete(keys.design(design));
      store.put(base, keys.base(design));
      store.put({ cursor: 0 }, keys.head(design));
    }).catch((error: unknown) => {
      throw storageError(error, `writing the base snapshot of "${design}"`, `/${design}/base`, keys.base(design));
    });
  }

  /** Records a batch at `entry.seq`, dropping the redo entries it replaces (one transaction). */
  async append(design: string, entry: JournalRecord): Promise<void> {
    await write(this.db, (store) => {
      store.delete(keys.journalFrom(design, entry.seq));
      store.put(entry, keys.entry(design, entry.seq));
      store.put({ cursor: entry.seq + 1 }, keys.head(design));
    }).catch((error: unknown) => {
      throw storageError(error, `writing batch ${entry.seq} of "${design}"`, `/${design}/journal/${entry.seq}`, keys.entry(design, entry.seq));
    });
  }

  /** Moves the undo cursor. */
  async setCursor(design: string, cursor: number): Promise<void> {
    await write(this.db, (store) => {
      store.put({ cursor }, keys.head(design));
    }).catch((error: unknown) => {
      throw storageError(error, `writing the cursor of "${design}"`, `/${design}/head`, keys.head(design));
    });
  }

  /** Removes every record of `design`. */
  async remove(design: string): Promise<void> {
    await write(this.db, (store) => {
      store.delete(keys.design(design));
    }).catch((error: unknown) => {
      throw storageError(error, `deleting "${design}"`, `/${design}`);
    });
  }
}
