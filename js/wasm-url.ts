/** Where the wasm sits when the host did not say: next to this package's own JavaScript. */
import { EvaluatorError } from './errors.js';

function initRequired(detail: string, cause?: unknown): EvaluatorError {
  return new EvaluatorError(
    'INIT_REQUIRED',
    `call init(url | bytes | WebAssembly.Module) before the first evaluation: this runtime cannot locate relationship_evaluator_bg.wasm by itself (${detail})`,
    '',
    { cause },
  );
}

/**
 * Only URLs the glue can fetch (or Node can read) locate the wasm. Turbopack (Next.js) compiles
 * `new URL('./…', import.meta.url)` into a URL-like object without a scheme whose `href` is the
 * emitted file's path (`/_next/static/media/…`): that path is resolved against `base` (the page's
 * or the worker's location), as a browser resolves it when fetching.
 */
export function checkedWasmUrl(url: URL, base: string | undefined = (globalThis as { location?: { href?: string } }).location?.href): URL {
  let located = url;
  if (url.protocol === '' && base !== undefined) {
    try {
      located = new URL(String(url.href), base);
    } catch {
      // Not a path either: reported below.
    }
  }
  if (located.protocol === 'http:' || located.protocol === 'https:' || located.protocol === 'file:') return located;
  throw initRequired(url.protocol ? `the package was loaded from a ${url.protocol} URL` : `the package's URL has no scheme: ${JSON.stringify(String(url.href))}`);
}

/**
 * `relationship_evaluator_bg.wasm` next to this module. Bundlers (Vite, webpack) recognise the
 * `new URL('./…', import.meta.url)` form and emit the file as an asset.
 */
export function defaultWasmUrl(): URL {
  let url: URL;
  try {
    url = new URL('./relationship_evaluator_bg.wasm', import.meta.url);
  } catch (cause) {
    throw initRequired(`import.meta.url is ${JSON.stringify(String(import.meta.url))}`, cause);
  }
  return checkedWasmUrl(url);
}
