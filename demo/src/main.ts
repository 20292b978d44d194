// The demo app's wiring: start up (data, engine, saved design), then connect the package's
// session to the canvas, the panels and the toolbar. What each part does is in its own module:
// startup, gestures (what a gesture does to the design), edits (applying a batch), toolbar,
// palette, inspector, changes, design-summary, status-badges, engine-picker, service-worker.
import { DesignCanvas, type Selection } from './canvas/design-canvas.js';
import { renderChanges } from './changes.js';
import { DesignSummary } from './design-summary.js';
import { byId } from './dom.js';
import { EditBatches } from './edits.js';
import { EnginePicker, enginePreference } from './engine-picker.js';
import { Gestures } from './gestures.js';
import { Inspector } from './inspector.js';
import { renderLegend } from './legend.js';
import { LoadingView } from './loading.js';
import { namespaceParentKinds } from './model.js';
import { renderPalette } from './palette.js';
import { errorText } from './session.js';
import { registerServiceWorker } from './service-worker.js';
import { start } from './startup.js';
import { renderStatus } from './status-badges.js';
import { starterDesign } from './templates.js';
import { toast } from './toast.js';
import { Toolbar } from './toolbar.js';

const loading = new LoadingView();

async function main(): Promise<void> {
  registerServiceWorker();
  const preference = enginePreference();
  const { definitions, catalog, samples, session } = await start(loading, preference);
  const containerKinds = namespaceParentKinds(definitions);
  const shapes = new Map(catalog.map((k) => [k.kind, k.shape]));

  const batches = new EditBatches(session, () => canvas.setDesign(session.design));
  const inspector = new Inspector(byId('inspector'), {
    apply: (label, edits) => batches.run(label, edits),
    select: (next) => select(next),
    explain: (id) => session.explain(id),
  });
  const canvas: DesignCanvas = new DesignCanvas(byId<HTMLCanvasElement>('canvas'), containerKinds, shapes, {
    select: (next) => select(next, false),
    moved: (id, at, parent) => gestures.move(id, at, parent),
    movedGroup: (moves) => gestures.moveGroup(moves),
    connect: (from, to, at) => void gestures.connect(from, to, at),
    dropped: (kind, at, parent) => gestures.add(kind, at, parent),
  });
  /** One selection for the canvas and the inspector (the canvas has already drawn its own clicks). */
  function select(next: Selection, redraw = true): void {
    canvas.selection = next;
    if (redraw) canvas.redraw();
    inspector.render(session.design, next);
  }
  const selectRelationship = (id: string) => select({ kind: 'relationship', id });
  const gestures = new Gestures({ session, canvas, batches, catalog, containerKinds, select });

  renderPalette(catalog, canvas, gestures);
  renderLegend();
  new Toolbar({ session, canvas, batches, gestures, loading, catalog, samples, select });
  const engine = new EnginePicker(session, preference);
  const summary = new DesignSummary(session, selectRelationship);

  session.on((event) => {
    if (event === 'design') {
      byId('changes').dataset.seq = String(Number(byId('changes').dataset.seq ?? 0) + 1);
      canvas.setDesign(session.design);
      inspector.render(session.design, canvas.selection);
      renderChanges(byId('changes'), session.design, session.lastChange, selectRelationship);
      summary.render();
    }
    if (event === 'engine') engine.render();
    renderStatus(session);
  });

  const restored = await session.restore();
  if (!restored) await session.load(starterDesign(catalog), 'starter design');
  if (session.storageNotice) toast(`saved design: ${session.storageNotice}`, 8000);
  loading.done();
  canvas.setDesign(session.design);
  canvas.fit();
  inspector.render(session.design, null);
  renderStatus(session);
  // Read-only hooks for the end-to-end tests (canvas geometry is not in the DOM).
  const idOf = (name: string) => (session.design.components ?? []).find((c) => c.displayName === name)?.id ?? null;
  (window as any).demo = {
    ready: true,
    screenPoint: (name: string) => {
      const id = idOf(name);
      return id ? canvas.screenPoint(id) : null;
    },
    boxCenter: (name: string) => {
      const id = idOf(name);
      return id ? canvas.boxCenter(id) : null;
    },
    idOf,
  };
}

main().catch((error) => {
  loading.fail(`Failed: ${errorText(error)}`);
  (window as any).demo = { error: errorText(error) };
  console.error(error);
});
