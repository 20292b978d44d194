// The design on a <canvas>: components as cards, parents (hierarchical relationships) as boxes
// that contain their children, every other relationship as an arrow labelled with its sub-type,
// coloured by status. Pointer input: drag to move (dropping onto a Namespace nests), drag a
// Namespace to move it with its children, Shift+drag (or Connect mode) to connect, click to
// select a component or a relationship, drag the background to pan, wheel to zoom.
import type { Component, Design, DesignRelationship } from '@meshery/relationship-evaluator';
import { endpoints, isHierarchical, isLive, kindColor, kindOf, nameOf, parentsOf, statusColor } from './model.js';

export const NODE_W = 156;
export const NODE_H = 46;
const HEADER_H = 30;
const PAD = 22;
const MIN_BOX = { w: 280, h: 170 };

type Point = { x: number; y: number };
type Rect = { x: number; y: number; w: number; h: number };

export type Selection = { kind: 'component'; id: string } | { kind: 'relationship'; id: string } | null;

export interface CanvasCallbacks {
  select(selection: Selection): void;
  /** A component was dropped: `parent` is the container under it (null: none). */
  moved(id: string, at: Point, parent: string | null): void;
  /** A container was dragged with its children. */
  movedGroup(moves: { id: string; x: number; y: number }[]): void;
  connect(from: string, to: string, at: Point): void;
  /** A palette kind was dropped on the canvas. */
  dropped(kind: string, at: Point, parent: string | null): void;
}

type Drag =
  | { mode: 'node'; id: string; grab: Point; at: Point; moved: boolean }
  | { mode: 'group'; id: string; members: string[]; start: Point; at: Point; moved: boolean }
  | { mode: 'connect'; from: string; at: Point }
  | { mode: 'pan'; start: Point; origin: Point; moved: boolean };

export class DesignCanvas {
  private byId = new Map<string, Component>();
  private positions = new Map<string, Point>();
  private parentOf = new Map<string, { parent: string; relationship: DesignRelationship }>();
  private children = new Map<string, string[]>();
  private containers = new Set<string>();
  private edges: { relationship: DesignRelationship; from: string; to: string; lane: number }[] = [];
  private scale = 1;
  private offset: Point = { x: 40, y: 40 };
  private drag: Drag | null = null;
  private dropTarget: string | null = null;
  private hoverTarget: string | null = null;
  selection: Selection = null;
  connectMode = false;
  private frame = 0;
  private readonly context: CanvasRenderingContext2D;

