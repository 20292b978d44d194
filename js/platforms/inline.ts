/** The wasm inlined as base64, for bundlers that cannot emit assets; evaluations run in-thread. */
import wasmBase64 from 'virtual:relationship-evaluator-wasm-base64';
import { fetchableInput, type Platform } from '../platform.js';

let bytes: Uint8Array | undefined;

function inlinedBytes(): Uint8Array {
  if (!bytes) {
    const text = atob(wasmBase64);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

export const inlinePlatform: Platform = {
  name: 'inline',
  noWorkerReason: 'the inline build evaluates in its own thread (it emits no worker file)',
  defaultSource: () => ({ kind: 'bytes', bytes: inlinedBytes() }),
  wasmInput: fetchableInput,
};
