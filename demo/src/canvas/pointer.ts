// Pointer input as a small state machine. Press on a card and drag to move it (dropping it onto
// a Namespace nests it); on a container, to move it with its children; with Shift (or in Connect
// mode), to draw a connection; on an arrow or a parent dot, to select the relationship; on the
// background, to pan (a click there clears the selection). The wheel zooms, and palette kinds
// dragged in from the page are dropped as new components.
import { NODE_H, NODE_W, type Point } from './geometry.js';
import type { HitTest } from './hit-test.js';
import type { Positions } from './positions.js';
import type { Scene } from './scene.js';
import type { Viewport } from './viewport.js';

export type Selection = { kind: 'component'; id: string } | { kind: 'relationship'; id: string } | null;

/** What the canvas tells the app: each finished gesture, in world coordinates unless said otherwise. */
export interface CanvasCallbacks {
  select(selection: Selection): void;
  /** A component was dropped: `parent` is the container under it (null: none). */
  moved(id: string, at: Point, parent: string | null): void;
  /** A container was dragged with its children. */
  movedGroup(moves: { id: string; x: number; y: number }[]): void;
  /** A connection was drawn; `at` is where it ended, in client coordinates (for a menu). */
  connect(from: string, to: string, at: Point): void;
  /** A palette kind was dropped on the canvas. */
  dropped(kind: string, at: Point, parent: string | null): void;
}

type Drag =
  | { mode: 'node'; id: string; grab: Point; at: Point; moved: boolean }
  | { mode: 'group'; id: string; members: string[]; start: Point; at: Point; moved: boolean }
  | { mode: 'connect'; from: string; at: Point }
  | { mode: 'pan'; start: Point; origin: Point; moved: boolean };

/** The parts of the canvas a gesture reads and moves. */
export interface PointerTargets {
  scene: Scene;
  positions: Positions;
  hits: HitTest;
  viewport: Viewport;
}

export class Pointer {
  selection: Selection = null;
  /** Every drag draws a connection, as Shift+drag does. */
  connectMode = false;
  private drag: Drag | null = null;
  /** The container a dragged card would be nested into. */
  private dropTarget: string | null = null;
  /** The container a palette kind dragged over the canvas would be added into. */
  private hoverTarget: string | null = null;

