/**
 * Loading: nothing loads before the first call, `init()` lets the host say where the wasm is,
 * and the errors say what to do when the package cannot find it.
 */
import { describe, expect, it } from 'vitest';
import { makeApi } from '../../../js/api.js';
import { sourceOf } from '../../../js/platform.js';
import { nodePlatform } from '../../../js/platforms/node.js';
import { checkedWasmUrl } from '../../../js/wasm-url.js';
import { kubernetesDefinitions, shopDesign, wasmBytes } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';

const definitions = kubernetesDefinitions();
const compiled = await WebAssembly.compile(wasmBytes);

describe('init()', () => {
  it('is how a host supplies the wasm when the default location has none, and is refused once an engine runs', async () => {
    // The Node platform run from the TypeScript sources looks for js/relationship_evaluator_bg.wasm, which does not exist.
    const api = makeApi(nodePlatform);
    const subject = api.createEvaluator(definitions, { engine: 'main-thread' });
    const failure = await subject.loadDesign(shopDesign()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'EvaluatorError', code: 'WASM_LOAD_FAILED', message: expect.stringContaining('relationship_evaluator_bg.wasm') });
    await api.init(new Response(wasmBytes));
    expect((await subject.loadDesign(shopDesign())).revision).toBe(1);
    await expect(api.init(wasmBytes)).rejects.toMatchObject({ code: 'ALREADY_INITIALIZED' });
    await subject.dispose();
  });

  it('passes a compiled module on to the worker', async () => {
    const api = makeApi(nodePlatform);
    await api.init(compiled);
    const factory = workerFactory();
    const subject = api.createEvaluator(definitions, { worker: factory, engine: 'worker' });
    expect((await subject.loadDesign(shopDesign(2))).revision).toBe(1);
    expect(factory.made).toHaveLength(1);
    await subject.dispose();
  });

  it('accepts a URL, a Response or a promise of one, bytes, and a module', async () => {
    expect(await sourceOf(new URL('https://cdn.example/relationship_evaluator_bg.wasm'))).toEqual({ kind: 'url', url: 'https://cdn.example/relationship_evaluator_bg.wasm' });
    expect(await sourceOf('file:///opt/app/evaluator.wasm')).toEqual({ kind: 'url', url: 'file:///opt/app/evaluator.wasm' });
    const fromResponse = await sourceOf(Promise.resolve(new Response(wasmBytes)));
    expect(fromResponse.kind === 'bytes' && Buffer.from(fromResponse.bytes).equals(wasmBytes)).toBe(true);
    const view = new DataView(wasmBytes.buffer, 8, 4);
    const fromView = await sourceOf(view);
    expect(fromView.kind === 'bytes' && [...fromView.bytes]).toEqual([...wasmBytes.subarray(8, 12)]);
    expect(await sourceOf(compiled)).toEqual({ kind: 'module', module: compiled });
    await expect(sourceOf(new Response('', { status: 404 }))).rejects.toMatchObject({ code: 'WASM_LOAD_FAILED', message: expect.stringContaining('404') });
    await expect(sourceOf(42 as never)).rejects.toMatchObject({ code: 'WASM_LOAD_FAILED' });
  });
});

describe('locating the wasm', () => {
  it('asks for init() instead of guessing when the package was loaded from a data: or blob: URL', () => {
    expect(() => checkedWasmUrl(new URL('data:text/javascript,export{}'))).toThrow(expect.objectContaining({ code: 'INIT_REQUIRED', message: expect.stringContaining('call init(') }));
    expect(() => checkedWasmUrl(new URL('blob:https://app.example/5f0e'))).toThrow(expect.objectContaining({ code: 'INIT_REQUIRED' }));
    expect(checkedWasmUrl(new URL('https://app.example/assets/relationship_evaluator_bg.wasm')).href).toBe('https://app.example/assets/relationship_evaluator_bg.wasm');
  });

  it("resolves Turbopack's scheme-less asset URL (Next.js) against the page's or the worker's location", () => {
    // What Turbopack makes of `new URL('./relationship_evaluator_bg.wasm', import.meta.url)`: a URL
    // whose href is the emitted path and whose protocol (and origin) are empty.
    const path = '/_next/static/media/relationship_evaluator_bg.1f4e09vsqso--.wasm';
    const turbopack = Object.create(URL.prototype, { href: { value: path }, protocol: { value: '' }, origin: { value: '' } }) as URL;
    expect(checkedWasmUrl(turbopack, 'https://app.example/_next/static/chunks/turbopack-worker-1hrsqshz0gfey.js').href).toBe(`https://app.example${path}`);
    expect(checkedWasmUrl(turbopack, 'http://127.0.0.1:3000/designs/1').href).toBe(`http://127.0.0.1:3000${path}`);
    expect(() => checkedWasmUrl(turbopack, undefined)).toThrow(expect.objectContaining({ code: 'INIT_REQUIRED', message: expect.stringContaining(path) }));
  });
});
