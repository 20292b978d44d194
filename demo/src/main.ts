// The demo app: wires the package (loaded lazily, off the main thread) to the canvas, the panels
// and the offline store. Every user gesture becomes one batch of the package's edit ops.
import { init, preload, type ConnectableDefinition, type Design, type DesignRelationship, type Edit, type EngineInfo, type EnginePreference, type RelationshipDefinition } from '@meshery/relationship-evaluator';
import { DesignCanvas, type Selection } from './canvas/design-canvas.js';
import { renderChanges } from './changes.js';
import { download, parseDesign, serializeDesign } from './designfile.js';
import { byId, h } from './dom.js';
import { Inspector, relationshipList } from './inspector.js';
import { LoadingView, fetchWithProgress, kb } from './loading.js';
import { STATUS_COLORS, endpoints, isHierarchical, kindColor, kindOf, namespaceParentKinds, nameOf, typeOf } from './model.js';
import { Session, errorText } from './session.js';
import { emptyDesign, freshName, newComponent, starterDesign, type KindInfo } from './templates.js';

const WASM_URL = new URL('./vendor/relationship-evaluator/relationship_evaluator_bg.wasm', location.href).href;
const ENGINES: EnginePreference[] = ['auto', 'worker', 'main-thread', 'js-worker', 'js'];
/** The kinds first in the palette: what the ten-second story needs. */
const CORE_KINDS = ['Namespace', 'Deployment', 'Service', 'Pod', 'ConfigMap', 'Ingress'];

const loading = new LoadingView();
const toast = (text: string, ms = 3500) => {
  const element = byId('toast');
  element.textContent = text;
  element.hidden = false;
  clearTimeout((toast as any).timer);
  (toast as any).timer = setTimeout(() => (element.hidden = true), ms);
};

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json() as Promise<T>;
}

function registerServiceWorker(): void {
  const badge = byId('network');
  const paint = (ready: boolean) => {
    const online = navigator.onLine;
    badge.textContent = `${online ? 'online' : 'offline'}${ready ? ' · works offline' : ''}`;
    badge.className = `badge ${ready ? 'ok' : online ? '' : 'warn'}`;
    badge.dataset.offlineReady = String(ready);
  };
  let ready = false;
  paint(false);
  addEventListener('online', () => paint(ready));
  addEventListener('offline', () => paint(ready));
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((error) => toast(`service worker: ${error}`));
  // `ready` resolves once a worker is active, i.e. after it has precached the whole app.
  navigator.serviceWorker.ready.then(() => {
    ready = true;
    paint(true);
  });
}

function engineText(info: EngineInfo | null, error: string | null, preference: EnginePreference): string {
  if (error) return `engine failed: ${error}`;
  if (!info) return `engine (${preference}): starting…`;
  const skipped = info.skipped.map((s) => `${s.kind} skipped: ${s.reason}`).join('; ');
  return `engine: ${info.kind} (${info.code}) — ${info.reason}${skipped ? ` [${skipped}]` : ''} · loaded in ${info.loadMs.toFixed(0)} ms · v${info.version}${info.restarts ? ` · ${info.restarts} restarts` : ''}`;
}

