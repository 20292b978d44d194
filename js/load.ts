/**
 * Instantiates an engine: the WebAssembly build through its wasm-bindgen glue, or the JavaScript
 * (wasm2js) build, which is a separate file loaded only when it is needed.
 */
import initWasm, * as wasmGlue from '../pkg/web/relationship_evaluator.js';
import type { EngineModule } from './engine-module.js';
import { EvaluatorError, toEvaluatorError, type LoadingDetails } from './errors.js';
import type { WasmSource } from './protocol.js';
import { defaultWasmUrl } from './wasm-url.js';

/** What the glue instantiates from. */
export type WasmInput = URL | Uint8Array | WebAssembly.Module | Response;

/** The wasm input for a source on a platform that fetches URLs (browsers, workers, Deno, edge). */
export async function fetchableInput(source: WasmSource): Promise<WasmInput> {
  switch (source.kind) {
    case 'default':
      return defaultWasmUrl();
    case 'url':
      return new URL(source.url);
    case 'bytes':
      return source.bytes;
    case 'module':
      return source.module;
  }
}

/** The smallest valid module: compiling it tells whether this runtime may compile wasm at all. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

const CSP_HINT = "the page's Content-Security-Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to script-src (in a worker, to the worker script's own CSP header)";

const PRE_BUNDLING_HINT =
  "the server answered with an HTML page instead of the wasm: a dev server's dependency pre-bundling moved the package away from its files (Vite: optimizeDeps: { exclude: ['@meshery/relationship-evaluator'] }), or an SPA fallback serves index.html because the file is not deployed at that URL";

/**
 * Why WebAssembly cannot be used here, or `null` when it can. Catches both a missing
 * `WebAssembly` and a CSP without 'wasm-unsafe-eval' (compilation throws a CompileError).
 * A `precompiled` module needs no compiling: workerd forbids compiling from bytes at run time
 * but instantiates the modules it imported.
 */
export function wasmUnavailableReason(precompiled = false): string | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
    return 'this runtime has no WebAssembly';
  }
  if (precompiled) return null;
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return null;
  } catch (error) {
    return `compiling WebAssembly is not allowed here (${String(error)}); ${CSP_HINT}`;
  }
}

const isHtml = (contentType: string | null): boolean => contentType !== null && /\b(text\/html|application\/xhtml)/i.test(contentType);
const isWasmType = (contentType: string | null): boolean => contentType !== null && /^application\/wasm\b/i.test(contentType.trim());

/** The hint for a response that could not be used, from its status, its type and the compile error. */
export function loadingHint(status: number | undefined, contentType: string | null | undefined, error: string): string | undefined {
  if (/Content.Security.Policy|wasm-unsafe-eval|unsafe-eval/i.test(error)) return CSP_HINT;
  if (isHtml(contentType ?? null) || /found 3c 21 64 6f|found 3c 21 44 4f|found 3c 68 74 6d|found 3c 48 54 4d/i.test(error)) return PRE_BUNDLING_HINT;
  if (status === 404) {
    return "the wasm is not at that URL: serve relationship_evaluator_bg.wasm next to the package's JavaScript (a bundler emits it from new URL('./relationship_evaluator_bg.wasm', import.meta.url)), or call init(url) with where it is";
  }
  if (status !== undefined && status >= 400) return `the server refused the wasm (HTTP ${status})`;
  if (contentType !== undefined && !isWasmType(contentType)) {
    return `the server sent the wasm as ${contentType === null ? 'no Content-Type' : JSON.stringify(contentType)}: serve .wasm files as application/wasm (and check the file is the package's, not a truncated or rewritten copy)`;
  }
  return undefined;
}

function loadFailed(what: string, details: LoadingDetails, cause?: unknown): EvaluatorError {
  const received = details.status === undefined ? '' : ` (HTTP ${details.status}, Content-Type ${details.contentType ?? 'none'})`;
  const where = details.url ? ` from ${details.url}${received}` : '';
  const hint = details.hint ? `. Hint: ${details.hint}` : '';
  return new EvaluatorError('WASM_LOAD_FAILED', `could not load the WebAssembly engine${where}: ${what}${hint}`, '', { cause, details });
}

/** Fetches the wasm, refusing early (with the status, type and a hint) a response that cannot be it. */
async function fetchWasm(url: URL): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw loadFailed(`the request failed (${String(cause)})`, {
      url: url.href,
      hint: /Content.Security.Policy/i.test(String(cause))
        ? "the page's Content-Security-Policy does not allow fetching it: add its origin to connect-src"
        : 'the server is unreachable, or a CORS or CSP (connect-src) rule blocked the request; call init(url) to load it from elsewhere',
    }, cause);
  }
  const contentType = response.headers.get('content-type');
  const details = { url: response.url || url.href, status: response.status, contentType };
  if (!response.ok) throw loadFailed(`the server answered HTTP ${response.status}`, { ...details, hint: loadingHint(response.status, contentType, '') });
  if (isHtml(contentType)) throw loadFailed('the response is an HTML page, not WebAssembly', { ...details, hint: PRE_BUNDLING_HINT });
  return response;
}

