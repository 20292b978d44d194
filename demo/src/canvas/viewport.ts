// Pan and zoom: how world points (the design's coordinates) map to the canvas element's pixels.
// Screen points are client coordinates, as mouse events and the end-to-end tests use them.
import type { Point, Rect } from './geometry.js';

export class Viewport {
  scale = 1;
  /** Where the world origin is, in pixels from the element's top-left corner. */
  offset: Point = { x: 40, y: 40 };

  constructor(private readonly element: HTMLCanvasElement) {}

  /** The world point under a mouse position. */
  toWorld(event: { clientX: number; clientY: number }): Point {
    const bounds = this.element.getBoundingClientRect();
    return { x: (event.clientX - bounds.left - this.offset.x) / this.scale, y: (event.clientY - bounds.top - this.offset.y) / this.scale };
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

  /** Zooms by a wheel step, keeping the world point under the pointer where it is. */
  zoom(event: WheelEvent): void {
    const before = this.toWorld(event);
    this.scale = Math.min(3, Math.max(0.04, this.scale * Math.exp(-event.deltaY * 0.0015)));
    const bounds = this.element.getBoundingClientRect();
    this.offset = { x: event.clientX - bounds.left - before.x * this.scale, y: event.clientY - bounds.top - before.y * this.scale };
  }

  /** Pans the least that brings `rect` inside the view with a margin; false when it already was. */
  reveal(rect: Rect): boolean {
    const width = this.element.clientWidth, height = this.element.clientHeight;
    const left = this.offset.x + rect.x * this.scale, top = this.offset.y + rect.y * this.scale;
    const right = left + rect.w * this.scale, bottom = top + rect.h * this.scale;
    if (left >= 20 && top >= 20 && right <= width - 20 && bottom <= height - 20) return false;
    if (right > width - 20) this.offset.x -= right - (width - 40);
    if (left < 20) this.offset.x += 40 - left;
    if (bottom > height - 20) this.offset.y -= bottom - (height - 40);
    if (top < 20) this.offset.y += 40 - top;
    return true;
  }

  /** Zooms and pans so that `extent` fills the view, centred (null: back to the initial view). */
  fit(extent: Rect | null): void {
    if (!extent) {
      this.scale = 1;
      this.offset = { x: 40, y: 40 };
      return;
    }
    // A canvas not laid out yet has no size: assume a common one rather than divide by zero.
    const width = this.element.clientWidth || 800, height = this.element.clientHeight || 600;
    this.scale = Math.min(1.2, Math.max(0.05, Math.min((width - 60) / extent.w, (height - 60) / extent.h)));
    this.offset = { x: (width - extent.w * this.scale) / 2 - extent.x * this.scale, y: (height - extent.h * this.scale) / 2 - extent.y * this.scale };
  }
}
