/**
 * @module @meshery/relationship-evaluator/offline — a persistent evaluator on IndexedDB: base
 * snapshot + journal of edit batches, each batch durable before its call resolves, compaction,
 * several designs side by side (by name), one writer per design (a Web Lock), typed storage
 * errors, restore after reload.
 */
import { createEvaluator, type RelationshipDefinition } from '@meshery/relationship-evaluator';
import { OfflineEvaluator, evaluatorOptions, replay, type OfflineOptions } from './evaluator.js';
import { lockDesign } from './lock.js';
import { DesignDatabase, OfflineStorageError, checksum, journalChecksum, keys, type BaseRecord, type JournalRecord, type StoredDesign } from './storage.js';

export { OfflineEvaluator } from './evaluator.js';
export type { ChangeOptions, HistoryEntry, OfflineOptions } from './evaluator.js';
export { OFFLINE_ERROR_CODES, OfflineStorageError } from './storage.js';
export type { OfflineErrorCode } from './storage.js';

const DEFAULT_DATABASE = 'meshery-relationship-evaluator';

type Where = Pick<OfflineOptions, 'database' | 'indexedDB'>;

/**
 * Opens the design `name`: restores its base snapshot and replays its journal up to the stored
 * cursor (same revision, same design), or, on first use, starts it from `definitions` (which are
 * ignored afterwards: the stored state carries its own). A damaged journal record opens the last
 * good state before it and is reported in `corruption` (`STORAGE_CORRUPT`, `path` and `key` of the
 * record); the next change overwrites the damaged records. A damaged base snapshot rejects with
 * `STORAGE_CORRUPT` (nothing good to open; `deleteOfflineDesign` starts over).
 */
export async function openOfflineEvaluator(name: string, definitions: readonly RelationshipDefinition[] | string, options: OfflineOptions = {}): Promise<OfflineEvaluator> {
  const database = options.database ?? DEFAULT_DATABASE;
  const unlock = await lockDesign(database, name, options.lockTimeoutMs ?? 3000);
  let db: DesignDatabase;
  try {
    db = await DesignDatabase.open(database, options.indexedDB);
  } catch (error) {
    unlock();
    throw error;
  }
  try {
    const stored = await db.read(name);
    if (stored.base === undefined) {
      const evaluator = createEvaluator(definitions, evaluatorOptions(options));
      try {
        const bytes = await evaluator.snapshot();
        const base: BaseRecord = { bytes, checksum: checksum(bytes), revision: evaluator.revision, label: 'empty design' };
        await db.reset(name, base);
        return new OfflineEvaluator(name, db, unlock, evaluator, base, [], 0, options, null);
      } catch (error) {
        await evaluator.dispose();
        throw error;
      }
    }
    return await restore(name, db, unlock, stored, options);
  } catch (error) {
    db.close();
    unlock();
    throw error;
  }
}

async function restore(name: string, db: DesignDatabase, unlock: () => void, stored: StoredDesign, options: OfflineOptions): Promise<OfflineEvaluator> {
  const base = validBase(name, stored.base);
  const { entries, error: journalError } = validJournal(name, stored.journal);
  const head = stored.head as { cursor?: unknown } | undefined;
  let cursor = typeof head?.cursor === 'number' && Number.isInteger(head.cursor) && head.cursor >= 0 ? head.cursor : -1;
  let corruption = journalError;
  if (cursor < 0 || (cursor > entries.length && !journalError)) {
    corruption ??= new OfflineStorageError('STORAGE_CORRUPT', `the cursor of "${name}" is unreadable or past its journal`, `/${name}/head`, keys.head(name));
  }
  if (cursor < 0) cursor = entries.length;
  cursor = Math.min(cursor, entries.length);

  const replayed = await replay(base, entries.slice(0, cursor), evaluatorOptions(options), name);
  corruption ??= replayed.error;
  try {
    // The base itself must open: the first call reports a snapshot the engine rejects.
    await replayed.evaluator.design();
  } catch (cause) {
    await replayed.evaluator.dispose();
    throw new OfflineStorageError('STORAGE_CORRUPT', `the base snapshot of "${name}" does not open: ${String((cause as Error)?.message ?? cause)}`, `/${name}/base`, keys.base(name), { cause });
  }
  if (replayed.applied === 0 && replayed.evaluator.revision !== base.revision) {
    await replayed.evaluator.dispose();
    throw new OfflineStorageError('STORAGE_CORRUPT', `the base snapshot of "${name}" opens at revision ${replayed.evaluator.revision}, stored as ${base.revision}`, `/${name}/base`, keys.base(name));
  }
  const good = replayed.error ? entries.slice(0, replayed.applied) : entries;
  return new OfflineEvaluator(name, db, unlock, replayed.evaluator, base, good, replayed.applied, options, corruption);
}

function validBase(name: string, value: unknown): BaseRecord {
  const record = value as Partial<BaseRecord> | null;
  const fail = (why: string): never => {
    throw new OfflineStorageError('STORAGE_CORRUPT', `the base snapshot of "${name}" is unreadable: ${why}`, `/${name}/base`, keys.base(name));
  };
  if (!record || typeof record !== 'object') return fail('not a record');
  if (!(record.bytes instanceof Uint8Array)) return fail('no snapshot bytes');
  if (typeof record.revision !== 'number' || typeof record.checksum !== 'number') return fail('no revision or checksum');
  if (checksum(record.bytes) !== record.checksum) return fail('checksum mismatch');
  return { bytes: record.bytes, checksum: record.checksum, revision: record.revision, label: typeof record.label === 'string' ? record.label : '' };
}

/** The journal's records up to the first unreadable one (wrong key, shape, order or checksum). */
function validJournal(name: string, records: StoredDesign['journal']): { entries: JournalRecord[]; error: OfflineStorageError | null } {
  const entries: JournalRecord[] = [];
  for (const { key, value } of records) {
    const seq = entries.length;
    const record = value as Partial<JournalRecord> | null;
    const keySeq = Array.isArray(key) ? key[2] : undefined;
    const readable = record && typeof record === 'object' && keySeq === seq && record.seq === seq
      && typeof record.edits === 'string' && typeof record.label === 'string' && typeof record.revision === 'number'
      && record.checksum === journalChecksum({ seq, edits: record.edits, label: record.label, revision: record.revision });
    if (!readable) {
      const at = typeof keySeq === 'number' ? keySeq : seq;
      return { entries, error: new OfflineStorageError('STORAGE_CORRUPT', `batch ${at} of "${name}" is unreadable (shape, order or checksum)`, `/${name}/journal/${at}`, key) };
    }
    entries.push(record as JournalRecord);
  }
  return { entries, error: null };
}

/** The names of the designs stored in the database. */
export async function listOfflineDesigns(options: Where = {}): Promise<string[]> {
  const db = await DesignDatabase.open(options.database ?? DEFAULT_DATABASE, options.indexedDB);
  try {
    return await db.designs();
  } finally {
    db.close();
  }
}

/** Deletes a design's records (its base, cursor and journal). Dispose its evaluator first. */
export async function deleteOfflineDesign(name: string, options: Where = {}): Promise<void> {
  const db = await DesignDatabase.open(options.database ?? DEFAULT_DATABASE, options.indexedDB);
  try {
    await db.remove(name);
  } finally {
    db.close();
  }
}
