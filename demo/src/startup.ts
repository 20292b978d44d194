// The start-up, each step shown with its progress: the relationship definitions and the palette's
// catalog, the WebAssembly module (fetched here, with progress, unless a JS engine was asked
// for), the engine the package chooses, then the design saved in IndexedDB.
import { init, preload, type EnginePreference, type RelationshipDefinition } from '@meshery/relationship-evaluator';
import { type LoadingView, fetchWithProgress, kb } from './loading.js';
import { Session } from './session.js';
import type { KindInfo } from './templates.js';

const WASM_URL = new URL('./vendor/relationship-evaluator/relationship_evaluator_bg.wasm', location.href).href;

/** A sample design the toolbar offers (data/samples/index.json). */
export type Sample = { file: string; title: string; components: number };

export interface Started {
  definitions: RelationshipDefinition[];
  /** The palette's kinds. */
  catalog: KindInfo[];
  samples: Sample[];
  session: Session;
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json() as Promise<T>;
}

export async function start(loading: LoadingView, preference: EnginePreference): Promise<Started> {
  /** Fetches `url` with its bytes counted in the current step. */
  const fetchCounted = (label: string, url: string) =>
    fetchWithProgress(url, (n, total) => loading.progress(`${label}: ${kb(n)}${total ? ` of ${kb(total)}` : ''}`, total ? n / total : null));

  loading.step('Relationship definitions');
  const definitionBytes = await fetchCounted('Relationship definitions', 'data/definitions.json');
  const definitions = JSON.parse(new TextDecoder().decode(definitionBytes)) as RelationshipDefinition[];
  const [catalog, samples] = await Promise.all([fetchJson<KindInfo[]>('data/catalog.json'), fetchJson<Sample[]>('data/samples/index.json')]);
  loading.progress(`${definitions.length} Kubernetes relationship definitions, ${catalog.length} component kinds`, 1);

  // The JS engines need no WebAssembly: fetching it would only cost time.
  if (preference !== 'js' && preference !== 'js-worker') {
    loading.step('WebAssembly engine');
    const wasm = await fetchCounted('WebAssembly engine', WASM_URL);
    await init(wasm);
    loading.progress(`WebAssembly engine: ${kb(wasm.length)}`, 1);
  }
  loading.step(`Starting the engine (${preference})`);
  const started = performance.now();
  const info = await preload({ engine: preference });
  loading.progress(`Engine: ${info.kind} in ${(performance.now() - started).toFixed(0)} ms — ${info.reason}`, 1);

  loading.step('Opening the saved design (IndexedDB)');
  const session = await Session.open(definitions, preference);
  return { definitions, catalog, samples, session };
}
