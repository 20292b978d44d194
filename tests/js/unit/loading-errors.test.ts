/**
 * A wasm that cannot be loaded says what was requested, what came back, and what usually causes
 * it — through the loader with a fake `fetch`, the way a misconfigured server or dev server answers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeApi } from '../../../js/api.js';
import { instantiateWasm } from '../../../js/load.js';
import { workerPlatform } from '../../../js/platforms/worker.js';
import { kubernetesDefinitions, shopDesign, wasmBytes } from '../helpers/fixtures.js';

const url = new URL('http://localhost:5173/node_modules/.vite/deps/relationship_evaluator_bg.wasm');

/** A fetch that answers every request with `body` and `init`, and records the URLs asked for. */
function fakeFetch(body: BodyInit | null, init: ResponseInit): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (input: URL | string) => {
    asked.push(String(input));
    return new Response(body, init);
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WASM_LOAD_FAILED', () => {
  it('for an HTML page instead of the wasm: the URL, status, content type, and the pre-bundling hint', async () => {
    const asked = fakeFetch('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const error = await instantiateWasm(url).catch((thrown: unknown) => thrown);
    expect(asked).toEqual([url.href]);
    expect(error).toMatchObject({
      code: 'WASM_LOAD_FAILED',
      details: { url: url.href, status: 200, contentType: 'text/html', hint: expect.stringContaining("optimizeDeps: { exclude: ['@meshery/relationship-evaluator'] }") },
    });
    expect((error as Error).message).toBe(
      `could not load the WebAssembly engine from ${url.href} (HTTP 200, Content-Type text/html): the response is an HTML page, not WebAssembly. Hint: ${(error as { details: { hint: string } }).details.hint}`,
    );
  });

  it('for an HTML body under another type: recognised from the bytes the compiler found', async () => {
    fakeFetch('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    const error = await instantiateWasm(url).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'WASM_LOAD_FAILED', details: { status: 200, contentType: 'application/octet-stream', hint: expect.stringContaining('optimizeDeps') } });
    expect((error as Error).message).toMatch(/3c 21 64 6f/);
  });

  it('for a 404: the status and where the wasm must be served', async () => {
    fakeFetch('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    await expect(instantiateWasm(url)).rejects.toMatchObject({
      code: 'WASM_LOAD_FAILED',
      message: expect.stringContaining(`from ${url.href} (HTTP 404, Content-Type text/plain): the server answered HTTP 404`),
      details: { status: 404, hint: expect.stringContaining('call init(url)') },
    });
  });

  it('for bytes that are not wasm under a wrong MIME type: the application/wasm hint', async () => {
    fakeFetch(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00]), { status: 200, headers: { 'content-type': 'text/plain' } });
    await expect(instantiateWasm(url)).rejects.toMatchObject({
      code: 'WASM_LOAD_FAILED',
      details: { contentType: 'text/plain', hint: expect.stringContaining('serve .wasm files as application/wasm') },
    });
  });

  it('for a request that fails: the URL and the causes (unreachable, CORS, CSP connect-src)', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(instantiateWasm(url)).rejects.toMatchObject({
      code: 'WASM_LOAD_FAILED',
      message: expect.stringContaining(`from ${url.href}: the request failed (TypeError: Failed to fetch)`),
      details: { url: url.href, hint: expect.stringContaining('connect-src') },
    });
  });

  it('reaches the caller through the evaluator, with the rungs skipped before it', async () => {
    fakeFetch('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const api = makeApi(workerPlatform);
    await api.init(url);
    const evaluator = api.createEvaluator(kubernetesDefinitions());
    const error = await evaluator.loadDesign(shopDesign()).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'WASM_LOAD_FAILED',
      details: {
        url: url.href,
        contentType: 'text/html; charset=utf-8',
        hint: expect.stringContaining('optimizeDeps'),
        skipped: [{ kind: 'worker', reason: expect.stringContaining('the worker build evaluates in its own thread') }],
      },
    });
    expect((error as Error).message).toContain('(skipped before it: worker: the worker build evaluates in its own thread');
    await evaluator.dispose();
  });

  it('a good response still loads (the check does not get in the way)', async () => {
    fakeFetch(wasmBytes, { status: 200, headers: { 'content-type': 'application/wasm' } });
    const engine = await instantiateWasm(url);
    expect(typeof engine.engineVersion()).toBe('string');
  });
});
