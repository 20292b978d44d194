// The Design panel: the design's name and size, its relationships counted by type and status,
// the full list (a click selects one) and where the undo history stands.
import { byId, h } from './dom.js';
import { relationshipList } from './inspector.js';
import { componentsById, typeOf } from './model.js';
import type { Session } from './session.js';

export class DesignSummary {
  /** Whether "All relationships" is open, kept across renders. */
  private allOpen = false;

  /** `selectRelationship`: a click on a listed relationship. */
  constructor(private readonly session: Session, private readonly selectRelationship: (id: string) => void) {}

  render(): void {
    const design = this.session.design;
    const all = h('details', { open: this.allOpen, ontoggle: () => (this.allOpen = all.open) }, h('summary', {}, `All relationships (${(design.relationships ?? []).length})`),
      relationshipList(design.relationships ?? [], componentsById(design), this.selectRelationship));
    const relationships = design.relationships ?? [];
    const counts = new Map<string, number>();
    for (const r of relationships) counts.set(`${typeOf(r)} · ${r.status}`, (counts.get(`${typeOf(r)} · ${r.status}`) ?? 0) + 1);
    byId('summary').replaceChildren(
      h('p', {}, h('b', {}, design.name ?? 'untitled'), ` · version ${design.version ?? '?'} · ${design.components?.length ?? 0} components · ${relationships.length} relationships`),
      h('ul', { class: 'plain' }, ...[...counts].sort().map(([key, n]) => h('li', {}, `${key}: ${n}`))),
      all,
      h('p', { class: 'muted' }, `history: ${this.session.cursor} of ${this.session.log.length} batches since “${this.session.baseLabel}”`),
    );
  }
}