  constructor(private readonly element: HTMLCanvasElement, private readonly targets: PointerTargets, private readonly callbacks: CanvasCallbacks, private readonly redraw: () => void) {
    element.addEventListener('pointerdown', (event) => this.down(event));
    element.addEventListener('pointermove', (event) => this.move(event));
    element.addEventListener('pointerup', (event) => this.up(event));
    element.addEventListener('wheel', (event) => {
      event.preventDefault();
      targets.viewport.zoom(event);
      this.redraw();
    }, { passive: false });
    element.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.hoverTarget = targets.hits.dropTargetAt(targets.viewport.toWorld(event), null);
      this.redraw();
    });
    element.addEventListener('dragleave', () => {
      this.hoverTarget = null;
      this.redraw();
    });
    element.addEventListener('drop', (event) => {
      event.preventDefault();
      const kind = event.dataTransfer?.getData('application/x-kind');
      this.hoverTarget = null;
      if (kind) {
        const at = targets.viewport.toWorld(event);
        this.callbacks.dropped(kind, { x: at.x - NODE_W / 2, y: at.y - NODE_H / 2 }, targets.hits.dropTargetAt(at, null));
      }
    });
  }

  /** Where a component is drawn during the drag in progress, given its stored position. */
  preview(id: string, stored: Point): Point {
    const drag = this.drag;
    if (drag?.mode === 'node' && drag.id === id) return { x: drag.at.x - drag.grab.x, y: drag.at.y - drag.grab.y };
    if (drag?.mode === 'group' && drag.members.includes(id)) return { x: stored.x + drag.at.x - drag.start.x, y: stored.y + drag.at.y - drag.start.y };
    return stored;
  }

  /** The card being dragged, which its parent's box no longer holds while it moves. */
  draggedCard(): string | null {
    return this.drag?.mode === 'node' ? this.drag.id : null;
  }

  /** The connection being drawn: from a component to the pointer. */
  connection(): { from: string; at: Point } | null {
    return this.drag?.mode === 'connect' ? this.drag : null;
  }

  /** Whether a container is where the card or palette kind being dragged would land. */
  isDropTarget(id: string): boolean {
    return id === this.dropTarget || id === this.hoverTarget;
  }

  private down(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.element.setPointerCapture(event.pointerId);
    const { scene, positions, hits, viewport } = this.targets;
    const at = viewport.toWorld(event);
    const node = hits.cardAt(at);
    const connecting = this.connectMode || event.shiftKey;
    if (node) {
      if (connecting) this.drag = { mode: 'connect', from: node, at };
      else {
        const p = positions.of(node);
        this.drag = { mode: 'node', id: node, grab: { x: at.x - p.x, y: at.y - p.y }, at, moved: false };
      }
      return;
    }
    const relationship = hits.relationshipAt(at, viewport.scale);
    if (relationship) {
      this.selection = { kind: 'relationship', id: relationship };
      this.callbacks.select(this.selection);
      this.redraw();
      return;
    }
    const container = hits.containerAt(at);
    if (container) {
      if (connecting) this.drag = { mode: 'connect', from: container, at };
      else this.drag = { mode: 'group', id: container, members: [container, ...scene.descendants(container)], start: at, at, moved: false };
      return;
    }
    this.drag = { mode: 'pan', start: { x: event.clientX, y: event.clientY }, origin: { ...viewport.offset }, moved: false };
  }

  private move(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const { hits, viewport } = this.targets;
    const at = viewport.toWorld(event);
    // A press that moves under 3 screen pixels is a click, not a drag.
    if (drag.mode === 'pan') {
      drag.moved ||= Math.hypot(event.clientX - drag.start.x, event.clientY - drag.start.y) > 3;
      viewport.offset = { x: drag.origin.x + event.clientX - drag.start.x, y: drag.origin.y + event.clientY - drag.start.y };
    } else if (drag.mode === 'node') {
      drag.moved ||= Math.hypot(at.x - drag.at.x, at.y - drag.at.y) * viewport.scale > 3;
      drag.at = at;
      if (drag.moved) this.dropTarget = hits.dropTargetAt(at, drag.id);
    } else if (drag.mode === 'group') {
      drag.moved ||= Math.hypot(at.x - drag.start.x, at.y - drag.start.y) * viewport.scale > 3;
      drag.at = at;
    } else {
      drag.at = at;
    }
    this.redraw();
  }

  private up(event: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    const target = this.dropTarget;
    this.dropTarget = null;
    if (!drag) return;
    const { positions, hits, viewport } = this.targets;
    const at = viewport.toWorld(event);
    if (drag.mode === 'pan') {
      if (!drag.moved) {
        this.selection = null;
        this.callbacks.select(null);
      }
    } else if (drag.mode === 'node') {
      this.selection = { kind: 'component', id: drag.id };
      this.callbacks.select(this.selection);
      if (drag.moved) {
        const position = { x: Math.round(at.x - drag.grab.x), y: Math.round(at.y - drag.grab.y) };
        // Stored now, so the card stays where it was dropped until the edit comes back.
        positions.stored.set(drag.id, position);
        this.callbacks.moved(drag.id, position, target);
      }
    } else if (drag.mode === 'group') {
      this.selection = { kind: 'component', id: drag.id };
      this.callbacks.select(this.selection);
      if (drag.moved) {
        const dx = Math.round(at.x - drag.start.x), dy = Math.round(at.y - drag.start.y);
        const moves = drag.members.map((id) => {
          const p = positions.stored.get(id) ?? { x: 0, y: 0 };
          const next = { id, x: p.x + dx, y: p.y + dy };
          positions.stored.set(id, { x: next.x, y: next.y });
          return next;
        });
        this.callbacks.movedGroup(moves);
      }
    } else {
      const to = hits.cardAt(at) ?? hits.containerAt(at);
      if (to && to !== drag.from) this.callbacks.connect(drag.from, to, { x: event.clientX, y: event.clientY });
    }
    this.redraw();
  }
}
