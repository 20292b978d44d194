/**
 * The JavaScript layer's one decoder of arbitrary values: `toEvaluatorError` (any thrown value →
 * a typed error) and the wire form of errors that crosses the worker boundary
 * (`toWireError` / `fromWireError`). The messages themselves are not decoded from untrusted
 * text: the client and its own worker exchange structured-cloned objects, and their bulk data is
 * JSON text handed to the wasm readers (fuzzed by `fuzz/fuzz_targets/read_json.rs`).
 *
 * Property-style: thousands of random values from a seeded generator (the same ones every run).
 */
import { describe, expect, it } from 'vitest';
import { EvaluatorError, fromWireError, isErrorCode, toEvaluatorError, toWireError, type WireError } from '../../../js/errors.js';

/** mulberry32: a small seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES = ['INVALID_JSON', 'LIMIT_EXCEEDED', 'WORKER_CRASHED', 'INTERNAL', 'NOT_A_CODE', '', 'invalid_json', 'constructor', '__proto__'];
// Not `toString` or `valueOf`: objects whose own data shadows those are in the cases below.
const KEYS = ['code', 'message', 'path', 'details', 'name', 'cause', 'stack', 'x'];

function generator(seed: number) {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const string = (): string => {
    const pieces = ['', 'a', '/', '~', 'é', '\u0000', '\ud800', '\udc00', '😀', ' ', 'LIMIT_EXCEEDED', '/components/0'];
    let text = '';
    for (let i = int(5); i > 0; i--) text += pick(pieces);
    return text;
  };
  const value = (depth: number): unknown => {
    const kind = int(depth > 3 ? 9 : 14);
    switch (kind) {
      case 0: return undefined;
      case 1: return null;
      case 2: return next() < 0.5;
      case 3: return pick([0, -0, 1, -1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MIN_VALUE]);
      case 4: return BigInt(int(1000)) - 500n;
      case 5: return string();
      // A symbol as a field of an Error breaks `String(error)`: see the cases below.
      case 6: return depth === 0 ? Symbol(string()) : string();
      case 7: return pick(CODES);
      case 8: return () => string();
      case 9: {
        const items: unknown[] = [];
        for (let i = int(4); i > 0; i--) items.push(value(depth + 1));
        return items;
      }
      case 10:
      case 11: {
        const record: Record<string, unknown> = {};
        for (let i = int(5); i > 0; i--) record[pick(KEYS)] = next() < 0.4 ? pick(CODES) : value(depth + 1);
        return record;
      }
      case 12: {
        // An Error as the wasm glue throws it: code and path set on it, of any type.
        const error = new (pick([Error, TypeError, RangeError]))(string());
        for (let i = int(4); i > 0; i--) Object.assign(error, { [pick(KEYS.slice(0, 4))]: next() < 0.5 ? pick(CODES) : value(depth + 1) });
        return error;
      }
      default:
        return new EvaluatorError(pick(['INVALID_JSON', 'ABORTED', 'INTERNAL'] as const), string(), string());
    }
  };
  return { value, string, pick, next };
}

function expectTyped(error: unknown): asserts error is EvaluatorError {
  expect(error).toBeInstanceOf(EvaluatorError);
  const typed = error as EvaluatorError;
  expect(isErrorCode(typed.code)).toBe(true);
  expect(typeof typed.message).toBe('string');
  expect(typeof typed.path).toBe('string');
}

describe('decoding errors from arbitrary values', () => {
  it('turns any thrown value into a typed error, whose wire form crosses a worker boundary and comes back the same', () => {
    const { value } = generator(15);
    for (let i = 0; i < 5000; i++) {
      const thrown = value(0);
      let error: EvaluatorError;
      try {
        error = toEvaluatorError(thrown);
      } catch (failure) {
        throw new Error(`case ${i}: toEvaluatorError threw ${String(failure)}`);
      }
      expectTyped(error);
      const wire = toWireError(thrown);
      // The wire form is what postMessage carries: it must survive the structured clone.
      const back = fromWireError(structuredClone(wire));
      expectTyped(back);
      expect([back.code, back.message, back.path]).toEqual([error.code, error.message, error.path]);
    }
  });

  it('rebuilds a typed error from any wire-shaped object, an unknown code as INTERNAL', () => {
    const { string, pick, next } = generator(16);
    for (let i = 0; i < 5000; i++) {
      const wire: WireError = { name: string(), code: pick(CODES), message: string(), path: string() };
      if (next() < 0.3) wire.details = { url: string(), status: Math.floor(next() * 600), hint: string() };
      const error = fromWireError(wire);
      expectTyped(error);
      expect(error.code).toBe(isErrorCode(wire.code) ? wire.code : 'INTERNAL');
      expect([error.message, error.path]).toEqual([wire.message, wire.path]);
    }
  });

  // Values no engine or glue code throws, for which `String(thrown)` itself throws: the message
  // then names the value's type (this test found it; they were `it.fails` cases until fixed).
  it('turns an object without a prototype into a typed error', () => {
    expectTyped(toEvaluatorError(Object.create(null)));
  });

  it('turns an object whose toString throws into a typed error', () => {
    expectTyped(toEvaluatorError({ toString: () => { throw new Error('no'); } }));
  });

  it('turns an Error whose message is a symbol into a typed error', () => {
    expectTyped(toEvaluatorError(Object.assign(new Error('x'), { message: Symbol('m') })));
  });

  it('turns a data object with a toString key (JSON.parse of {"toString":1}) into a typed error', () => {
    expectTyped(toEvaluatorError(JSON.parse('{"toString":1}')));
  });
});
