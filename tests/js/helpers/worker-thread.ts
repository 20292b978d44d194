/**
 * The real worker entry (worker/entry.ts) inside a Node worker thread: `postMessage` and
 * `addEventListener('message')` are mapped onto `parentPort`, as a browser worker scope has them.
 * Bundled by global-setup.ts into target/js-test/worker-thread.mjs.
 */
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
Object.assign(globalThis, {
  postMessage: (message: unknown, transfer?: readonly ArrayBuffer[]) => port.postMessage(message, transfer as ArrayBuffer[]),
  addEventListener: (type: string, listener: (event: { data: unknown }) => void) => {
    if (type === 'message') port.on('message', (data) => listener({ data }));
  },
});

await import('../../../worker/entry.js');
