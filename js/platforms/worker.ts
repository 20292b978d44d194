/** Code that already runs in a Web Worker (or an edge runtime): evaluations stay in that thread. */
import { fetchableInput, type Platform } from '../platform.js';

export const workerPlatform: Platform = {
  name: 'worker',
  noWorkerReason: 'the worker build evaluates in its own thread (it already runs off the main thread)',
  defaultSource: () => ({ kind: 'default' }),
  wasmInput: fetchableInput,
};
