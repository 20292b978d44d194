// What is under a world point: a card, the innermost container, or a relationship (an arrow, or
// the dot a child wears for its parent relationship). Cards win over containers because they
// are drawn on top of them.
import { distanceToSegment, inside, type Point } from './geometry.js';
import type { Positions } from './positions.js';
import type { Scene } from './scene.js';

export class HitTest {
  constructor(private readonly scene: Scene, private readonly positions: Positions) {}

  /** The card under a point; the last drawn wins, as it is the one on top. */
  cardAt(point: Point): string | null {
    const ids = this.scene.cards();
    for (let i = ids.length - 1; i >= 0; i--) if (inside(point, this.positions.card(ids[i]!))) return ids[i]!;
    return null;
  }

  /** The innermost container under a point, whatever its kind (for dragging and connecting). */
  containerAt(point: Point): string | null {
    return this.innermost(point, this.scene.containers, null);
  }

  /**
   * The innermost container of a container kind under a point: where a dropped component would be
   * nested. `without` is the component being dragged, whose own box must not catch it.
   */
  dropTargetAt(point: Point, without: string | null): string | null {
    return this.innermost(point, [...this.scene.containers].filter((id) => id !== without && this.scene.acceptsDrops(id)), without);
  }

  /** The relationship drawn under a point; `scale` keeps the tolerance a few screen pixels at any zoom. */
  relationshipAt(point: Point, scale: number): string | null {
    const tolerance = 7 / scale;
    for (const [child, { relationship }] of this.scene.parentOf) {
      const r = this.positions.outline(child);
      if (Math.hypot(point.x - r.x, point.y - r.y) < 9 / scale + 2) return relationship.id;
    }
    for (const edge of this.scene.edges) {
      const curve = this.positions.curve(edge);
      for (let i = 0; i < curve.length - 1; i++) if (distanceToSegment(point, curve[i]!, curve[i + 1]!) < tolerance) return edge.relationship.id;
    }
    return null;
  }

  /** Nested boxes all contain the point: the smallest is the innermost. */
  private innermost(point: Point, candidates: Iterable<string>, without: string | null): string | null {
    let best: string | null = null;
    let area = Infinity;
    for (const id of candidates) {
      const box = this.positions.box(id, without);
      if (inside(point, box) && box.w * box.h < area) {
        best = id;
        area = box.w * box.h;
      }
    }
    return best;
  }
}