  constructor(readonly element: HTMLCanvasElement, private readonly containerKinds: Set<string>, private readonly shapes: Map<string, string>, private readonly callbacks: CanvasCallbacks) {
    this.context = element.getContext('2d')!;
    new ResizeObserver(() => this.redraw()).observe(element);
    element.addEventListener('pointerdown', (event) => this.down(event));
    element.addEventListener('pointermove', (event) => this.move(event));
    element.addEventListener('pointerup', (event) => this.up(event));
    element.addEventListener('wheel', (event) => this.wheel(event), { passive: false });
    element.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.hoverTarget = this.containerAt(this.world(event), null);
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
        const at = this.world(event);
        this.callbacks.dropped(kind, { x: at.x - NODE_W / 2, y: at.y - NODE_H / 2 }, this.containerAt(at, null));
      }
    });
  }

  /** Shows a new design (positions: `styles.position`, else laid out once). */
  setDesign(design: Design): void {
    this.byId = new Map((design.components ?? []).map((component) => [component.id, component]));
    this.parentOf = new Map();
    this.children = new Map();
    this.containers = new Set((design.components ?? []).filter((c) => this.containerKinds.has(kindOf(c))).map((c) => c.id));
    for (const [child, parents] of parentsOf(design)) {
      const first = parents.find((p) => this.byId.has(p.parent) && this.byId.has(child) && !this.isAncestor(child, p.parent));
      if (!first) continue;
      this.parentOf.set(child, first);
      this.containers.add(first.parent);
      this.children.set(first.parent, [...(this.children.get(first.parent) ?? []), child]);
    }
    const lanes = new Map<string, number>();
    this.edges = [];
    for (const relationship of design.relationships ?? []) {
      if (isHierarchical(relationship) && isLive(relationship)) continue;
      const { from, to } = endpoints(relationship);
      for (const a of from) for (const b of to) {
        if (!this.byId.has(a) || !this.byId.has(b) || a === b) continue;
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        const lane = lanes.get(key) ?? 0;
        lanes.set(key, lane + 1);
        this.edges.push({ relationship, from: a, to: b, lane });
      }
    }
    this.layout();
    this.redraw();
  }

  /**
   * Positions for every component, laid out afresh (parents as grids of their children), and
   * whether the current positions make cards overlap (Meshery's own files place small icons).
   */
  tidyPositions(): { id: string; x: number; y: number }[] {
    const kept = new Map(this.positions);
    this.positions.clear();
    this.layout(true);
    const moves = [...this.positions].map(([id, p]) => ({ id, x: Math.round(p.x), y: Math.round(p.y) }));
    this.positions = kept;
    return moves;
  }

  /** True when two cards (outside containers) overlap: the design needs tidying to be readable. */
  overlapping(): boolean {
    const cards = [...this.byId.keys()].filter((id) => !this.containers.has(id)).map((id) => this.nodeRect(id));
    if (cards.length > 400) return false;
    for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) {
      const a = cards[i]!, b = cards[j]!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
    }
    return false;
  }

  /** Positions for components that have none (or all, with `fresh`): a grid inside their parent, or below the rest. */
  private layout(fresh = false): void {
    for (const id of [...this.positions.keys()]) if (!this.byId.has(id)) this.positions.delete(id);
    const stated = (component: Component): Point | null => {
      const position = (component as any).styles?.position;
      return position && Number.isFinite(position.x) && Number.isFinite(position.y) ? { x: position.x, y: position.y } : null;
    };
    const unplaced: Component[] = [];
    for (const component of this.byId.values()) {
      const position = fresh ? null : stated(component);
      if (position) this.positions.set(component.id, position);
      else if (!this.positions.has(component.id)) unplaced.push(component);
    }
    if (unplaced.length === 0) return;
    const waiting = new Set(unplaced.map((c) => c.id));
    let bottom = 0;
    for (const p of this.positions.values()) bottom = Math.max(bottom, p.y + NODE_H + 60);
    /** Places `id` (and its unplaced descendants) with its corner at (x, y); returns its size. */
    const place = (id: string, x: number, y: number): { w: number; h: number } => {
      if (waiting.delete(id)) this.positions.set(id, { x, y });
      const origin = this.positions.get(id)!;
      if (!this.containers.has(id)) return { w: NODE_W, h: NODE_H };
      const kids = this.children.get(id) ?? [];
      const perRow = Math.max(1, Math.ceil(Math.sqrt(kids.length)));
      let cx = origin.x + PAD, cy = origin.y + HEADER_H + PAD, rowHeight = 0, width = 0;
      kids.forEach((kid, k) => {
        if (k > 0 && k % perRow === 0) {
          cx = origin.x + PAD;
          cy += rowHeight + 40;
          rowHeight = 0;
        }
        const size = waiting.has(kid) ? place(kid, cx, cy) : { w: NODE_W, h: NODE_H };
        cx += size.w + 60;
        width = Math.max(width, cx - origin.x);
        rowHeight = Math.max(rowHeight, size.h);
      });
      return { w: Math.max(MIN_BOX.w, width - 60 + PAD), h: Math.max(MIN_BOX.h, cy + rowHeight + PAD - origin.y) };
    };
    const roots = unplaced.filter((c) => !this.parentOf.has(c.id) || !waiting.has(this.parentOf.get(c.id)!.parent));
    const columns = Math.max(1, Math.ceil(Math.sqrt(roots.length)));
    let x = 0, y = bottom, rowHeight = 0;
    roots.forEach((component, i) => {
      if (i > 0 && i % columns === 0) {
        x = 0;
        y += rowHeight + 60;
        rowHeight = 0;
      }
      if (!waiting.has(component.id)) return;
      const size = place(component.id, x, y);
      x += size.w + 80;
      rowHeight = Math.max(rowHeight, size.h);
    });
    for (const id of waiting) this.positions.set(id, { x: 0, y: bottom });
  }

  private isAncestor(candidate: string, of: string): boolean {
    for (let at: string | undefined = of, guard = 0; at && guard < 64; at = this.parentOf.get(at)?.parent, guard++) if (at === candidate) return true;
    return false;
  }

  private descendants(id: string): string[] {
    const out: string[] = [];
    const walk = (at: string) => {
      for (const kid of this.children.get(at) ?? []) {
        out.push(kid);
        walk(kid);
      }
    };
    walk(id);
    return out;
  }

  private depth(id: string): number {
    let depth = 0;
    for (let at = this.parentOf.get(id)?.parent; at && depth < 64; at = this.parentOf.get(at)?.parent) depth++;
    return depth;
  }

  /** A component's position, with the drag in progress applied. */
  private positionOf(id: string): Point {
    const base = this.positions.get(id) ?? { x: 0, y: 0 };
    const drag = this.drag;
    if (drag?.mode === 'node' && drag.id === id) return { x: drag.at.x - drag.grab.x, y: drag.at.y - drag.grab.y };
    if (drag?.mode === 'group' && drag.members.includes(id)) return { x: base.x + drag.at.x - drag.start.x, y: base.y + drag.at.y - drag.start.y };
    return base;
  }

  private nodeRect(id: string): Rect {
    const p = this.positionOf(id);
    return { x: p.x, y: p.y, w: NODE_W, h: NODE_H };
  }

  /** A container's box: its own corner plus every child (except `without`, the one being dragged). */
  boxOf(id: string, without: string | null = null): Rect {
    const p = this.positionOf(id);
    let x0 = p.x, y0 = p.y, x1 = p.x + MIN_BOX.w, y1 = p.y + MIN_BOX.h;
    for (const child of this.children.get(id) ?? []) {
      if (child === without) continue;
      const r = this.containers.has(child) ? this.boxOf(child, without) : this.nodeRect(child);
      x0 = Math.min(x0, r.x - PAD);
      y0 = Math.min(y0, r.y - PAD - HEADER_H);
      x1 = Math.max(x1, r.x + r.w + PAD);
      y1 = Math.max(y1, r.y + r.h + PAD);
    }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  /** The innermost container under a world point (ignoring `without`'s own box). */
  containerAt(point: Point, without: string | null): string | null {
    let best: string | null = null;
    let area = Infinity;
    for (const id of this.containers) {
      if (id === without || !this.containerKinds.has(kindOf(this.byId.get(id)!))) continue;
      const box = this.boxOf(id, without);
      if (inside(point, box) && box.w * box.h < area) {
        best = id;
        area = box.w * box.h;
      }
    }
    return best;
  }

  private nodeAt(point: Point): string | null {
    const ids = [...this.byId.keys()].filter((id) => !this.containers.has(id));
    for (let i = ids.length - 1; i >= 0; i--) if (inside(point, this.nodeRect(ids[i]!))) return ids[i]!;
    return null;
  }

  private anyContainerAt(point: Point): string | null {
    let best: string | null = null;
    let area = Infinity;
    for (const id of this.containers) {
      const box = this.boxOf(id);
      if (inside(point, box) && box.w * box.h < area) {
        best = id;
        area = box.w * box.h;
      }
    }
    return best;
  }

  /** The relationship drawn under a world point: an edge, or a child's parent marker. */
  private relationshipAt(point: Point): string | null {
    const tolerance = 7 / this.scale;
    for (const [child, { relationship }] of this.parentOf) {
      const r = this.containers.has(child) ? this.boxOf(child) : this.nodeRect(child);
      if (Math.hypot(point.x - r.x, point.y - r.y) < 9 / this.scale + 2) return relationship.id;
    }
    for (const edge of this.edges) {
      const curve = this.curve(edge);
      for (let i = 0; i < curve.length - 1; i++) if (distanceToSegment(point, curve[i]!, curve[i + 1]!) < tolerance) return edge.relationship.id;
    }
    return null;
  }

  private world(event: { clientX: number; clientY: number }): Point {
    const bounds = this.element.getBoundingClientRect();
    return { x: (event.clientX - bounds.left - this.offset.x) / this.scale, y: (event.clientY - bounds.top - this.offset.y) / this.scale };
  }

  /** Client coordinates of a component's centre (for tests and the connect menu). */
  screenPoint(id: string): Point | null {
    if (!this.byId.has(id)) return null;
    const bounds = this.element.getBoundingClientRect();
    const rect = this.containers.has(id) ? { ...this.boxOf(id), h: HEADER_H * 2 } : this.nodeRect(id);
    const center = this.containers.has(id) ? { x: rect.x + 60, y: rect.y + HEADER_H / 2 } : { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 };
    return { x: bounds.left + this.offset.x + center.x * this.scale, y: bounds.top + this.offset.y + center.y * this.scale };
  }

  /** Client coordinates of a world point. */
  toScreen(point: Point): Point {
    const bounds = this.element.getBoundingClientRect();
    return { x: bounds.left + this.offset.x + point.x * this.scale, y: bounds.top + this.offset.y + point.y * this.scale };
  }

  /** The world point at the centre of the view. */
  center(): Point {
    return { x: (this.element.clientWidth / 2 - this.offset.x) / this.scale, y: (this.element.clientHeight / 2 - this.offset.y) / this.scale };
  }

  /** The first place right of `point` where a new card overlaps no component or container. */
  freeSpot(point: Point): Point {
    const at = { ...point };
    for (let tries = 0; tries < 60; tries++) {
      const card = { x: at.x, y: at.y, w: NODE_W, h: NODE_H };
      const blocker = [...this.byId.keys()].map((id) => (this.containers.has(id) ? this.boxOf(id) : this.nodeRect(id)))
        .find((r) => card.x < r.x + r.w + 70 && card.x + card.w + 70 > r.x && card.y < r.y + r.h + 30 && card.y + card.h + 30 > r.y);
      if (!blocker) return at;
      at.x = blocker.x + blocker.w + 90;
    }
    return at;
  }

  /** Pans so that a component is inside the view (after adding one out of sight). */
  reveal(id: string): void {
    const r = this.nodeRect(id);
    const width = this.element.clientWidth, height = this.element.clientHeight;
    const left = this.offset.x + r.x * this.scale, top = this.offset.y + r.y * this.scale;
    const right = left + r.w * this.scale, bottom = top + r.h * this.scale;
    if (left >= 20 && top >= 20 && right <= width - 20 && bottom <= height - 20) return;
    if (right > width - 20) this.offset.x -= right - (width - 40);
    if (left < 20) this.offset.x += 40 - left;
    if (bottom > height - 20) this.offset.y -= bottom - (height - 40);
    if (top < 20) this.offset.y += 40 - top;
    this.redraw();
  }

  /** Client coordinates of the middle of a container's box (for tests). */
  boxCenter(id: string): Point | null {
    if (!this.containers.has(id)) return null;
    const box = this.boxOf(id);
    return this.toScreen({ x: box.x + box.w / 2, y: box.y + box.h / 2 + HEADER_H / 2 });
  }

  parentRelationshipOf(id: string): DesignRelationship | null {
    return this.parentOf.get(id)?.relationship ?? null;
  }

  /** Zooms and pans so the whole design is visible. */
  fit(): void {
    const ids = [...this.byId.keys()];
    if (ids.length === 0) {
      this.scale = 1;
      this.offset = { x: 40, y: 40 };
      this.redraw();
      return;
    }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const r = this.containers.has(id) ? this.boxOf(id) : this.nodeRect(id);
      x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y); x1 = Math.max(x1, r.x + r.w); y1 = Math.max(y1, r.y + r.h);
    }
    const width = this.element.clientWidth || 800, height = this.element.clientHeight || 600;
    this.scale = Math.min(1.2, Math.max(0.05, Math.min((width - 60) / (x1 - x0), (height - 60) / (y1 - y0))));
    this.offset = { x: (width - (x1 - x0) * this.scale) / 2 - x0 * this.scale, y: (height - (y1 - y0) * this.scale) / 2 - y0 * this.scale };
    this.redraw();
  }

  private down(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.element.setPointerCapture(event.pointerId);
    const at = this.world(event);
    const node = this.nodeAt(at);
    const connecting = this.connectMode || event.shiftKey;
    if (node) {
      if (connecting) this.drag = { mode: 'connect', from: node, at };
      else {
        const p = this.positionOf(node);
        this.drag = { mode: 'node', id: node, grab: { x: at.x - p.x, y: at.y - p.y }, at, moved: false };
      }
      return;
    }
    const relationship = this.relationshipAt(at);
    if (relationship) {
      this.selection = { kind: 'relationship', id: relationship };
      this.callbacks.select(this.selection);
      this.redraw();
      return;
    }
    const container = this.anyContainerAt(at);
    if (container) {
      if (connecting) this.drag = { mode: 'connect', from: container, at };
      else this.drag = { mode: 'group', id: container, members: [container, ...this.descendants(container)], start: at, at, moved: false };
      return;
    }
    this.drag = { mode: 'pan', start: { x: event.clientX, y: event.clientY }, origin: { ...this.offset }, moved: false };
  }

  private move(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const at = this.world(event);
    if (drag.mode === 'pan') {
      drag.moved ||= Math.hypot(event.clientX - drag.start.x, event.clientY - drag.start.y) > 3;
      this.offset = { x: drag.origin.x + event.clientX - drag.start.x, y: drag.origin.y + event.clientY - drag.start.y };
    } else if (drag.mode === 'node') {
      drag.moved ||= Math.hypot(at.x - drag.at.x, at.y - drag.at.y) * this.scale > 3;
      drag.at = at;
      if (drag.moved) this.dropTarget = this.containerAt(at, drag.id);
    } else if (drag.mode === 'group') {
      drag.moved ||= Math.hypot(at.x - drag.start.x, at.y - drag.start.y) * this.scale > 3;
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
    const at = this.world(event);
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
        this.positions.set(drag.id, position);
        this.callbacks.moved(drag.id, position, target);
      }
    } else if (drag.mode === 'group') {
      this.selection = { kind: 'component', id: drag.id };
      this.callbacks.select(this.selection);
      if (drag.moved) {
        const dx = Math.round(at.x - drag.start.x), dy = Math.round(at.y - drag.start.y);
        const moves = drag.members.map((id) => {
          const p = this.positions.get(id) ?? { x: 0, y: 0 };
          const next = { id, x: p.x + dx, y: p.y + dy };
          this.positions.set(id, { x: next.x, y: next.y });
          return next;
        });
        this.callbacks.movedGroup(moves);
      }
    } else {
      const to = this.nodeAt(at) ?? this.anyContainerAt(at);
      if (to && to !== drag.from) this.callbacks.connect(drag.from, to, { x: event.clientX, y: event.clientY });
    }
    this.redraw();
  }

  private wheel(event: WheelEvent): void {
    event.preventDefault();
    const before = this.world(event);
    this.scale = Math.min(3, Math.max(0.04, this.scale * Math.exp(-event.deltaY * 0.0015)));
    const bounds = this.element.getBoundingClientRect();
    this.offset = { x: event.clientX - bounds.left - before.x * this.scale, y: event.clientY - bounds.top - before.y * this.scale };
    this.redraw();
  }

  redraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** Points along an edge (a gentle curve, offset per lane so parallel edges stay apart). */
  private curve(edge: { from: string; to: string; lane: number }): Point[] {
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

  private anchor(id: string): { rect: Rect; center: Point } {
    const rect = this.containers.has(id) ? { ...this.boxOf(id), h: HEADER_H } : this.nodeRect(id);
    return { rect, center: { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 } };
  }

  private paint(): void {
    const canvas = this.element;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = this.context;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    this.paintGrid(g, width, height);
    g.translate(this.offset.x, this.offset.y);
    g.scale(this.scale, this.scale);
    const detailed = this.scale > 0.35;
    const selectedRelationship = this.selection?.kind === 'relationship' ? this.selection.id : null;
    const selectedComponent = this.selection?.kind === 'component' ? this.selection.id : null;

    const containers = [...this.containers].map((id) => ({ id, box: this.boxOf(id, this.drag?.mode === 'node' ? this.drag.id : null) }))
      .sort((a, b) => this.depth(a.id) - this.depth(b.id));
    for (const { id, box } of containers) this.paintContainer(g, id, box, detailed, id === selectedComponent);

    for (const edge of this.edges) {
      if (edge.relationship.id === selectedRelationship) continue;
      this.paintEdge(g, edge, false, detailed);
    }
    for (const id of this.byId.keys()) if (!this.containers.has(id)) this.paintNode(g, id, detailed, id === selectedComponent);
    for (const [child, { relationship }] of this.parentOf) {
      const r = this.containers.has(child) ? this.boxOf(child) : this.nodeRect(child);
      g.beginPath();
      g.arc(r.x, r.y, relationship.id === selectedRelationship ? 8 : 6, 0, Math.PI * 2);
      g.fillStyle = statusColor(relationship.status);
      g.fill();
      g.lineWidth = 2;
      g.strokeStyle = relationship.id === selectedRelationship ? '#111827' : '#ffffff';
      g.stroke();
    }
    for (const edge of this.edges) if (edge.relationship.id === selectedRelationship) this.paintEdge(g, edge, true, true);

    const drag = this.drag;
    if (drag?.mode === 'connect') {
      const from = this.anchor(drag.from).center;
      g.setLineDash([6, 5]);
      g.strokeStyle = '#111827';
      g.lineWidth = 2 / this.scale;
      g.beginPath();
      g.moveTo(from.x, from.y);
      g.lineTo(drag.at.x, drag.at.y);
      g.stroke();
      g.setLineDash([]);
    }
  }

  private paintGrid(g: CanvasRenderingContext2D, width: number, height: number): void {
    const step = 40 * this.scale;
    if (step < 8) return;
    g.fillStyle = '#d8dee9';
    for (let x = ((this.offset.x % step) + step) % step; x < width; x += step) {
      for (let y = ((this.offset.y % step) + step) % step; y < height; y += step) g.fillRect(x, y, 1.5, 1.5);
    }
  }

  private paintContainer(g: CanvasRenderingContext2D, id: string, box: Rect, detailed: boolean, selected: boolean): void {
    const component = this.byId.get(id)!;
    const color = kindColor(kindOf(component));
    const highlighted = id === this.dropTarget || id === this.hoverTarget;
    g.fillStyle = highlighted ? 'rgba(50,108,229,0.14)' : 'rgba(50,108,229,0.045)';
    roundRect(g, box, 10);
    g.fill();
    g.setLineDash(highlighted ? [] : [7, 5]);
    g.lineWidth = selected || highlighted ? 3 : 1.6;
    g.strokeStyle = selected ? '#111827' : color;
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = color;
    roundRect(g, { x: box.x, y: box.y, w: Math.min(box.w, 250), h: HEADER_H }, 10);
    g.fill();
    if (detailed || this.scale > 0.12) {
      g.fillStyle = '#ffffff';
      g.font = '600 14px system-ui, sans-serif';
      g.textBaseline = 'middle';
      g.fillText(`${kindOf(component)} · ${ellipsis(g, nameOf(component), 150)}`, box.x + 12, box.y + HEADER_H / 2);
    }
  }

  private paintNode(g: CanvasRenderingContext2D, id: string, detailed: boolean, selected: boolean): void {
    const component = this.byId.get(id)!;
    const kind = kindOf(component);
    const r = this.nodeRect(id);
    const color = kindColor(kind);
    g.shadowColor = 'rgba(15,23,42,0.12)';
    g.shadowBlur = detailed ? 6 : 0;
    g.shadowOffsetY = 2;
    g.fillStyle = '#ffffff';
    roundRect(g, r, 8);
    g.fill();
    g.shadowColor = 'transparent';
    g.lineWidth = selected ? 3 : 1.4;
    g.strokeStyle = selected ? '#111827' : color;
    g.stroke();
    g.fillStyle = color;
    g.fillRect(r.x + 1, r.y + 8, 4, r.h - 16);
    if (!detailed) return;
    paintShape(g, this.shapes.get(kind) ?? 'round-rectangle', { x: r.x + 20, y: r.y + r.h / 2 }, color);
    g.fillStyle = '#0f172a';
    g.font = '600 13px system-ui, sans-serif';
    g.textBaseline = 'alphabetic';
    g.fillText(ellipsis(g, nameOf(component), NODE_W - 42), r.x + 34, r.y + 20);
    g.fillStyle = '#64748b';
    g.font = '11px system-ui, sans-serif';
    g.fillText(kind, r.x + 34, r.y + 36);
  }

  private paintEdge(g: CanvasRenderingContext2D, edge: { relationship: DesignRelationship; from: string; to: string; lane: number }, selected: boolean, detailed: boolean): void {
    const points = this.curve(edge);
    const color = statusColor(edge.relationship.status);
    g.strokeStyle = color;
    g.lineWidth = selected ? 4 : 2;
    if (edge.relationship.status === 'deleted' || edge.relationship.status === 'pending') g.setLineDash([8, 5]);
    g.beginPath();
    g.moveTo(points[0]!.x, points[0]!.y);
    for (const p of points.slice(1)) g.lineTo(p.x, p.y);
    g.stroke();
    g.setLineDash([]);
    const end = points[points.length - 1]!, before = points[points.length - 2]!;
    const angle = Math.atan2(end.y - before.y, end.x - before.x);
    const size = selected ? 14 : 11;
    g.fillStyle = color;
    g.beginPath();
    g.moveTo(end.x, end.y);
    g.lineTo(end.x - size * Math.cos(angle - 0.4), end.y - size * Math.sin(angle - 0.4));
    g.lineTo(end.x - size * Math.cos(angle + 0.4), end.y - size * Math.sin(angle + 0.4));
    g.closePath();
    g.fill();
    if (!detailed) return;
    const middle = points[6]!;
    const label = edge.relationship.subType ?? edge.relationship.type ?? '';
    g.font = `${selected ? 600 : 500} 11px system-ui, sans-serif`;
    const width = g.measureText(label).width + 10;
    g.fillStyle = '#ffffff';
    roundRect(g, { x: middle.x - width / 2, y: middle.y - 9, w: width, h: 18 }, 9);
    g.fill();
    g.lineWidth = 1;
    g.strokeStyle = color;
    g.stroke();
    g.fillStyle = color;
    g.textBaseline = 'middle';
    g.fillText(label, middle.x - width / 2 + 5, middle.y + 0.5);
  }
}

