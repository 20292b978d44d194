/**
 * The messages between the client (main thread) and a host (a worker, or the same thread).
 * Requests carry an id and a session; every request gets exactly one reply with its id, unless
 * the client cancelled it first. Bulk data crosses as JSON text; snapshots as bytes, transferred.
 */
import type { WireError } from './errors.js';

/** Where the host gets the wasm from. `default` = next to the host's own script. */
export type WasmSource =
  | { kind: 'default' }
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'module'; module: WebAssembly.Module };

/** A state-changing call, as kept in a session's journal and replayed after a crash. */
export type JournalCall =
  | { op: 'loadDesign'; design: string }
  | { op: 'applyEdits'; edits: string }
  | { op: 'replaceDefinitions'; definitions: string };

/** What a session is rebuilt from: the constructor arguments, a snapshot, or exported JSON. */
export type SessionBase =
  | { kind: 'create'; definitions: string; options: string }
  | { kind: 'snapshot'; snapshot: Uint8Array }
  | { kind: 'json'; json: string };

/** The calls a host answers, each with the type of its reply value. */
export type Call =
  /** (Re)creates the session from `base` and replays `journal`; fails unless the resulting revision is `revision` (when given). */
  | { op: 'open'; base: SessionBase; journal: JournalCall[]; revision?: number }
  | JournalCall
  | { op: 'design' }
  | { op: 'evaluate' }
  | { op: 'evaluateDesign'; design: string }
  | { op: 'explain'; relationshipId: string }
  | { op: 'connectableDefinitions'; fromId: string; toId: string }
  | { op: 'snapshot' }
  | { op: 'exportJson' }
  | { op: 'close' };

export type CallOp = Call['op'];

/** The reply value of each call: JSON text, snapshot bytes, or nothing. */
export type ReplyValue<Op extends CallOp> = Op extends 'snapshot' ? Uint8Array : Op extends 'open' | 'close' ? null : string;

/** Client → host: run a call on a session. */
export interface RequestMessage {
  type: 'request';
  id: number;
  session: number;
  call: Call;
}

/** Client → host: drop a queued request (the client no longer waits for it). */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Client → worker, first message: load the engine, then answer `ready` or `failed`. */
export interface InitMessage {
  type: 'init';
  source: WasmSource;
  /** Which engine the worker loads: the wasm from `source` (default), or the JavaScript engine. */
  engine?: 'wasm' | 'js';
  /** Where the JavaScript engine is (`engine: 'js'`); by default next to the worker's script. */
  jsEngineUrl?: string;
  /** A Web Lock the worker holds for its whole life, so the client learns when it dies. */
  lockName?: string;
}

export type ClientMessage = RequestMessage | CancelMessage | InitMessage;

/** Host → client: the call succeeded. */
export interface ResultMessage {
  type: 'result';
  id: number;
  value: string | Uint8Array | null;
  /** The session's revision after the call. */
  revision: number;
  /** Time spent in the engine, for overhead measurements. */
  elapsedMs: number;
}

/** Host → client: the call failed. */
export interface ErrorMessage {
  type: 'error';
  id: number;
  error: WireError;
}

/** Worker → client: the engine is loaded. */
export interface ReadyMessage {
  type: 'ready';
  engineVersion: string;
  /** Time the worker spent loading the wasm. */
  loadMs: number;
}

/**
 * Worker → client: the worker holds its life lock (the `lockName` of `init`), before it loads the
 * engine; from here on the client sees a silent death (terminated, closed, out of memory) at once.
 */
export interface LockedMessage {
  type: 'locked';
}

/** Worker → client: the engine could not be loaded. */
export interface FailedMessage {
  type: 'failed';
  error: WireError;
}

export type HostMessage = ResultMessage | ErrorMessage | ReadyMessage | LockedMessage | FailedMessage;

/** The transferable buffers of a message (snapshot bytes move instead of being copied). */
export function transferablesOf(message: ResultMessage): ArrayBuffer[] {
  const value = message.value;
  return value instanceof Uint8Array && value.buffer instanceof ArrayBuffer && value.byteLength === value.buffer.byteLength
    ? [value.buffer]
    : [];
}

/** True for calls whose effect is recorded in the journal. */
export function isJournalCall(call: Call): call is JournalCall {
  return call.op === 'loadDesign' || call.op === 'applyEdits' || call.op === 'replaceDefinitions';
}
