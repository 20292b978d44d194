/**
 * The fallback ladder: Worker + WebAssembly → main-thread WebAssembly → JavaScript engine in a
 * worker → JavaScript engine in this thread. Each rung forced gives the same answers; `auto` takes
 * the highest rung that works and says why.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeApi } from '../../../js/api.js';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import type { EnginePreference } from '../../../js/ladder.js';
import { moduleHref, type JsEngineLocation } from '../../../js/load.js';
import type { WorkerLike } from '../../../js/worker-transport.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';
import { testPlatform } from '../helpers/platforms.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create, track } = disposedAfterEach();

afterEach(() => {
  vi.unstubAllGlobals();
});

function evaluator(engine: EnginePreference, worker?: () => WorkerLike, readyTimeoutMs?: number, jsEngine?: JsEngineLocation): RelationshipEvaluator {
  return create(definitions, { engine, worker, readyTimeoutMs, jsEngine });
}

/** A session's worth of calls; everything the engine answered, as text. */
async function transcript(subject: RelationshipEvaluator): Promise<string[]> {
  const out: unknown[] = [];
  out.push(await subject.loadDesign(shopDesign(3)));
  out.push(await subject.applyEdits([
    { op: 'addComponent', component: component('svc', 'Service', { spec: { selector: { app: 'web' } }, metadata: { namespace: 'shop' } }) },
    { op: 'setLabels', id: 'web-1', labels: { app: 'web' } },
    { op: 'moveComponent', id: 'web-0', x: 10, y: 20 },
  ]));
  out.push(await subject.applyEdits([{ op: 'removeComponent', id: 'web-2' }]));
  out.push(await subject.replaceDefinitions(definitions.filter((d) => d.subType !== 'inventory')));
  out.push(await subject.replaceDefinitions(definitions));
  out.push(await subject.evaluate());
  out.push(await subject.design());
  out.push(await subject.evaluateDesign(shopDesign(2, 'other')));
  return out.map((value) => JSON.stringify(value));
}

/**
 * Web Locks as the browser runs them, for the life locks of fake workers only: a request for a
 * fake worker's lock is granted once it releases it; other names (real workers) wait until
 * aborted, as for a worker that is alive.
 */
