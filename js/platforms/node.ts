/** Node: the wasm is read from disk; evaluations run in the calling thread. */
import { readFile } from 'node:fs/promises';
import { fetchableInput, type Platform } from '../platform.js';

export const nodePlatform: Platform = {
  name: 'node',
  noWorkerReason: 'the Node build evaluates in its own thread (Node has no Web Worker)',
  defaultSource: () => ({ kind: 'default' }),
  async wasmInput(source) {
    const input = await fetchableInput(source);
    // Node's fetch cannot read file: URLs.
    return input instanceof URL && input.protocol === 'file:' ? new Uint8Array(await readFile(input)) : input;
  },
};
