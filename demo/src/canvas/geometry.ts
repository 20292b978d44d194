// Plane geometry in world units (the design's own coordinates, before pan and zoom) and the sizes
// of what the canvas draws, shared by layout, hit-testing and painting so they agree to the pixel.
export type Point = { x: number; y: number };
export type Rect = { x: number; y: number; w: number; h: number };

/** A component card. */
export const NODE_W = 156;
export const NODE_H = 46;
/** A container's title bar, and the margin its box keeps around its children. */
export const HEADER_H = 30;
export const PAD = 22;
/** The smallest container box: an empty Namespace must still be big enough to drop into. */
export const MIN_BOX = { w: 280, h: 170 };

export function inside(p: Point, r: Rect): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x, dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Where the segment from the centre `from` towards `to` leaves the rectangle. */
export function clip(rect: Rect, from: Point, to: Point): Point {
  const dx = to.x - from.x, dy = to.y - from.y;
  const tx = dx === 0 ? Infinity : (rect.w / 2) / Math.abs(dx);
  const ty = dy === 0 ? Infinity : (rect.h / 2) / Math.abs(dy);
  const t = Math.min(tx, ty, 1);
  return { x: from.x + dx * t, y: from.y + dy * t };
}