function fakeLifeLocks(): { hold(name: string): void; release(name: string): void } {
  const held = new Set<string>();
  const waiting = new Map<string, () => void>();
  vi.stubGlobal('navigator', {
    locks: {
      request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown> {
        return new Promise((resolve, reject) => {
          waiting.set(name, () => resolve(callback()));
          options.signal?.addEventListener('abort', () => {
            waiting.delete(name);
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      },
    },
  });
  return {
    hold: (name) => held.add(name),
    release: (name) => {
      held.delete(name);
      waiting.get(name)?.();
    },
  };
}

/**
 * The first `dying` workers take their life lock, say so, then stop without an error event (as a
 * worker killed by memory pressure does); the next ones come from `then`.
 */
function workersThatStopWhileStarting(locks: ReturnType<typeof fakeLifeLocks>, dying: number, then: () => WorkerLike): (() => WorkerLike) & { made: number } {
  const factory = Object.assign((): WorkerLike => {
    factory.made++;
    if (factory.made > dying) return then();
    const listeners = new Set<(event: unknown) => void>();
    return {
      postMessage(message: { type: string; lockName?: string }) {
        if (message.type !== 'init' || !message.lockName) return;
        const lockName = message.lockName;
        locks.hold(lockName);
        setTimeout(() => {
          for (const listener of listeners) listener({ data: { type: 'locked' } });
          setTimeout(() => locks.release(lockName), 5);
        }, 5);
      },
      addEventListener(type: string, listener: (event: unknown) => void) {
        if (type === 'message') listeners.add(listener);
      },
      removeEventListener(type: string, listener: (event: unknown) => void) {
        if (type === 'message') listeners.delete(listener);
      },
      terminate() {},
    };
  }, { made: 0 });
  return factory;
}

/** A worker that never answers the handshake. */
const silentWorker = (): WorkerLike => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, terminate() {} });

describe('each rung, forced', () => {
  it('worker, main thread and JavaScript engine (in a worker and in this thread) give the same answers, byte for byte', async () => {
    const onWorker = evaluator('worker', workerFactory());
    const onMain = evaluator('main-thread');
    const onJsWorker = evaluator('js-worker', workerFactory());
    const onJs = evaluator('js');
    const [worker, main, jsWorker, js] = await Promise.all([transcript(onWorker), transcript(onMain), transcript(onJsWorker), transcript(onJs)]);
    expect(main).toEqual(worker);
    expect(jsWorker).toEqual(worker);
    expect(js).toEqual(worker);
    expect((await onJsWorker.engine())).toMatchObject({ kind: 'js-worker', code: 'js' });
    expect((await onWorker.engine())).toMatchObject({ kind: 'worker', code: 'wasm', reason: "forced by the engine option ('worker')" });
    expect((await onMain.engine())).toMatchObject({ kind: 'main-thread', code: 'wasm' });
    expect((await onJs.engine())).toMatchObject({ kind: 'js', code: 'js' });
  });

  it('fails instead of falling back when the forced rung cannot start', async () => {
    await expect(evaluator('worker', workerFactory('broken-worker-thread')).design()).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    vi.stubGlobal('WebAssembly', undefined);
    await expect(evaluator('main-thread').design()).rejects.toMatchObject({ code: 'WASM_UNAVAILABLE', message: 'this runtime has no WebAssembly' });
  });
});

describe('auto', () => {
  it('uses the worker when one can be made', async () => {
    const factory = workerFactory();
    const subject = evaluator('auto', factory);
    await subject.loadDesign(shopDesign());
    expect(await subject.engine()).toMatchObject({ kind: 'worker', reason: 'Worker and WebAssembly are available', skipped: [] });
    expect(factory.made).toHaveLength(1);
  });

  it('falls back to main-thread WebAssembly when the worker script fails, and says why', async () => {
    const subject = evaluator('auto', workerFactory('broken-worker-thread'));
    const delta = await subject.loadDesign(shopDesign());
    expect(delta.revision).toBe(1);
    const info = await subject.engine();
    expect(info.kind).toBe('main-thread');
    expect(info.skipped).toEqual([{ kind: 'worker', reason: expect.stringContaining('broken on purpose') }]);
    expect(info.reason).toContain('worker: WORKER_CRASHED');
  });

  it('starts a worker again once when the first stopped silently while starting, and keeps the worker rung', async () => {
    const locks = fakeLifeLocks();
    const real = workerFactory();
    const dying = workersThatStopWhileStarting(locks, 1, real);
    const subject = evaluator('auto', dying);
    await subject.loadDesign(shopDesign());
    expect(await subject.engine()).toMatchObject({ kind: 'worker', skipped: [] });
    expect(dying.made).toBe(2);
    expect(real.made).toHaveLength(1);
  });

  it('goes on down the ladder when the second start stops silently too', async () => {
    const locks = fakeLifeLocks();
    const dying = workersThatStopWhileStarting(locks, 2, workerFactory());
    const subject = evaluator('auto', dying);
    await subject.loadDesign(shopDesign());
    expect(await subject.engine()).toMatchObject({ kind: 'main-thread', skipped: [{ kind: 'worker', reason: expect.stringContaining('stopped while it was starting') }] });
    expect(dying.made).toBe(2);
  });

  it('does not start again a worker whose script fails (that fails the same way each time)', async () => {
    const factory = workerFactory('broken-worker-thread');
    await evaluator('auto', factory).loadDesign(shopDesign());
    expect(factory.made).toHaveLength(1);
  });

  it('falls back to main-thread WebAssembly when the worker does not answer the handshake in time', async () => {
    const subject = evaluator('auto', silentWorker, 50);
    await subject.loadDesign(shopDesign());
    expect(await subject.engine()).toMatchObject({ kind: 'main-thread', skipped: [{ kind: 'worker', reason: expect.stringContaining('WORKER_TIMEOUT') }] });
  });

  it('evaluates in its own thread when the platform has no worker', async () => {
    const subject = evaluator('auto');
    await subject.loadDesign(shopDesign());
    expect(await subject.engine()).toMatchObject({ kind: 'main-thread', skipped: [{ kind: 'worker', reason: 'the test platform has no default worker' }] });
  });

  it('runs the JavaScript engine in a worker when there is no WebAssembly, with the same answers', async () => {
    const reference = await transcript(evaluator('main-thread'));
    vi.stubGlobal('WebAssembly', undefined);
    const factory = workerFactory();
    const subject = evaluator('auto', factory);
    expect(await transcript(subject)).toEqual(reference);
    const info = await subject.engine();
    expect(info).toMatchObject({ kind: 'js-worker', code: 'js' });
    expect(info.skipped.map((rung) => rung.kind)).toEqual(['worker', 'main-thread']);
    expect(info.reason).toBe('worker: this runtime has no WebAssembly; main-thread: this runtime has no WebAssembly');
    expect(factory.made).toHaveLength(1);
  });

  it('runs the JavaScript engine in this thread only when nothing else can', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const noWorker = evaluator('auto');
    await noWorker.loadDesign(shopDesign());
    expect(await noWorker.engine()).toMatchObject({ kind: 'js', skipped: [{ kind: 'worker' }, { kind: 'main-thread' }, { kind: 'js-worker', reason: 'the test platform has no default worker' }] });
    // A loader function cannot cross to a worker: the rung says so and this thread runs it.
    const factory = workerFactory();
    const withLoader = evaluator('auto', factory, undefined, () => import('../../../js/js-engine.js'));
    await withLoader.loadDesign(shopDesign());
    const info = await withLoader.engine();
    expect(info.kind).toBe('js');
    expect(info.skipped.find((rung) => rung.kind === 'js-worker')?.reason).toContain('loader function, which cannot be sent to a worker');
    expect(factory.made).toHaveLength(0);
  });

  it('a JavaScript engine that cannot be found fails every rung with the URL tried and a hint', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const missing = new URL('../../../target/js-test/no-such-engine.js', import.meta.url);
    const subject = evaluator('auto', workerFactory(), undefined, missing);
    const error = await subject.loadDesign(shopDesign()).then(() => null, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    const { message, details } = error as { message: string; details: { skipped: { kind: string; reason: string }[] } };
    expect(message).toContain(`could not load the JavaScript engine from ${missing.href}`);
    expect(message).toContain("check that the URL serves the package's dist/js-engine.js");
    expect(details.skipped.map((rung) => rung.kind)).toEqual(['worker', 'main-thread', 'js-worker']);
    expect(details.skipped[2]!.reason).toContain(missing.href);
  });

  it('loads the JavaScript engine only from http(s) and file URLs, and only a module that is the engine', async () => {
    expect(() => moduleHref('data:text/javascript,export default 1')).toThrow(/only from http:, https: or file: URLs, not data:/);
    expect(() => moduleHref('blob:https://x/1')).toThrow(/not blob:/);
    expect(moduleHref(new URL('https://cdn.example/pkg/dist/js-engine.js'))).toBe('https://cdn.example/pkg/dist/js-engine.js');
    vi.stubGlobal('WebAssembly', undefined);
    const wrong = evaluator('js', undefined, undefined, async () => ({ default: 1 }));
    await expect(wrong.design()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('is not the package\'s JavaScript engine') });
  });

  it('goes to the JavaScript engine when compiling WebAssembly is forbidden (as under a CSP without wasm-unsafe-eval)', async () => {
    const forbidden = new Proxy(WebAssembly, {
      get(target, key) {
        if (key === 'Module') {
          return class {
            constructor() {
              throw new WebAssembly.CompileError('WebAssembly.Module(): Wasm code generation disallowed by embedder');
            }
          };
        }
        return Reflect.get(target, key);
      },
    });
    vi.stubGlobal('WebAssembly', forbidden);
    const subject = evaluator('auto');
    await subject.loadDesign(shopDesign());
    const info = await subject.engine();
    expect(info.kind).toBe('js');
    expect(info.skipped.find((rung) => rung.kind === 'main-thread')?.reason).toContain('disallowed by embedder');
  });
});

