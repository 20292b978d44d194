// The key to the canvas's colours: one swatch per relationship status, and what boxes and arrows mean.
import { byId, h } from './dom.js';
import { STATUS_COLORS } from './model.js';

export function renderLegend(): void {
  byId('legend').append(...Object.entries(STATUS_COLORS).map(([status, color]) => h('span', {}, h('i', { style: `background:${color}` }), status)),
    h('span', { class: 'muted' }, 'boxes: hierarchical parent · arrows: edges'));
}
