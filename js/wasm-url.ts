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

/** Only URLs the glue can fetch (or Node can read) locate the wasm. */
export function checkedWasmUrl(url: URL): URL {
  if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'file:') return url;
  throw initRequired(`the package was loaded from a ${url.protocol} URL`);
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