async function main(): Promise<void> {
  registerServiceWorker();
  const preference = (new URLSearchParams(location.search).get('engine') ?? localStorage.getItem('demo-engine') ?? 'auto') as EnginePreference;

  loading.step('Relationship definitions');
  const definitionBytes = await fetchWithProgress('data/definitions.json', (n, total) => loading.progress(`Relationship definitions: ${kb(n)}${total ? ` of ${kb(total)}` : ''}`, total ? n / total : null));
  const definitions = JSON.parse(new TextDecoder().decode(definitionBytes)) as RelationshipDefinition[];
  const [catalog, samples] = await Promise.all([
    fetchJson<KindInfo[]>('data/catalog.json'),
    fetchJson<{ file: string; title: string; components: number }[]>('data/samples/index.json'),
  ]);
  loading.progress(`${definitions.length} Kubernetes relationship definitions, ${catalog.length} component kinds`, 1);

  if (preference !== 'js' && preference !== 'js-worker') {
    loading.step('WebAssembly engine');
    const wasm = await fetchWithProgress(WASM_URL, (n, total) => loading.progress(`WebAssembly engine: ${kb(n)}${total ? ` of ${kb(total)}` : ''}`, total ? n / total : null));
    await init(wasm);
    loading.progress(`WebAssembly engine: ${kb(wasm.length)}`, 1);
  }
  loading.step(`Starting the engine (${preference})`);
  const started = performance.now();
  const info = await preload({ engine: preference });
  loading.progress(`Engine: ${info.kind} in ${(performance.now() - started).toFixed(0)} ms — ${info.reason}`, 1);

  loading.step('Opening the saved design (IndexedDB)');
  const session = await Session.open(definitions, preference);
  const containerKinds = namespaceParentKinds(definitions);
  const shapes = new Map(catalog.map((k) => [k.kind, k.shape]));
  let selection: Selection = null;
  let currentPreference = preference;

  const run = async (label: string, edits: Edit[]) => {
    try {
      const delta = await session.apply(label, edits);
      // Conflicting patches (none applied) and the like: the engine's own explanation.
      for (const diagnostic of delta.diagnostics ?? []) toast(`${label}: ${readable(diagnostic.message)}`, 8000);
      return delta;
    } catch (error) {
      toast(`${label}: ${errorText(error)}`, 6000);
      session.design = await session.exportDesign();
      canvas.setDesign(session.design);
      throw error;
    }
  };

  /** A gesture's batch: failures are shown by `run` (toast) and end there. */
  const act = (label: string, edits: Edit[]) => run(label, edits).then(() => true, () => false);

  const inspector = new Inspector(byId('inspector'), {
    apply: run,
    select: (next) => select(next),
    explain: (id) => session.explain(id),
  });

  const componentsById = () => new Map((session.design.components ?? []).map((c) => [c.id, c]));
  /** The engine's message with each component id it names shown as the component's name and kind. */
  const readable = (message: string): string => {
    const byIds = componentsById();
    return message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => {
      const component = byIds.get(id);
      return component ? `${nameOf(component)} (${kindOf(component)})` : id;
    });
  };
  const hierarchicalFrom = (id: string): DesignRelationship[] =>
    (session.design.relationships ?? []).filter((r) => isHierarchical(r) && endpoints(r).from.includes(id));

  const canvas: DesignCanvas = new DesignCanvas(byId<HTMLCanvasElement>('canvas'), containerKinds, shapes, {
    select: (next) => select(next, false),
    moved(id, at, parent) {
      const byIds = componentsById();
      const name = nameOf(byIds.get(id));
      const current = canvas.parentRelationshipOf(id);
      const currentParent = current ? endpoints(current).to[0] ?? null : null;
      const move: Edit = { op: 'moveComponent', id, x: at.x, y: at.y };
      if (parent && parent !== currentParent) {
        // The old parent relationship goes in the same batch: left in place, Meshery's inventory
        // patch would rename the old Namespace after the component's new namespace.
        const drop = hierarchicalFrom(id).map((r): Edit => ({ op: 'removeRelationship', id: r.id }));
        void act(`nest ${name} into ${nameOf(byIds.get(parent))}`, [...drop, move, { op: 'setNamespace', id, namespace: byIds.get(parent)!.displayName ?? null }]);
      } else if (!parent && currentParent && containerKinds.has(kindOf(byIds.get(currentParent)!))) {
        const drop = hierarchicalFrom(id).map((r): Edit => ({ op: 'removeRelationship', id: r.id }));
        void act(`take ${name} out of ${nameOf(byIds.get(currentParent))}`, [...drop, move, { op: 'setNamespace', id, namespace: null }]);
      } else {
        void act(`move ${name}`, [move]);
      }
    },
    movedGroup(moves) {
      void act(`move ${nameOf(componentsById().get(moves[0]!.id))} with ${moves.length - 1} children`, moves.map((m): Edit => ({ op: 'moveComponent', ...m })));
    },
    connect(from, to, at) {
      void connect(from, to, at);
    },
    dropped(kind, at, parent) {
      add(kind, at, parent);
    },
  });

  function add(kind: string, at: { x: number; y: number }, parent: string | null): void {
    const info = catalog.find((k) => k.kind === kind);
    if (!info) return;
    const component = newComponent(info, freshName(session.design, kind), at);
    const edits: Edit[] = [{ op: 'addComponent', component }];
    const parentComponent = parent ? componentsById().get(parent) : undefined;
    if (parentComponent) edits.push({ op: 'setNamespace', id: component.id, namespace: parentComponent.displayName ?? null });
    void act(`add ${kind} ${component.displayName}${parentComponent ? ` into ${nameOf(parentComponent)}` : ''}`, edits).then((ok) => {
      if (!ok) return;
      canvas.reveal(component.id);
      select({ kind: 'component', id: component.id });
    });
  }

  /**
   * Declares a relationship from a definition the engine says relates the two, either way round
   * (status pending: the evaluator validates it).
   */
  async function connect(fromId: string, toId: string, at: { x: number; y: number }): Promise<void> {
    const byIds = componentsById();
    const from = byIds.get(fromId)!, to = byIds.get(toId)!;
    let forward: ConnectableDefinition[], backward: ConnectableDefinition[];
    try {
      [forward, backward] = await Promise.all([session.connectableDefinitions(fromId, toId), session.connectableDefinitions(toId, fromId)]);
    } catch (error) {
      toast(errorText(error));
      return;
    }
    const options = [...forward.map((c) => ({ ...c, fromId, toId })), ...backward.map((c) => ({ ...c, fromId: toId, toId: fromId }))]
      .filter((option) => option.kind !== 'hierarchical'); // parents are made by nesting
    if (options.length === 0) {
      toast(`No registered relationship definition relates ${kindOf(from)} and ${kindOf(to)}.`);
      return;
    }
    const declare = (option: (typeof options)[number]) => {
      const relationship = {
        ...option.definition,
        id: crypto.randomUUID(),
        status: 'pending',
        selectors: [{ allow: { from: [{ ...option.from, id: option.fromId }], to: [{ ...option.to, id: option.toId }] }, deny: { from: [], to: [] } }],
      } as DesignRelationship;
      void act(`connect ${nameOf(byIds.get(option.fromId))} → ${nameOf(byIds.get(option.toId))} (${option.subType})`, [{ op: 'addRelationship', relationship }])
        .then((ok) => ok && select({ kind: 'relationship', id: relationship.id }));
    };
    if (options.length === 1) {
      declare(options[0]!);
      return;
    }
    const menu = byId('menu');
    menu.replaceChildren(h('p', {}, 'Relate with which definition?'),
      ...options.map((option) => h('button', { onclick: () => { menu.hidden = true; declare(option); } },
        `${typeOf(option)} (${option.from.kind} → ${option.to.kind}): ${nameOf(byIds.get(option.fromId))} → ${nameOf(byIds.get(option.toId))}`)),
      h('button', { onclick: () => (menu.hidden = true) }, 'Cancel'));
    menu.style.left = `${at.x}px`;
    menu.style.top = `${at.y}px`;
    menu.hidden = false;
  }

  function select(next: Selection, redraw = true): void {
    selection = next;
    canvas.selection = next;
    if (redraw) canvas.redraw();
    inspector.render(session.design, selection);
  }

  // Palette.
  const palette = byId('palette');
  const item = (info: KindInfo) => h('li', {
    draggable: true, title: `${info.kind} (${info.apiVersion || 'from a relationship definition'}) — from a ${info.source}`, 'data-kind': info.kind,
    ondragstart: (event: DragEvent) => event.dataTransfer?.setData('application/x-kind', info.kind),
    onclick: () => {
      const c = canvas.center();
      add(info.kind, canvas.freeSpot({ x: c.x - 240, y: c.y - 23 }), null);
    },
  }, h('span', { class: 'swatch', style: `background:${kindColor(info.kind)}` }), info.displayName);
  const core = CORE_KINDS.map((kind) => catalog.find((k) => k.kind === kind)).filter((k): k is KindInfo => !!k);
  palette.append(...core.map(item), h('li', { class: 'group' }, 'More kinds'),
    ...catalog.filter((k) => !CORE_KINDS.includes(k.kind)).map((info) => { const li = item(info); li.classList.add('more'); return li; }));

  // Legend.
  byId('legend').append(...Object.entries(STATUS_COLORS).map(([status, color]) => h('span', {}, h('i', { style: `background:${color}` }), status)),
    h('span', { class: 'muted' }, 'boxes: hierarchical parent · arrows: edges'));

  // Samples.
  const sampleSelect = byId<HTMLSelectElement>('samples');
  sampleSelect.append(h('option', { value: 'starter' }, 'Starter: a Namespace and a Deployment'), h('option', { value: 'empty' }, 'Empty design'),
    ...samples.map((s) => h('option', { value: s.file }, `${s.title} (${s.components})`)));
  const openDesign = async (design: Design, label: string) => {
    loading.busy(`Evaluating ${label} (${design.components?.length ?? 0} components)…`);
    try {
      const delta = await session.load(design, label);
      // A design that cannot settle still loads; say why later edits carry extra changes.
      for (const diagnostic of delta.diagnostics ?? []) toast(`${label}: ${readable(diagnostic.message)}`, 8000);
      select(null);
      if (canvas.overlapping()) await tidy('tidy layout (cards overlapped)');
      canvas.fit();
    } catch (error) {
      toast(`${label}: ${errorText(error)}`, 8000);
    } finally {
      loading.done();
    }
  };
  async function tidy(label = 'tidy layout'): Promise<void> {
    const moves = canvas.tidyPositions();
    if (moves.length) await act(label, moves.map((m): Edit => ({ op: 'moveComponent', ...m })));
    canvas.fit();
  }
  byId('tidy').addEventListener('click', () => tidy());
  byId('open-sample').addEventListener('click', async () => {
    const value = sampleSelect.value;
    if (value === 'starter') return openDesign(starterDesign(catalog), 'starter design');
    if (value === 'empty') return openDesign(emptyDesign(), 'empty design');
    const sample = samples.find((s) => s.file === value)!;
    await openDesign(await fetchJson<Design>(`data/samples/${sample.file}`), sample.title);
  });

  // Import / export.
  byId<HTMLInputElement>('import').addEventListener('change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    (event.target as HTMLInputElement).value = '';
    if (!file) return;
    try {
      await openDesign(parseDesign(await file.text()), `import ${file.name}`);
    } catch (error) {
      toast(`import ${file.name}: ${errorText(error)}`, 8000);
    }
  });
  const exportAs = async (format: 'json' | 'yaml') => {
    const design = await session.exportDesign();
    const base = (design.name || 'design').replace(/[^\w.-]+/g, '-');
    download(`${base}.${format === 'json' ? 'json' : 'yaml'}`, serializeDesign(design, format), format === 'json' ? 'application/json' : 'text/yaml');
  };
  byId('export-json').addEventListener('click', () => exportAs('json'));
  byId('export-yaml').addEventListener('click', () => exportAs('yaml'));

  // History and tools.
  const undo = () => session.undo().catch((error) => toast(`undo: ${errorText(error)}`));
  const redo = () => session.redo().catch((error) => toast(`redo: ${errorText(error)}`));
  byId('undo').addEventListener('click', undo);
  byId('redo').addEventListener('click', redo);
  const connectButton = byId('connect');
  const toggleConnect = () => {
    canvas.connectMode = !canvas.connectMode;
    connectButton.classList.toggle('active', canvas.connectMode);
  };
  connectButton.addEventListener('click', toggleConnect);
  byId('fit').addEventListener('click', () => canvas.fit());
  addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      void (event.shiftKey ? redo() : undo());
    } else if (mod && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      void redo();
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && selection) {
      const current = selection;
      if (current.kind === 'component') void act(`delete ${nameOf(componentsById().get(current.id))}`, [{ op: 'removeComponent', id: current.id }]);
      else void act('remove relationship', [{ op: 'removeRelationship', id: current.id }]);
      select(null);
    } else if (event.key === 'c' && !mod) toggleConnect();
    else if (event.key === 'f' && !mod) canvas.fit();
    else if (event.key === 'Escape') byId('menu').hidden = true;
  });

  // Engine selection in the footer.
  const engineSelect = h('select', { 'data-testid': 'engine-select', title: 'Which engine runs the evaluator: auto walks the fallback ladder' },
    ...ENGINES.map((e) => h('option', { value: e, selected: e === currentPreference }, e === 'auto' ? 'auto (worker → main thread → JS in a worker → JS)' : e)));
  engineSelect.addEventListener('change', async () => {
    currentPreference = engineSelect.value as EnginePreference;
    localStorage.setItem('demo-engine', currentPreference);
    await session.switchEngine(currentPreference).catch((error) => toast(`engine ${currentPreference}: ${errorText(error)}`, 8000));
  });
  byId('engine').before(h('label', {}, 'engine ', engineSelect));

  // Panels follow the session.
  const summary = byId('summary');
  let allOpen = false;
  const renderSummary = () => {
    const design = session.design;
    const all = h('details', { open: allOpen, ontoggle: () => (allOpen = all.open) }, h('summary', {}, `All relationships (${(design.relationships ?? []).length})`),
      relationshipList(design.relationships ?? [], componentsById(), (id) => select({ kind: 'relationship', id })));
    const relationships = design.relationships ?? [];
    const counts = new Map<string, number>();
    for (const r of relationships) counts.set(`${typeOf(r)} · ${r.status}`, (counts.get(`${typeOf(r)} · ${r.status}`) ?? 0) + 1);
    summary.replaceChildren(
      h('p', {}, h('b', {}, design.name ?? 'untitled'), ` · version ${design.version ?? '?'} · ${design.components?.length ?? 0} components · ${relationships.length} relationships`),
      h('ul', { class: 'plain' }, ...[...counts].sort().map(([key, n]) => h('li', {}, `${key}: ${n}`))),
      all,
      h('p', { class: 'muted' }, `history: ${session.cursor} of ${session.log.length} batches since “${session.baseLabel}”`),
    );
  };
  const renderStatus = () => {
    const save = byId('save');
    const state = session.saveState;
    save.textContent = state.state === 'saving' ? 'saving…' : state.state === 'saved' ? `saved · rev ${state.revision}` : `not saved: ${state.message}`;
    save.className = `badge ${state.state === 'saved' ? 'ok' : state.state === 'saving' ? 'warn' : 'bad'}`;
    save.dataset.state = state.state;
    save.dataset.revision = state.state === 'saved' ? String(state.revision) : '';
    byId<HTMLButtonElement>('undo').disabled = !session.canUndo;
    byId<HTMLButtonElement>('redo').disabled = !session.canRedo;
    const timing = session.lastChange?.timing;
    byId('timing').textContent = timing ? `last evaluation (${session.lastChange!.label}): ${timing.engineMs ? `${timing.engineMs.toFixed(1)} ms engine, ` : ''}${timing.totalMs.toFixed(1)} ms round trip` : '';
  };
  session.on((event) => {
    if (event === 'design') {
      byId('changes').dataset.seq = String(Number(byId('changes').dataset.seq ?? 0) + 1);
      canvas.setDesign(session.design);
      inspector.render(session.design, selection);
      renderChanges(byId('changes'), session.design, session.lastChange, (id) => select({ kind: 'relationship', id }));
      renderSummary();
    }
    if (event === 'engine') {
      byId('engine').textContent = engineText(session.engine, session.engineError, currentPreference);
      byId('engine').dataset.kind = session.engine?.kind ?? '';
    }
    renderStatus();
  });

  const restored = await session.restore();
  if (!restored) await session.load(starterDesign(catalog), 'starter design');
  if (session.storageNotice) toast(`saved design: ${session.storageNotice}`, 8000);
  loading.done();
  canvas.setDesign(session.design);
  canvas.fit();
  inspector.render(session.design, null);
  renderStatus();
  // Read-only hooks for the end-to-end tests (canvas geometry is not in the DOM).
  (window as any).demo = {
    ready: true,
    screenPoint: (name: string) => {
      const component = (session.design.components ?? []).find((c) => c.displayName === name);
      return component ? canvas.screenPoint(component.id) : null;
    },
    boxCenter: (name: string) => {
      const component = (session.design.components ?? []).find((c) => c.displayName === name);
      return component ? canvas.boxCenter(component.id) : null;
    },
    idOf: (name: string) => (session.design.components ?? []).find((c) => c.displayName === name)?.id ?? null,
  };
}

main().catch((error) => {
  loading.fail(`Failed: ${errorText(error)}`);
  (window as any).demo = { error: errorText(error) };
  console.error(error);
});
