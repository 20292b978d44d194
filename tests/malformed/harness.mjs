// Runs the malformed-input corpus of issue #6 (tests/malformed/corpus.rs, exported by
// `cargo run --example malformed-corpus`) through a JavaScript-facing engine: the WebAssembly
// package (pkg/web) or the JavaScript engine (dist/js-engine.js, wasm2js). Used by
// tests/js/node/malformed-corpus.test.mjs, which runs it for both.
//
// The cases run in a worker thread (tests/malformed/worker.mjs), one after the other; the main
// thread bounds each case in time. A case over its bound, a worker that dies, or an instance
// poisoned by a panic fails that case, and a fresh worker (a fresh instance) continues with the
// next one, so one bad case cannot hide the others.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';

// ---------------------------------------------------------------------------------------------
// The corpus.

/**
 * The exported corpus: the file named by MALFORMED_CORPUS when set (an earlier
 * `cargo run --example malformed-corpus > file`), otherwise the example's output (a debug build;
 * `cargo test --examples` has built everything it needs but the example itself).
 */
export async function loadCorpus(root) {
  let text;
  if (process.env.MALFORMED_CORPUS) {
    text = await readFile(process.env.MALFORMED_CORPUS, 'utf8');
  } else {
    try {
      text = execFileSync('cargo', ['run', '--quiet', '--example', 'malformed-corpus'], {
        cwd: new URL('.', root), encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(`cannot export the corpus with \`cargo run --example malformed-corpus\`: ${error.message}\n${error.stderr ?? ''}`);
    }
  }
  const corpus = JSON.parse(text);
  if (corpus.format !== 'meshery-relationship-evaluator/malformed-corpus' || corpus.version !== 1) {
    throw new Error(`not a malformed-input corpus of version 1: ${corpus.format} ${corpus.version}`);
  }
  return { corpus, text };
}

const utf8 = new TextEncoder();
// A BOM is part of the input (one case starts with one), so it is kept.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function concatBytes(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The bytes an input expression stands for (the grammar is in tests/malformed/corpus.rs). */
export function materialize(input, blobs, cache = new Map()) {
  if (typeof input === 'string') return utf8.encode(input);
  const [[kind, args]] = Object.entries(input);
  switch (kind) {
    case 'hex': return Uint8Array.from(Buffer.from(args, 'hex'));
    case 'blob': {
      if (!cache.has(args)) {
        if (typeof blobs[args] !== 'string') throw new Error(`no blob ${args}`);
        cache.set(args, utf8.encode(blobs[args]));
      }
      return cache.get(args);
    }
    case 'concat': return concatBytes(args.map((part) => materialize(part, blobs, cache)));
    case 'repeat': {
      const [part, count] = args;
      const once = materialize(part, blobs, cache);
      const out = new Uint8Array(once.length * count);
      for (let i = 0; i < count; i++) out.set(once, i * once.length);
      return out;
    }
    case 'slice': {
      const [of, start, end] = args;
      return materialize(of, blobs, cache).slice(start, end);
    }
    case 'splice': {
      const [of, start, end, replacement] = args;
      const whole = materialize(of, blobs, cache);
      return concatBytes([whole.subarray(0, start), materialize(replacement, blobs, cache), whole.subarray(end)]);
    }
    case 'numbered': {
      const [before, after, count, separator] = args;
      const items = new Array(count);
      for (let i = 0; i < count; i++) items[i] = `${before}${i}${after}`;
      return utf8.encode(items.join(separator));
    }
    default: throw new Error(`unknown input expression ${kind}`);
  }
}

/** The text an input stands for (every text input is UTF-8; fails loudly otherwise). */
export function materializeText(input, blobs, cache) {
  return strictUtf8.decode(materialize(input, blobs, cache));
}

/** Every input of an entry, in field order (as `Entry::inputs` in corpus.rs). */
function entryInputs(entry) {
  return Object.entries(entry).flatMap(([key, value]) => {
    if (key === 'entry') return [];
    if (key === 'start') return [value.definitions, value.options, value.design];
    return [value];
  });
}

/** FNV-1a (32-bit, hex) of the bytes of a case's inputs, as `Corpus::fill_digests` computes it. */
export function digest(testCase, blobs, cache) {
  let hash = 0x811c9dc5;
  for (const input of [...entryInputs(testCase.entry), ...(testCase.reduced ? entryInputs(testCase.reduced) : [])]) {
    const bytes = materialize(input, blobs, cache);
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// Judging (as tests/malformed_inputs.rs judges).

/** Why an outcome does not meet the expectation, or null when it does. */
export function judge(expect, outcome) {
  if (outcome.problems.length > 0) return outcome.problems.join('; ');
  const got = outcome.error ? `${outcome.error.code} at ${JSON.stringify(outcome.error.path)}: ${outcome.error.message}` : 'a valid result';
  if ('valid' in expect) return outcome.error ? `expected a valid result (${expect.valid}), got ${got}` : null;
  const { code, path, match } = expect.error;
  if (!outcome.error) return `expected ${code}, got a valid result`;
  if (outcome.error.code !== code) return `expected ${code}, got ${got}`;
  if (!outcome.error.message) return `${code} has an empty message`;
  const pathOk = match === 'prefix' ? outcome.error.path.startsWith(path) : outcome.error.path === path;
  if (!pathOk) return `expected path ${match} ${JSON.stringify(path)}, got ${got}`;
  if (!(outcome.error.path === '' || outcome.error.path.startsWith('/'))) return `path ${JSON.stringify(outcome.error.path)} is not a JSON pointer`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Running the cases (called in the worker).

/** `value` at a JSON pointer, own properties only (a `__proto__` key is an ordinary key here). */
export function at(value, pointer) {
  if (pointer === '') return value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) value = /^\d+$/.test(key) ? value[Number(key)] : undefined;
    else if (value !== null && typeof value === 'object' && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

function describe(thrown) {
  if (thrown instanceof Error) return `${thrown.constructor?.name ?? 'Error'} ${thrown.name}: ${thrown.message}`;
  return `${typeof thrown} ${String(thrown)}`;
}

/**
 * Calls `f`; its value, or the error it threw as `{code, path, message}` when it is what the
 * wasm-bindgen boundary throws for a core error: an `Error` named `EvaluatorError` with string
 * `code` and `path` (the package's `toEvaluatorError` keeps both). Anything else thrown is a
 * problem.
 */
function attempt(f) {
  try {
    return { value: f(), problems: [] };
  } catch (thrown) {
    if (thrown instanceof Error && thrown.name === 'EvaluatorError' && typeof thrown.code === 'string' && typeof thrown.path === 'string') {
      return { error: { code: thrown.code, path: thrown.path, message: thrown.message }, problems: [] };
    }
    return { error: { code: 'THROWN', path: '', message: describe(thrown) }, problems: [`threw something other than an EvaluatorError: ${describe(thrown)}`] };
  }
}

/** A contract answer (always a string, never a throw) as an outcome. */
function contractAnswer(f) {
  let answer;
  try {
    answer = f();
  } catch (thrown) {
    return { error: { code: 'THROWN', path: '', message: describe(thrown) }, problems: [`the contract threw instead of answering {"error": …}: ${describe(thrown)}`] };
  }
  if (typeof answer !== 'string') return { problems: [`the contract answered a ${typeof answer}, not a string`] };
  let parsed;
  try {
    parsed = JSON.parse(answer);
  } catch {
    return { problems: [`the contract answered text that is not JSON: ${answer.slice(0, 200)}`] };
  }
  if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
    const { error, code, path } = parsed;
    if (typeof error !== 'string' || typeof code !== 'string' || typeof path !== 'string') {
      return { problems: [`malformed contract error ${answer.slice(0, 300)}`] };
    }
    return { error: { code, path, message: error }, problems: [] };
  }
  return { value: answer, problems: [] };
}

/**
 * One engine, with what the cases share: the witness evaluator (kubernetes definitions, base
 * design) and the evaluators of one-off evaluations by (definitions, options).
 */
export class CaseRunner {
  constructor(engine, corpus) {
    this.engine = engine; // { Evaluator, isPoisoned, contract? }
    this.corpus = corpus;
    this.blobCache = new Map();
    this.evaluators = new Map(); // key → { evaluator, state } | { made: the failed attempt }; last few only
    this.contractFresh = undefined; // the definitions key while the contract's engine is untouched
    const witnessStart = { definitions: { blob: 'kubernetesDefinitions' }, options: '', design: { blob: 'baseDesign' } };
    this.witness = this.start(witnessStart);
    this.witnessState = this.state(this.witness);
  }

  text(input) {
    return materializeText(input, this.corpus.blobs, this.blobCache);
  }

  bytes(input) {
    return materialize(input, this.corpus.blobs, this.blobCache);
  }

  state(evaluator) {
    return [evaluator.design(), evaluator.revision];
  }

  /** A fresh evaluator built from a START (must succeed). */
  start(start) {
    const evaluator = new this.engine.Evaluator(this.text(start.definitions), this.text(start.options));
    evaluator.loadDesign(this.text(start.design));
    return evaluator;
  }

  /** The evaluator of one-off evaluations with these definitions and options (kept for a few cases). */
  evaluatorFor(definitions, options) {
    const key = JSON.stringify([definitions, options]);
    let entry = this.evaluators.get(key);
    if (!entry) {
      const made = attempt(() => new this.engine.Evaluator(this.text(definitions), this.text(options)));
      entry = made.value ? { evaluator: made.value, state: this.state(made.value) } : { made };
      this.evaluators.set(key, entry);
      if (this.evaluators.size > 4) {
        const [oldest, old] = this.evaluators.entries().next().value;
        old.evaluator?.free();
        this.evaluators.delete(oldest);
      }
    }
    return entry;
  }

  /** `new Evaluator(definitions, options).evaluateDesign(design)`, the evaluator unchanged. */
  evaluateWith(design, definitions, options) {
    const entry = this.evaluatorFor(definitions, options);
    if (!entry.evaluator) return { ...entry.made, problems: [...entry.made.problems] };
    const outcome = attempt(() => entry.evaluator.evaluateDesign(this.text(design)));
    if (!isDeepStrictEqual(this.state(entry.evaluator), entry.state)) outcome.problems.push('evaluateDesign changed the evaluator');
    return outcome;
  }

  /** The contract's `init(definitions)`: `"{}"` or an `{"error": …}` answer. */
  contractInit(definitions) {
    this.contractFresh = undefined;
    const outcome = contractAnswer(() => this.engine.contract.init(this.text(definitions)));
    if (!outcome.error && outcome.value !== '{}') outcome.problems.push(`init answered ${outcome.value}, not {}`);
    return outcome;
  }

  /**
   * `init(definitions)` then `evaluate(design, "")`, on an engine no earlier evaluation has
   * touched: the contract's engine keeps Meshery's flap history across `evaluate` calls by design
   * id (spec §10.2), so evaluating hundreds of variants of one design on one engine would end in
   * FLAPPING. `init` is skipped only while the engine is fresh: initialised with these
   * definitions, and every evaluation since refused as `invalid design: …` (src/contract.rs
   * returns that before the engine runs).
   */
  contractEvaluate(design, definitions) {
    const key = JSON.stringify(definitions);
    if (this.contractFresh !== key) {
      const init = this.contractInit(definitions);
      if (init.error || init.problems.length > 0) return { ...init, problems: [...init.problems] };
      this.contractFresh = key;
    }
    const outcome = contractAnswer(() => this.engine.contract.evaluate(this.text(design), ''));
    if (!outcome.error?.message.startsWith('invalid design: ')) this.contractFresh = undefined;
    return outcome;
  }

  /** An outcome whose value is a new evaluator: it must answer, then it is freed. */
  made(outcome) {
    const evaluator = outcome.value;
    if (evaluator) {
      const answered = attempt(() => JSON.parse(evaluator.design()) && evaluator.revision);
      if (answered.error) outcome.problems.push(`the new evaluator does not answer design(): ${answered.error.message}`);
      evaluator.free();
      outcome.value = undefined;
    }
    return outcome;
  }

  /** Runs an edit or load on a fresh start evaluator; a failure must leave it unchanged. */
  stateful(start, call) {
    const evaluator = this.start(start);
    try {
      const before = this.state(evaluator);
      const outcome = attempt(() => call(evaluator));
      if (outcome.error) {
        const after = this.state(evaluator);
        if (!isDeepStrictEqual(before, after)) {
          outcome.problems.push(`state changed by a failed call (revision ${before[1]} → ${after[1]}, design equal: ${before[0] === after[0]})`);
        }
      } else {
        outcome.output = evaluator.design();
      }
      return outcome;
    } finally {
      evaluator.free();
    }
  }

  /**
   * [{ via, outcome }]: the case through the Evaluator class, and through the contract where it
   * applies. `reduce` runs the case's reduced form when it has one.
   */
  run(testCase, reduce = false) {
    const entry = (reduce && testCase.reduced) || testCase.entry;
    if (testCase.digest !== undefined && digest(testCase, this.corpus.blobs, this.blobCache) !== testCase.digest) {
      throw new Error(`the inputs materialised here differ from the Rust corpus's (digest ${testCase.digest})`);
    }
    const defaultOptions = (options) => ['', 'null'].includes(this.text(options).trim());
    const runs = [];
    const through = (via, f) => {
      const started = performance.now();
      const outcome = f();
      outcome.ms = performance.now() - started;
      outcome.output ??= outcome.value;
      runs.push({ via, outcome });
    };
    const contract = this.engine.contract;
    switch (entry.entry) {
      case 'evaluate':
        through('Evaluator', () => this.evaluateWith(entry.design, entry.definitions, entry.options));
        if (contract && defaultOptions(entry.options)) through('contract', () => this.contractEvaluate(entry.design, entry.definitions));
        break;
      case 'decodeDesign':
        through('Evaluator', () => this.evaluateWith(entry.design, '[]', ''));
        if (contract) through('contract', () => this.contractEvaluate(entry.design, '[]'));
        break;
      case 'newEvaluator':
        through('Evaluator', () => this.made(attempt(() => new this.engine.Evaluator(this.text(entry.definitions), this.text(entry.options)))));
        if (contract && defaultOptions(entry.options)) through('contract', () => this.contractInit(entry.definitions));
        break;
      case 'loadDesign':
        through('Evaluator', () => this.stateful(entry.start, (e) => e.loadDesign(this.text(entry.design))));
        break;
      case 'applyEdits':
        through('Evaluator', () => this.stateful(entry.start, (e) => e.applyEdits(this.text(entry.edits))));
        break;
      case 'restoreMsgpack':
        through('Evaluator', () => this.made(attempt(() => this.engine.Evaluator.restore(this.bytes(entry.bytes)))));
        break;
      case 'restoreJson':
        through('Evaluator', () => this.made(attempt(() => this.engine.Evaluator.importJson(this.text(entry.text)))));
        break;
      default:
        throw new Error(`${testCase.name}: entry ${entry.entry} cannot run in JavaScript`);
    }
    for (const { via, outcome } of runs) {
      for (const check of testCase.checks ?? []) {
        const problem = this.check(testCase, entry, check, outcome, via);
        if (problem) outcome.problems.push(problem);
      }
      // No case may touch another evaluator (the witness, built before the first case).
      if (!isDeepStrictEqual(this.state(this.witness), this.witnessState)) {
        outcome.problems.push('an unrelated evaluator (the witness) changed');
        this.witnessState = this.state(this.witness);
      }
    }
    return runs;
  }

  /** An extra check (`Check` in corpus.rs); null when it holds or does not apply. */
  check(testCase, entry, check, outcome, via) {
    if (check.check === 'messageContains') {
      return outcome.error && !outcome.error.message.includes(check.text) ? `the message does not name ${check.text}: ${outcome.error.message}` : null;
    }
    if (outcome.error || outcome.problems.length > 0) return null;
    if (check.check === 'designRoundTrip' || check.check === 'definitionRoundTrip') return null; // Rust-only
    const output = JSON.parse(outcome.output);
    const design = output.design;
    const input = () => JSON.parse(this.text(entry.design));
    switch (check.check) {
      case 'noSilentDrop': {
        const relationships = input().relationships ?? [];
        const kept = JSON.stringify(design?.relationships ?? null);
        const actions = JSON.stringify(output.actions ?? null);
        const announced = relationships.every((r) => kept.includes(r.id ?? '') || actions.includes(r.id ?? ''));
        const out = design?.relationships?.length ?? 0;
        return out < relationships.length && !announced ? `${relationships.length} relationships in, ${out} out, no action names the dropped one: silently dropped` : null;
      }
      case 'sameDesignWithDefinitions': {
        const other = via === 'contract'
          ? this.contractEvaluate(entry.design, check.definitions)
          : this.evaluateWith(entry.design, check.definitions, entry.options);
        if (other.error || other.problems.length > 0) return `the evaluation with other definitions failed: ${other.error?.message ?? other.problems.join('; ')}`;
        return isDeepStrictEqual(JSON.parse(other.value).design, design) ? null : 'the definitions changed the result';
      }
      case 'keepsRelationship':
        return (design?.relationships ?? []).some((r) => r.id === check.id) ? null : 'declaration dropped';
      case 'preservesPointers': {
        const given = input();
        const changed = check.pointers.filter((p) => !isDeepStrictEqual(at(design, p), at(given, p)));
        return changed.length > 0 ? changed.map((p) => `${p} changed: ${JSON.stringify(at(given, p))} → ${JSON.stringify(at(design, p))}`).join('; ') : null;
      }
      case 'responseStringBytes': {
        const value = at(design, check.pointer);
        const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : undefined;
        return bytes === check.bytes ? null : `string length now ${bytes}`;
      }
      case 'componentPointerEquals': {
        const component = (output.components ?? []).find((c) => c.id === check.id);
        const found = component === undefined ? undefined : at(component, check.pointer);
        return isDeepStrictEqual(found, check.value) ? null : `component ${check.id} has ${JSON.stringify(found)} at ${check.pointer}, expected ${JSON.stringify(check.value)}`;
      }
      default:
        return `unknown check ${check.check}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The main thread: workers, time bounds, results.

/**
 * Runs every case that is not Rust-only through `engine` ('wasm' or 'js'), in worker threads;
 * `reduce` runs the reduced form of the cases that have one. Returns
 * { results: [{ index, runs: [{ via, failure, kind, ms }] }], ms, workers, reduce }.
 */
export async function runCorpus({ engine, root, corpus, text, caseTimeoutMs, contract = true, reduce = false }) {
  const started = performance.now();
  const results = new Array(corpus.cases.length);
  let next = 0;
  let workers = 0;
  while (next < corpus.cases.length) {
    workers++;
    next = await new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
        workerData: { engine, root: root.href, corpusText: text, from: next, contract, reduce },
        stdout: false,
        stderr: false,
      });
      let current = null;
      let caseStarted = 0;
      let timer = null;
      let settled = false;
      const finish = (resumeAt, failure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure && current !== null) {
          results[current] = { index: current, runs: [{ via: 'case', failure, ms: performance.now() - caseStarted }] };
        }
        worker.terminate().finally(() => resolve(resumeAt));
      };
      worker.on('message', (message) => {
        if (message.type === 'begin') {
          current = message.index;
          caseStarted = performance.now();
          timer = setTimeout(() => finish(current + 1, `HANG: no answer within ${caseTimeoutMs / 1000} s`), caseTimeoutMs);
        } else if (message.type === 'done') {
          clearTimeout(timer);
          results[message.index] = { index: message.index, runs: message.runs };
          current = null;
          if (message.poisoned) {
            results[message.index].runs.push({ via: 'case', failure: 'the instance is poisoned (a panic in Rust) after this case', ms: 0 });
            finish(message.index + 1);
          }
        } else if (message.type === 'end') {
          finish(corpus.cases.length);
        }
      });
      worker.on('error', (error) => {
        if (current === null) {
          // Outside a case (loading the engine, building the witness): the harness is broken.
          settled = true;
          reject(error);
        } else {
          finish(current + 1, `the worker died: ${describe(error)}`);
        }
      });
      worker.on('exit', (code) => {
        if (settled) return;
        if (current === null) {
          settled = true;
          reject(new Error(`the corpus worker exited (${code}) between cases`));
        } else {
          finish(current + 1, `the worker exited with code ${code}`);
        }
      });
    });
  }
  return { results, ms: performance.now() - started, workers, reduce };
}

/**
 * Per channel (`Evaluator` class, `contract`, or `case` for a case that hung, crashed its worker
 * or poisoned the instance) and category: cases, typed errors, valid results, failures. Also the
 * cases that ran, the Rust-only ones, those run at reduced size, the error codes seen and the
 * slowest runs.
 */
export function summarize(corpus, run) {
  const channels = new Map();
  const slowest = [];
  const codes = new Set();
  let ran = 0;
  let rustOnly = 0;
  const reduced = [];
  for (const [index, testCase] of corpus.cases.entries()) {
    if (run.reduce && testCase.reduced) reduced.push(testCase.name);
    if (testCase.rustOnly) {
      rustOnly++;
      continue;
    }
    const result = run.results[index];
    if (!result) throw new Error(`case ${testCase.name} did not run`);
    ran++;
    for (const { via, failure, ms, kind, code } of result.runs) {
      if (code) codes.add(code);
      const channel = channels.get(via) ?? new Map();
      channels.set(via, channel);
      const category = channel.get(testCase.category) ?? { cases: 0, typed: 0, valid: 0, failures: [] };
      channel.set(testCase.category, category);
      category.cases++;
      if (failure) category.failures.push(`${testCase.name}: ${failure}`);
      else if (kind === 'typed') category.typed++;
      else category.valid++;
      slowest.push([ms, `${via}: [${testCase.category}] ${testCase.name}`]);
    }
  }
  slowest.sort((a, b) => b[0] - a[0]);
  return { channels, ran, rustOnly, reduced, codes, slowest: slowest.slice(0, 5) };
}
