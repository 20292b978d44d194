/**
 * The evaluation worker. Its first message says which engine to load (the wasm, or the JavaScript
 * engine where WebAssembly is forbidden) and where it is. It takes a Web Lock it holds for as long
 * as it lives (the client's death detector) and says `locked`, loads the engine, answers `ready`,
 * then serves requests.
 */
import { toWireError } from '../js/errors.js';
import { fetchableInput, instantiateWasm, loadJsEngine } from '../js/load.js';
import type { ClientMessage, HostMessage, InitMessage } from '../js/protocol.js';
import { Host } from './host.js';

/** The parts of `DedicatedWorkerGlobalScope` used here. */
interface WorkerScope {
  postMessage(message: HostMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: ClientMessage }) => void): void;
  navigator?: { locks?: { request(name: string, callback: () => Promise<unknown>): Promise<unknown> } };
}

const scope = globalThis as unknown as WorkerScope;
let host: Host | undefined;
const early: ClientMessage[] = [];

/**
 * Resolves once the lock is held (true; false without Web Locks); the lock is released only when
 * this worker stops.
 */
function holdLock(name: string): Promise<boolean> {
  const locks = scope.navigator?.locks;
  if (!locks) return Promise.resolve(false);
  return new Promise((held) => {
    void locks.request(name, () => {
      held(true);
      return new Promise(() => {});
    });
  });
}

async function start(init: InitMessage): Promise<void> {
  const started = performance.now();
  try {
    if (init.lockName && (await holdLock(init.lockName))) scope.postMessage({ type: 'locked' });
    const engine = init.engine === 'js' ? await loadJsEngine(init.jsEngineUrl) : await instantiateWasm(fetchableInput(init.source));
    host = new Host(engine, (message, transfer) => scope.postMessage(message, transfer));
    scope.postMessage({ type: 'ready', engineVersion: engine.engineVersion(), loadMs: performance.now() - started });
    for (const message of early.splice(0)) if (message.type !== 'init') host.receive(message);
  } catch (error) {
    scope.postMessage({ type: 'failed', error: toWireError(error) });
  }
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'init') void start(message);
  else if (host) host.receive(message);
  else early.push(message);
});