function inside(p: Point, r: Rect): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x, dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Where the segment from the centre `from` towards `to` leaves the rectangle. */
function clip(rect: Rect, from: Point, to: Point): Point {
  const dx = to.x - from.x, dy = to.y - from.y;
  const tx = dx === 0 ? Infinity : (rect.w / 2) / Math.abs(dx);
  const ty = dy === 0 ? Infinity : (rect.h / 2) / Math.abs(dy);
  const t = Math.min(tx, ty, 1);
  return { x: from.x + dx * t, y: from.y + dy * t };
}

function roundRect(g: CanvasRenderingContext2D, r: Rect, radius: number): void {
  g.beginPath();
  g.roundRect(r.x, r.y, r.w, r.h, radius);
}

function ellipsis(g: CanvasRenderingContext2D, text: string, width: number): string {
  if (g.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && g.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The shape of the component definition's `styles.shape`, as a small glyph. */
function paintShape(g: CanvasRenderingContext2D, shape: string, c: Point, color: string): void {
  g.fillStyle = color;
  g.beginPath();
  if (shape === 'circle') g.arc(c.x, c.y, 7, 0, Math.PI * 2);
  else if (shape === 'rectangle') g.rect(c.x - 7, c.y - 7, 14, 14);
  else if (shape === 'bottom-round-rectangle') {
    g.roundRect(c.x - 7, c.y - 7, 14, 14, [0, 0, 5, 5]);
  } else g.roundRect(c.x - 7, c.y - 7, 14, 14, 4);
  g.fill();
}
