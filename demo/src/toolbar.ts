// The toolbar and its keyboard shortcuts: open a sample (or the starter or an empty design),
// import and export a file, undo and redo, Connect mode, fit the view, tidy the layout; Delete
// removes the selection and Escape closes the connection menu.
import type { Design, Edit } from '@meshery/relationship-evaluator';
import type { DesignCanvas, Selection } from './canvas/design-canvas.js';
import { download, parseDesign, serializeDesign } from './designfile.js';
import { byId, h } from './dom.js';
import type { EditBatches } from './edits.js';
import type { Gestures } from './gestures.js';
import type { LoadingView } from './loading.js';
import { type Session, errorText } from './session.js';
import { type Sample, fetchJson } from './startup.js';
import { emptyDesign, starterDesign, type KindInfo } from './templates.js';
import { toast } from './toast.js';

/** The parts of the app the toolbar commands. */
export interface ToolbarContext {
  session: Session;
  canvas: DesignCanvas;
  batches: EditBatches;
  gestures: Gestures;
  loading: LoadingView;
  catalog: KindInfo[];
  samples: Sample[];
  select(selection: Selection): void;
}

export class Toolbar {
  private readonly connectButton = byId('connect');

  constructor(private readonly app: ToolbarContext) {
    const { session, canvas, catalog, samples } = app;
    const sampleSelect = byId<HTMLSelectElement>('samples');
    sampleSelect.append(h('option', { value: 'starter' }, 'Starter: a Namespace and a Deployment'), h('option', { value: 'empty' }, 'Empty design'),
      ...samples.map((s) => h('option', { value: s.file }, `${s.title} (${s.components})`)));
    byId('tidy').addEventListener('click', () => this.tidy());
    byId('open-sample').addEventListener('click', async () => {
      const value = sampleSelect.value;
      if (value === 'starter') return this.open(starterDesign(catalog), 'starter design');
      if (value === 'empty') return this.open(emptyDesign(), 'empty design');
      const sample = samples.find((s) => s.file === value)!;
      await this.open(await fetchJson<Design>(`data/samples/${sample.file}`), sample.title);
    });

    byId<HTMLInputElement>('import').addEventListener('change', async (event) => {
      const file = (event.target as HTMLInputElement).files?.[0];
      (event.target as HTMLInputElement).value = '';
      if (!file) return;
      try {
        await this.open(parseDesign(await file.text()), `import ${file.name}`);
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

    byId('undo').addEventListener('click', () => this.undo());
    byId('redo').addEventListener('click', () => this.redo());
    this.connectButton.addEventListener('click', () => this.toggleConnect());
    byId('fit').addEventListener('click', () => canvas.fit());
    addEventListener('keydown', (event) => this.shortcut(event));
  }

  /** Replaces the design, then fits it in view (tidied first when its cards overlap). */
  private async open(design: Design, label: string): Promise<void> {
    const { session, canvas, batches, loading } = this.app;
    loading.busy(`Evaluating ${label} (${design.components?.length ?? 0} components)…`);
    try {
      const delta = await session.load(design, label);
      // A design that cannot settle still loads; say why later edits carry extra changes.
      for (const diagnostic of delta.diagnostics ?? []) toast(`${label}: ${batches.readable(diagnostic.message)}`, 8000);
      this.app.select(null);
      if (canvas.overlapping()) await this.tidy('tidy layout (cards overlapped)');
      canvas.fit();
    } catch (error) {
      toast(`${label}: ${errorText(error)}`, 8000);
    } finally {
      loading.done();
    }
  }

  /** Lays every component out again, as one undoable batch of moves. */
  private async tidy(label = 'tidy layout'): Promise<void> {
    const { canvas, batches } = this.app;
    const moves = canvas.tidyPositions();
    if (moves.length) await batches.act(label, moves.map((m): Edit => ({ op: 'moveComponent', ...m })));
    canvas.fit();
  }

  private undo(): Promise<void> {
    return this.app.session.undo().catch((error) => toast(`undo: ${errorText(error)}`));
  }

  private redo(): Promise<void> {
    return this.app.session.redo().catch((error) => toast(`redo: ${errorText(error)}`));
  }

  private toggleConnect(): void {
    const { canvas } = this.app;
    canvas.connectMode = !canvas.connectMode;
    this.connectButton.classList.toggle('active', canvas.connectMode);
  }

  private shortcut(event: KeyboardEvent): void {
    // Typing in a field is not a command.
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
    const { canvas, gestures } = this.app;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      void (event.shiftKey ? this.redo() : this.undo());
    } else if (mod && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      void this.redo();
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && canvas.selection) gestures.remove(canvas.selection);
    else if (event.key === 'c' && !mod) this.toggleConnect();
    else if (event.key === 'f' && !mod) canvas.fit();
    else if (event.key === 'Escape') byId('menu').hidden = true;
  }
}