/** Instantiates the WebAssembly engine. Errors: WASM_UNAVAILABLE or WASM_LOAD_FAILED. */
export async function instantiateWasm(input: WasmInput | Promise<WasmInput>): Promise<EngineModule> {
  // Whether the input is a compiled module decides availability, so it is awaited first; a
  // failure to read it is reported only when WebAssembly is usable (the ladder falls through
  // to the JavaScript engine on WASM_UNAVAILABLE alone).
  const settled = await Promise.resolve(input).then((value) => ({ value }), (cause: unknown) => ({ cause }));
  const precompiled = 'value' in settled && typeof WebAssembly === 'object' && settled.value instanceof WebAssembly.Module;
  const unavailable = wasmUnavailableReason(precompiled);
  if (unavailable) throw new EvaluatorError('WASM_UNAVAILABLE', unavailable, '', { details: { hint: CSP_HINT } });
  let details: LoadingDetails = {};
  try {
    if ('cause' in settled) throw settled.cause;
    let source = settled.value;
    if (source instanceof URL && (source.protocol === 'http:' || source.protocol === 'https:') && typeof fetch === 'function') {
      source = await fetchWasm(source);
    }
    if (typeof Response === 'function' && source instanceof Response) {
      details = { url: source.url || undefined, status: source.status, contentType: source.headers.get('content-type') };
    } else if (source instanceof URL) {
      details = { url: source.href };
    }
    await initWasm({ module_or_path: source });
  } catch (cause) {
    if (cause instanceof EvaluatorError) throw cause;
    const hint = loadingHint(details.status, details.contentType, String(cause));
    throw loadFailed(String(cause), hint ? { ...details, hint } : details, cause);
  }
  return wasmGlue;
}

/**
 * Where the JavaScript engine (the Rust core through wasm2js, 2.7 MB) comes from: a URL of the
 * package's `js-engine.js` (works inside a worker too), or a loader such as
 * `() => import('@meshery/relationship-evaluator/js-engine')` (this thread only).
 */
export type JsEngineLocation = string | URL | (() => Promise<unknown>);

const JS_ENGINE_OPT_IN =
  "a bundled app opts in to the JavaScript engine: createEvaluator(definitions, { jsEngine: url }) with the URL of @meshery/relationship-evaluator/js-engine (Vite: import url from '@meshery/relationship-evaluator/js-engine?url'; webpack: new URL('@meshery/relationship-evaluator/js-engine', import.meta.url)), or { jsEngine: () => import('@meshery/relationship-evaluator/js-engine') } to load it in this thread";

/**
 * `js-engine.js` next to this module (the package's own directory when it is not bundled). Not
 * written as `new URL('./…', import.meta.url)`, the form bundlers follow, nor with a literal path
 * (Turbopack follows `import.meta.url` through a variable): a bundled app carries the 2.7 MB file
 * only when it asks for it with `jsEngine`.
 */
export function defaultJsEngineUrl(): URL {
  const here = import.meta.url;
  return new URL(['.', 'js-engine.js'].join('/'), here);
}

/**
 * The module URL an `import()` may load: only http(s) and file URLs, never data:, blob: or
 * javascript: (no code from strings); everything else is an ENGINE_UNAVAILABLE naming it.
 */
export function moduleHref(location: string | URL): string {
  let url: URL;
  try {
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    url = new URL(String(location), base);
  } catch (cause) {
    throw new EvaluatorError('ENGINE_UNAVAILABLE', `the jsEngine location ${JSON.stringify(String(location))} is not a URL`, '', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') {
    throw new EvaluatorError('ENGINE_UNAVAILABLE', `the JavaScript engine is loaded only from http:, https: or file: URLs, not ${url.protocol}`);
  }
  return url.href;
}

function asEngineModule(value: unknown, where: string): EngineModule {
  const module = value as Partial<EngineModule> | null;
  if (module && typeof module.Evaluator === 'function' && typeof module.engineVersion === 'function' && typeof module.isPoisoned === 'function') {
    return module as EngineModule;
  }
  throw new EvaluatorError('ENGINE_UNAVAILABLE', `${where} is not the package's JavaScript engine (it has no Evaluator, engineVersion and isPoisoned exports)`);
}

/**
 * Loads the JavaScript engine (the same Rust source through wasm2js) from `location`, by default
 * the file next to this module. Errors: ENGINE_UNAVAILABLE, with the URL tried and how to opt in.
 */
export async function loadJsEngine(location: JsEngineLocation = defaultJsEngineUrl()): Promise<EngineModule> {
  if (typeof location === 'function') {
    let loaded: unknown;
    try {
      loaded = await location();
    } catch (cause) {
      throw new EvaluatorError('ENGINE_UNAVAILABLE', `could not load the JavaScript engine: the jsEngine loader failed: ${toEvaluatorError(cause).message}`, '', { cause });
    }
    return asEngineModule(loaded, 'what the jsEngine loader returned');
  }
  const href = moduleHref(location);
  let loaded: unknown;
  try {
    // The one computed import of the package: only what moduleHref vets (the security scan of
    // dist/ checks this form); bundlers are told not to follow it.
    loaded = await import(/* webpackIgnore: true */ /* @vite-ignore */ moduleHref(href));
  } catch (cause) {
    const hint = href === defaultJsEngineUrl().href ? JS_ENGINE_OPT_IN : 'check that the URL serves the package\'s dist/js-engine.js';
    throw new EvaluatorError('ENGINE_UNAVAILABLE', `could not load the JavaScript engine from ${href}: ${toEvaluatorError(cause).message}. Hint: ${hint}`, '', {
      cause,
      details: { url: href, hint },
    });
  }
  return asEngineModule(loaded, href);
}
