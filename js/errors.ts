/**
 * The one error class of the package. Errors from the Rust core keep their code and path; errors
 * of the JavaScript layer (worker crashes, superseded calls, loading) use codes of their own.
 */

import { CORE_ERROR_CODES, type CoreErrorCode } from './generated/types.js';

// The codes of the Rust core (`error::ErrorCode`): generated from it, as their type is.
export { CORE_ERROR_CODES, type CoreErrorCode };

/** Codes of this package's JavaScript layer. */
export const PACKAGE_ERROR_CODES = [
  /** The worker died (crashed, errored, was terminated) while the call was pending. */
  'WORKER_CRASHED',
  /** The worker did not answer the ready handshake in time. */
  'WORKER_TIMEOUT',
  /** A newer evaluation replaced this one before it finished (latest wins). */
  'SUPERSEDED',
  /** The caller's AbortSignal fired. */
  'ABORTED',
  /** The evaluator (or its engine) was disposed. */
  'DISPOSED',
  /** This runtime cannot locate the wasm by itself: call `init(url | bytes | module)` first. */
  'INIT_REQUIRED',
  /** `init()` was called after the engine had already loaded. */
  'ALREADY_INITIALIZED',
  /** The wasm could not be fetched or instantiated. */
  'WASM_LOAD_FAILED',
  /** This runtime has no WebAssembly, or forbids compiling it (a CSP without 'wasm-unsafe-eval'). */
  'WASM_UNAVAILABLE',
  /** No engine could start (every rung of the fallback ladder failed). */
  'ENGINE_UNAVAILABLE',
  /** A restarted worker could not restore the state it had (should not happen: a bug). */
  'RECOVERY_FAILED',
  /** A file or directory the caller named does not exist (the command line). */
  'NOT_FOUND',
  /** A file or directory exists but could not be read (permissions, a directory where a file was expected, …). */
  'IO_ERROR',
  /** The input is a document of another kind (a legacy Meshery pattern file, a Kubernetes manifest, …), not a design. */
  'UNSUPPORTED_FORMAT',
  /** No IndexedDB in this runtime, or the database could not be opened (the offline entry). */
  'STORAGE_UNAVAILABLE',
  /** The browser refused a write: the origin's storage quota is used up (the offline entry). */
  'STORAGE_QUOTA_EXCEEDED',
  /** A stored record is unreadable or does not replay; `path` names it (the offline entry). */
  'STORAGE_CORRUPT',
  /** Any other IndexedDB failure: an I/O error, an aborted transaction (the offline entry). */
  'STORAGE_FAILED',
  /** The design is open in another tab or evaluator: one writer per design (the offline entry). */
  'STORAGE_LOCKED',
] as const;

export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];
/** Every code an `EvaluatorError` can carry. */
export type ErrorCode = CoreErrorCode | PackageErrorCode;

/** What a loading error (`WASM_LOAD_FAILED`, `WASM_UNAVAILABLE`, `WORKER_CRASHED` at start) knows. */
export interface LoadingDetails {
  /** The URL that was requested, when the engine was fetched. */
  url?: string;
  /** The HTTP status received. */
  status?: number;
  /** The `Content-Type` received (`null`: the response had none). */
  contentType?: string | null;
  /** One line on the likely cause and its fix, for the known causes. */
  hint?: string;
  /** The engines (rungs of the fallback ladder) skipped before this failure, each with why. */
  skipped?: { kind: string; reason: string }[];
  /**
   * The worker stopped without an error while it was starting (terminated, closed, out of
   * memory): starting it again may work, where a script that fails to load fails again.
   */
  transient?: boolean;
}

/** An error with a stable `code` for programs and the JSON `path` of the field at fault. */
export class EvaluatorError extends Error {
  override name = 'EvaluatorError';
  /** Stable, machine-readable code. */
  readonly code: ErrorCode;
  /** JSON pointer (RFC 6901) of the bad field; `""` for the whole input. */
  readonly path: string;
  /** For loading errors: what was requested, what came back, and a hint (absent otherwise). */
  declare readonly details?: LoadingDetails;

  constructor(code: ErrorCode, message: string, path = '', options?: { cause?: unknown; details?: LoadingDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = path;
    if (options?.details) this.details = options.details;
  }
}

/** The plain-object form of an error, as it crosses a worker boundary. */
export interface WireError {
  name: string;
  code: string;
  message: string;
  path: string;
  details?: LoadingDetails;
}

const KNOWN_CODES: ReadonlySet<string> = new Set<string>([...CORE_ERROR_CODES, ...PACKAGE_ERROR_CODES]);

/** True when `code` is one of this package's codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/**
 * Any thrown value as an `EvaluatorError`: wasm errors (plain `Error`s with `code` and `path`)
 * keep both; anything else, such as a `RuntimeError` from a trap, becomes `INTERNAL`.
 */
export function toEvaluatorError(thrown: unknown): EvaluatorError {
  if (thrown instanceof EvaluatorError) return thrown;
  const record = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : describe(thrown);
  const code = isErrorCode(record.code) ? record.code : 'INTERNAL';
  const path = typeof record.path === 'string' ? record.path : '';
  return new EvaluatorError(code, message, path, { cause: thrown });
}

/**
 * A thrown value as text, for a message. `String()` itself throws for some values (an object
 * without a prototype, a `toString` that throws or is not a function, a symbol inside an Error),
 * and this must not: it names the value's type instead.
 */
function describe(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return `a thrown ${Object.prototype.toString.call(thrown)} (not convertible to text)`;
  }
}

/** The wire form of an error. */
export function toWireError(thrown: unknown): WireError {
  const error = toEvaluatorError(thrown);
  const wire: WireError = { name: error.name, code: error.code, message: error.message, path: error.path };
  if (error.details) wire.details = error.details;
  return wire;
}

/** Rebuilds an `Error` object from its wire form. */
export function fromWireError(wire: WireError): EvaluatorError {
  return new EvaluatorError(isErrorCode(wire.code) ? wire.code : 'INTERNAL', wire.message, wire.path, wire.details ? { details: wire.details } : undefined);
}
