// Painting, at most once per animation frame: a dotted grid, containers as dashed boxes with a
// title bar (outer ones first), relationships as arrows labelled with their sub-type and
// coloured by status, components as cards in their kind's colour and shape, a dot on each child
// for its parent relationship, and the connection being drawn. Zoomed far out, text is left out.
import { kindColor, kindOf, nameOf, statusColor } from '../model.js';
import { HEADER_H, NODE_W, type Point, type Rect } from './geometry.js';
import type { Pointer } from './pointer.js';
import type { Positions } from './positions.js';
import type { Edge, Scene } from './scene.js';
import type { Viewport } from './viewport.js';

/** What a frame shows. */
export interface Picture {
  scene: Scene;
  positions: Positions;
  viewport: Viewport;
  /** The selection and the drag in progress. */
  pointer: Pointer;
}

export class Painter {
  private frame = 0;
  private readonly context: CanvasRenderingContext2D;

  /** `shapes`: each kind's `styles.shape` from its component definition. */
  constructor(private readonly element: HTMLCanvasElement, private readonly shapes: Map<string, string>, private readonly picture: Picture) {
    this.context = element.getContext('2d')!;
  }

  /** Paints on the next animation frame; many calls before it paint once. */
  redraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const { scene, positions, viewport, pointer } = this.picture;
    const canvas = this.element;
    // The backing store follows the element's size times the device's pixel ratio, so lines stay sharp.
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
    g.translate(viewport.offset.x, viewport.offset.y);
    g.scale(viewport.scale, viewport.scale);
    const detailed = viewport.scale > 0.35;
    const selection = pointer.selection;
    const selectedRelationship = selection?.kind === 'relationship' ? selection.id : null;
    const selectedComponent = selection?.kind === 'component' ? selection.id : null;

    const dragged = pointer.draggedCard();
    const containers = [...scene.containers].map((id) => ({ id, box: positions.box(id, dragged) }))
      .sort((a, b) => scene.depth(a.id) - scene.depth(b.id));
    for (const { id, box } of containers) this.paintContainer(g, id, box, detailed, id === selectedComponent);

    for (const edge of scene.edges) {
      if (edge.relationship.id === selectedRelationship) continue;
      this.paintEdge(g, edge, false, detailed);
    }
    for (const id of scene.cards()) this.paintNode(g, id, detailed, id === selectedComponent);
    for (const [child, { relationship }] of scene.parentOf) {
      const r = positions.outline(child);
      g.beginPath();
      g.arc(r.x, r.y, relationship.id === selectedRelationship ? 8 : 6, 0, Math.PI * 2);
      g.fillStyle = statusColor(relationship.status);
      g.fill();
      g.lineWidth = 2;
      g.strokeStyle = relationship.id === selectedRelationship ? '#111827' : '#ffffff';
      g.stroke();
    }
    // The selected relationship last, so nothing covers it.
    for (const edge of scene.edges) if (edge.relationship.id === selectedRelationship) this.paintEdge(g, edge, true, true);

    const connection = pointer.connection();
    if (connection) {
      const from = positions.anchor(connection.from).center;
      g.setLineDash([6, 5]);
      g.strokeStyle = '#111827';
      g.lineWidth = 2 / viewport.scale;
      g.beginPath();
      g.moveTo(from.x, from.y);
      g.lineTo(connection.at.x, connection.at.y);
      g.stroke();
      g.setLineDash([]);
    }
  }

  private paintGrid(g: CanvasRenderingContext2D, width: number, height: number): void {
    const { scale, offset } = this.picture.viewport;
    const step = 40 * scale;
    if (step < 8) return;
    g.fillStyle = '#d8dee9';
    for (let x = ((offset.x % step) + step) % step; x < width; x += step) {
      for (let y = ((offset.y % step) + step) % step; y < height; y += step) g.fillRect(x, y, 1.5, 1.5);
    }
  }

  private paintContainer(g: CanvasRenderingContext2D, id: string, box: Rect, detailed: boolean, selected: boolean): void {
    const component = this.picture.scene.byId.get(id)!;
    const color = kindColor(kindOf(component));
    const highlighted = this.picture.pointer.isDropTarget(id);
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
    // Container titles stay longer than card text: they are what tells boxes apart when zoomed out.
    if (detailed || this.picture.viewport.scale > 0.12) {
      g.fillStyle = '#ffffff';
      g.font = '600 14px system-ui, sans-serif';
      g.textBaseline = 'middle';
      g.fillText(`${kindOf(component)} · ${ellipsis(g, nameOf(component), 150)}`, box.x + 12, box.y + HEADER_H / 2);
    }
  }

  private paintNode(g: CanvasRenderingContext2D, id: string, detailed: boolean, selected: boolean): void {
    const component = this.picture.scene.byId.get(id)!;
    const kind = kindOf(component);
    const r = this.picture.positions.card(id);
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

  private paintEdge(g: CanvasRenderingContext2D, edge: Edge, selected: boolean, detailed: boolean): void {
    const points = this.picture.positions.curve(edge);
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
