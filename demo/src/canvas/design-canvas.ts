// The design on a <canvas>, as the app sees it: one object that shows a design, reports
// gestures through callbacks and answers where things are. The work is done by its parts, one
// idea a file beside this one: scene (what is drawn), positions (where), auto-layout (placing
// what has no position), hit-test (what is under a point), viewport (pan and zoom), pointer
// (gestures), paint (pixels).
import type { Design, DesignRelationship } from '@meshery/relationship-evaluator';
import { cardsOverlap, freeSpotRightOf, placeUnplaced } from './auto-layout.js';
import { HEADER_H, type Point } from './geometry.js';
import { HitTest } from './hit-test.js';
import { Painter } from './paint.js';
import { Pointer, type CanvasCallbacks, type Selection } from './pointer.js';
import { Positions } from './positions.js';
import { Scene } from './scene.js';
import { Viewport } from './viewport.js';

export type { CanvasCallbacks, Selection } from './pointer.js';

export class DesignCanvas {
  private readonly scene: Scene;
  private readonly positions: Positions;
  private readonly viewport: Viewport;
  private readonly pointer: Pointer;
  private readonly painter: Painter;

  /** `containerKinds`: kinds drawn as boxes that take children; `shapes`: each kind's glyph. */
  constructor(readonly element: HTMLCanvasElement, containerKinds: Set<string>, shapes: Map<string, string>, callbacks: CanvasCallbacks) {
    this.scene = new Scene(containerKinds);
    this.positions = new Positions(this.scene, (id, stored) => this.pointer.preview(id, stored));
    this.viewport = new Viewport(element);
    const hits = new HitTest(this.scene, this.positions);
    this.pointer = new Pointer(element, { scene: this.scene, positions: this.positions, hits, viewport: this.viewport }, callbacks, () => this.redraw());
    this.painter = new Painter(element, shapes, { scene: this.scene, positions: this.positions, viewport: this.viewport, pointer: this.pointer });
    new ResizeObserver(() => this.redraw()).observe(element);
  }

  get selection(): Selection {
    return this.pointer.selection;
  }

  /** Set by the app when it selects from a panel; call `redraw` to show it. */
  set selection(next: Selection) {
    this.pointer.selection = next;
  }

  get connectMode(): boolean {
    return this.pointer.connectMode;
  }

  set connectMode(on: boolean) {
    this.pointer.connectMode = on;
  }

  /** Shows a new design (positions: `styles.position`, else laid out once). */
  setDesign(design: Design): void {
    this.scene.show(design);
    placeUnplaced(this.scene, this.positions.stored);
    this.redraw();
  }

  /** Positions for every component, laid out afresh (parents as grids of their children). */
  tidyPositions(): { id: string; x: number; y: number }[] {
    const fresh = new Map<string, Point>();
    placeUnplaced(this.scene, fresh, true);
    return [...fresh].map(([id, p]) => ({ id, x: Math.round(p.x), y: Math.round(p.y) }));
  }

  /** True when two cards (outside containers) overlap: the design needs tidying to be readable. */
  overlapping(): boolean {
    return cardsOverlap(this.scene, this.positions);
  }

  /** The first place right of `point` where a new card overlaps no component or container. */
  freeSpot(point: Point): Point {
    return freeSpotRightOf(this.scene, this.positions, point);
  }

  parentRelationshipOf(id: string): DesignRelationship | null {
    return this.scene.parentRelationshipOf(id);
  }

  /** Client coordinates of a component's centre, or of a container's title (for tests and the connect menu). */
  screenPoint(id: string): Point | null {
    if (!this.scene.byId.has(id)) return null;
    if (!this.scene.containers.has(id)) {
      const card = this.positions.card(id);
      return this.viewport.toScreen({ x: card.x + card.w / 2, y: card.y + card.h / 2 });
    }
    const box = this.positions.box(id);
    return this.viewport.toScreen({ x: box.x + 60, y: box.y + HEADER_H / 2 });
  }

  /** Client coordinates of the middle of a container's box (for tests). */
  boxCenter(id: string): Point | null {
    if (!this.scene.containers.has(id)) return null;
    const box = this.positions.box(id);
    return this.viewport.toScreen({ x: box.x + box.w / 2, y: box.y + box.h / 2 + HEADER_H / 2 });
  }

  /** The world point at the centre of the view. */
  center(): Point {
    return this.viewport.center();
  }

  /** Pans so that a component is inside the view (after adding one out of sight). */
  reveal(id: string): void {
    if (this.viewport.reveal(this.positions.card(id))) this.redraw();
  }

  /** Zooms and pans so the whole design is visible. */
  fit(): void {
    this.viewport.fit(this.positions.extent());
    this.redraw();
  }

  redraw(): void {
    this.painter.redraw();
  }
}
