/**
 * One writer per design: an open offline evaluator holds a Web Lock named after its database and
 * design, so a second tab (or a second `openOfflineEvaluator` in this one) cannot interleave its
 * batches with ours in the same journal. It waits up to `timeoutMs` (a tab that is closing
 * releases its lock when its document goes away), then rejects with STORAGE_LOCKED. Runtimes
 * without Web Locks (Node) have no other context to coordinate with: no lock.
 */
import { OfflineStorageError } from './storage.js';

interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<void>;
}

/** Takes the design's lock; resolves with the function that releases it. */
export function lockDesign(database: string, design: string, timeoutMs: number): Promise<() => void> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks) return Promise.resolve(() => {});
  const name = `@meshery/relationship-evaluator/offline:${database}:${design}`;
  return new Promise((resolve, reject) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    locks
      .request(name, { signal: timeout.signal }, () => {
        clearTimeout(timer);
        return new Promise<void>((release) => resolve(release));
      })
      .catch((cause: unknown) => {
        clearTimeout(timer);
        reject(new OfflineStorageError('STORAGE_LOCKED', `design "${design}" is open elsewhere (another tab or evaluator) and was not released within ${timeoutMs} ms`, `/${design}`, null, { cause }));
      });
  });
}
