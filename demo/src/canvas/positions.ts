// Where each component is drawn: its stored position, moved by the drag in progress, and the
// rectangles and arrow curves that follow. A container has no size of its own: its box grows
// around its children, so moving a child reshapes its parent.
import { HEADER_H, MIN_BOX, NODE_H, NODE_W, PAD, clip, type Point, type Rect } from './geometry.js';
import type { Edge, Scene } from './scene.js';

export class Positions {
  /** The committed position of each component (stated by the design, laid out, or dropped). */
  readonly stored = new Map<string, Point>();

  /** `preview`: where a component is drawn while a drag is in progress, given its stored position. */
  constructor(private readonly scene: Scene, private readonly preview: (id: string, stored: Point) => Point) {}

  /** A component's position, with the drag in progress applied. */
  of(id: string): Point {
    return this.preview(id, this.stored.get(id) ?? { x: 0, y: 0 });
  }

  card(id: string): Rect {
    const p = this.of(id);
    return { x: p.x, y: p.y, w: NODE_W, h: NODE_H };
  }

  /** A container's box: its own corner plus every child (except `without`, the one being dragged). */
  box(id: string, without: string | null = null): Rect {
    const p = this.of(id);
    let x0 = p.x, y0 = p.y, x1 = p.x + MIN_BOX.w, y1 = p.y + MIN_BOX.h;
    for (const child of this.scene.children.get(id) ?? []) {
      if (child === without) continue;
      const r = this.outline(child, without);
      x0 = Math.min(x0, r.x - PAD);
      y0 = Math.min(y0, r.y - PAD - HEADER_H);
      x1 = Math.max(x1, r.x + r.w + PAD);
      y1 = Math.max(y1, r.y + r.h + PAD);
    }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  /** What a component covers: a container's box, else its card. */
  outline(id: string, without: string | null = null): Rect {
    return this.scene.containers.has(id) ? this.box(id, without) : this.card(id);
  }

  /** The rectangle around every component, or null for an empty design. */
  extent(): Rect | null {
    if (this.scene.byId.size === 0) return null;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of this.scene.byId.keys()) {
      const r = this.outline(id);
      x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y); x1 = Math.max(x1, r.x + r.w); y1 = Math.max(y1, r.y + r.h);
    }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  /** Where arrows attach: a card, or a container's title bar (its box would put arrows mid-air). */
  anchor(id: string): { rect: Rect; center: Point } {
    const rect = this.scene.containers.has(id) ? { ...this.box(id), h: HEADER_H } : this.card(id);
    return { rect, center: { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 } };
  }

  /** Points along an edge (a gentle curve, offset per lane so parallel edges stay apart). */
  curve(edge: Edge): Point[] {
    const a = this.anchor(edge.from), b = this.anchor(edge.to);
    const start = clip(a.rect, a.center, b.center), end = clip(b.rect, b.center, a.center);
    const dx = end.x - start.x, dy = end.y - start.y;
    const length = Math.hypot(dx, dy) || 1;
    const bend = (edge.lane % 2 === 0 ? 1 : -1) * Math.ceil(edge.lane / 2) * 28 + 0;
    const control = { x: (start.x + end.x) / 2 - (dy / length) * bend, y: (start.y + end.y) / 2 + (dx / length) * bend };
    const points: Point[] = [];
    for (let i = 0; i <= 12; i++) {
      const t = i / 12;
      points.push({ x: (1 - t) ** 2 * start.x + 2 * (1 - t) * t * control.x + t ** 2 * end.x, y: (1 - t) ** 2 * start.y + 2 * (1 - t) * t * control.y + t ** 2 * end.y });
    }
    return points;
  }
}
