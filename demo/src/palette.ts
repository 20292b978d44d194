// The palette of component kinds: the few the ten-second story needs first, then every other
// kind. Click one to add it in free space near the middle of the view, or drag it onto the canvas
// (the canvas takes the drop).
import type { DesignCanvas } from './canvas/design-canvas.js';
import { byId, h } from './dom.js';
import type { Gestures } from './gestures.js';
import { kindColor } from './model.js';
import type { KindInfo } from './templates.js';

/** The kinds first in the palette: what the ten-second story needs. */
const CORE_KINDS = ['Namespace', 'Deployment', 'Service', 'Pod', 'ConfigMap', 'Ingress'];

export function renderPalette(catalog: KindInfo[], canvas: DesignCanvas, gestures: Gestures): void {
  const item = (info: KindInfo) => h('li', {
    draggable: true, title: `${info.kind} (${info.apiVersion || 'from a relationship definition'}) — from a ${info.source}`, 'data-kind': info.kind,
    ondragstart: (event: DragEvent) => event.dataTransfer?.setData('application/x-kind', info.kind),
    onclick: () => {
      const c = canvas.center();
      gestures.add(info.kind, canvas.freeSpot({ x: c.x - 240, y: c.y - 23 }), null);
    },
  }, h('span', { class: 'swatch', style: `background:${kindColor(info.kind)}` }), info.displayName);
  const core = CORE_KINDS.map((kind) => catalog.find((k) => k.kind === kind)).filter((k): k is KindInfo => !!k);
  byId('palette').append(...core.map(item), h('li', { class: 'group' }, 'More kinds'),
    ...catalog.filter((k) => !CORE_KINDS.includes(k.kind)).map((info) => { const li = item(info); li.classList.add('more'); return li; }));
}