describe('state transfer', () => {
  it('an evaluator imported from exportJson() or restored from snapshot() continues where the original was', async () => {
    const api = makeApi(testPlatform());
    const original = api.createEvaluator(definitions, { engine: 'main-thread' });
    track(original);
    await original.loadDesign(shopDesign(2));
    await original.applyEdits([{ op: 'setLabels', id: 'web-0', labels: { app: 'web' } }]);
    const imported = api.importEvaluator(await original.exportJson(), { engine: 'js' });
    const restored = api.restoreEvaluator(await original.snapshot(), { engine: 'main-thread' });
    track(imported, restored);
    const next = [{ op: 'removeComponent', id: 'web-1' }] as const;
    const [a, b, c] = await Promise.all([original.applyEdits([...next]), imported.applyEdits([...next]), restored.applyEdits([...next])]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect([original.revision, imported.revision, restored.revision]).toEqual([3, 3, 3]);
    await expect(api.importEvaluator('{"format":"something else"}').design()).rejects.toMatchObject({ code: 'INVALID_SNAPSHOT' });
  });
});

describe('laziness', () => {
  it('loads nothing until the first call; preload() starts the shared engine', async () => {
    const api = makeApi(testPlatform());
    const subject = api.createEvaluator(definitions, { engine: 'js' });
    track(subject);
    expect(api.engineInfo({ engine: 'js' })).toBeNull();
    const info = await api.preload({ engine: 'js' });
    expect(info.kind).toBe('js');
    expect(api.engineInfo({ engine: 'js' })).toBe(info);
    expect(await subject.engine()).toBe(info);
  });

  it('shares one engine between evaluators and closes it after the last is disposed', async () => {
    const factory = workerFactory();
    const api = makeApi(testPlatform());
    const first = api.createEvaluator(definitions, { worker: factory });
    const second = api.createEvaluator(definitions, { worker: factory });
    await Promise.all([first.loadDesign(shopDesign(1)), second.loadDesign(shopDesign(2))]);
    expect(factory.made).toHaveLength(1);
    expect((await first.design()).components).toHaveLength(2);
    expect((await second.design()).components).toHaveLength(3);
    await first.dispose();
    await expect(first.design()).rejects.toMatchObject({ code: 'DISPOSED' });
    expect((await second.design()).components).toHaveLength(3);
    await second[Symbol.asyncDispose]();
    const exited = new Promise((resolve) => factory.made[0]!.thread.once('exit', resolve));
    await expect(exited).resolves.toBeDefined();
    expect(api.engineInfo({ worker: factory })).toBeNull();
  });

  it('evaluators naming different JavaScript engines do not share one engine', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const factory = workerFactory();
    const api = makeApi(testPlatform());
    const found = new URL('../../../target/js-test/js-engine.js', import.meta.url);
    const missing = new URL('../../../target/js-test/no-such-engine.js', import.meta.url);
    const working = api.createEvaluator(definitions, { worker: factory, jsEngine: found });
    const sameUrl = api.createEvaluator(definitions, { worker: factory, jsEngine: found.href });
    const broken = api.createEvaluator(definitions, { worker: factory, jsEngine: missing });
    track(working, sameUrl, broken);
    await working.loadDesign(shopDesign(1));
    await sameUrl.loadDesign(shopDesign(2));
    expect(await working.engine()).toBe(await sameUrl.engine());
    expect((await working.engine()).kind).toBe('js-worker');
    // Had it shared the first engine, this would load: it must try (and fail on) its own URL.
    await expect(broken.loadDesign(shopDesign(1))).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining(missing.href) });
  });
});
