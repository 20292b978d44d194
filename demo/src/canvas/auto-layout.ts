// Places what the design gives no position: each container a grid of its children, the
// top-level components a grid below everything already placed. Also the two questions that
// decide when to lay out: do cards overlap (Meshery's own files place small icons, not our
// cards), and where does a new card fit.
import type { Component } from '@meshery/relationship-evaluator';
import { HEADER_H, MIN_BOX, NODE_H, NODE_W, PAD, type Point } from './geometry.js';
import type { Positions } from './positions.js';
import type { Scene } from './scene.js';

/**
 * Fills `positions` for components that have none: `styles.position` when the design states one
 * (unless `fresh`: lay out everything anew), else a place in a grid. Drops the positions of
 * components no longer in the scene.
 */
export function placeUnplaced(scene: Scene, positions: Map<string, Point>, fresh = false): void {
  for (const id of [...positions.keys()]) if (!scene.byId.has(id)) positions.delete(id);
  const unplaced: Component[] = [];
  for (const component of scene.byId.values()) {
    const position = fresh ? null : statedPosition(component);
    if (position) positions.set(component.id, position);
    else if (!positions.has(component.id)) unplaced.push(component);
  }
  if (unplaced.length === 0) return;
  const waiting = new Set(unplaced.map((c) => c.id));
  let bottom = 0;
  for (const p of positions.values()) bottom = Math.max(bottom, p.y + NODE_H + 60);
  /** Places `id` (and its unplaced descendants) with its corner at (x, y); returns its size. */
  const place = (id: string, x: number, y: number): { w: number; h: number } => {
    if (waiting.delete(id)) positions.set(id, { x, y });
    const origin = positions.get(id)!;
    if (!scene.containers.has(id)) return { w: NODE_W, h: NODE_H };
    const kids = scene.children.get(id) ?? [];
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
  const roots = unplaced.filter((c) => !scene.parentOf.has(c.id) || !waiting.has(scene.parentOf.get(c.id)!.parent));
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
  for (const id of waiting) positions.set(id, { x: 0, y: bottom });
}

function statedPosition(component: Component): Point | null {
  const position = (component as any).styles?.position;
  return position && Number.isFinite(position.x) && Number.isFinite(position.y) ? { x: position.x, y: position.y } : null;
}

/** True when two cards (outside containers) overlap: the design needs tidying to be readable. */
export function cardsOverlap(scene: Scene, positions: Positions): boolean {
  const cards = scene.cards().map((id) => positions.card(id));
  // Pairwise is quadratic: past a few hundred cards, skip the check rather than stall the load.
  if (cards.length > 400) return false;
  for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) {
    const a = cards[i]!, b = cards[j]!;
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
  }
  return false;
}

/** The first place right of `point` where a new card overlaps no component or container. */
export function freeSpotRightOf(scene: Scene, positions: Positions, point: Point): Point {
  const at = { ...point };
  for (let tries = 0; tries < 60; tries++) {
    const card = { x: at.x, y: at.y, w: NODE_W, h: NODE_H };
    const blocker = [...scene.byId.keys()].map((id) => positions.outline(id))
      .find((r) => card.x < r.x + r.w + 70 && card.x + card.w + 70 > r.x && card.y < r.y + r.h + 30 && card.y + card.h + 30 > r.y);
    if (!blocker) return at;
    at.x = blocker.x + blocker.w + 90;
  }
  return at;
}
