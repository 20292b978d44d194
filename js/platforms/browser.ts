/** Browsers (and bundlers targeting them): evaluations move to a module worker. */
import { fetchableInput, type Platform } from '../platform.js';

export const browserPlatform: Platform = {
  name: 'browser',
  // Written out literally so that Vite and webpack find the worker and bundle it.
  createWorker: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }),
  defaultSource: () => ({ kind: 'default' }),
  wasmInput: fetchableInput,
};
