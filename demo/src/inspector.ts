// The side panel: the selected component (name, namespace, labels, configuration, delete, its
// relationships) or the selected relationship (type, status, ends, "why?" through `explain`).
import type { Component, Design, DesignRelationship, Edit, Explanation } from '@meshery/relationship-evaluator';
import { h } from './dom.js';
import { componentsById, endpoints, kindOf, nameOf, statusColor, typeOf } from './model.js';
import type { Selection } from './canvas/design-canvas.js';

export interface InspectorActions {
  /** Applies a batch labelled for the history. */
  apply(label: string, edits: Edit[]): Promise<unknown>;
  select(selection: Selection): void;
  explain(id: string): Promise<Explanation>;
}

/** Edits that first drop every relationship naming `id`, so evaluation re-identifies only those that still hold. */
export function rematch(design: Design, id: string): Edit[] {
  return (design.relationships ?? []).filter((r) => {
    const { from, to } = endpoints(r);
    return from.includes(id) || to.includes(id);
  }).map((r) => ({ op: 'removeRelationship', id: r.id }));
}

const labelsText = (labels: unknown): string =>
  Object.entries((labels ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${v}`).join('\n');

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text.split(/[\n,]/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) throw new Error(`"${trimmed}" is not key=value`);
    labels[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  }
  return labels;
}

export class Inspector {
  private explained: { id: string; explanation: Explanation | string } | null = null;
  /** The "re-match" choice survives re-renders (each batch re-renders the panel). */
  private rematchChecked = true;

  constructor(private readonly root: HTMLElement, private readonly actions: InspectorActions) {}

  render(design: Design, selection: Selection): void {
    const byId = componentsById(design);
    if (selection?.kind === 'component' && byId.has(selection.id)) this.root.replaceChildren(this.component(design, byId.get(selection.id)!, byId));
    else if (selection?.kind === 'relationship') {
      const relationship = (design.relationships ?? []).find((r) => r.id === selection.id);
      this.root.replaceChildren(relationship ? this.relationship(relationship, byId) : h('p', { class: 'muted' }, 'That relationship is gone.'));
    } else {
      this.root.replaceChildren(h('p', { class: 'muted' }, 'Select a component or a relationship. Drag a component onto a Namespace to nest it; Shift+drag from one component to another to connect them.'));
    }
  }

  private component(design: Design, component: Component, byId: Map<string, Component>): HTMLElement {
    const configuration = (component.configuration ?? {}) as Record<string, any>;
    const topLabels = (component as any).metadata?.labels;
    const labels = configuration.metadata?.labels ?? topLabels ?? {};
    const rematchBox = h('input', { type: 'checkbox', checked: this.rematchChecked, 'data-testid': 'rematch', onchange: () => (this.rematchChecked = rematchBox.checked) });
    const withRematch = (edits: Edit[]): Edit[] => (rematchBox.checked ? [...rematch(design, component.id), ...edits] : edits);
    const error = h('p', { class: 'error', 'data-testid': 'inspector-error' });
    const run = (label: string, edits: () => Edit[]) => async () => {
      error.textContent = '';
      try {
        await this.actions.apply(label, edits());
      } catch (failure) {
        error.textContent = String((failure as Error).message ?? failure);
      }
    };
    const name = h('input', { value: component.displayName ?? '', 'data-testid': 'name' });
    const namespace = h('input', { value: configuration.metadata?.namespace ?? '', placeholder: '(none)', 'data-testid': 'namespace' });
    const labelArea = h('textarea', { rows: 3, value: labelsText(labels), 'data-testid': 'labels', spellcheck: false });
    const configArea = h('textarea', { rows: 12, value: JSON.stringify(configuration, null, 2), 'data-testid': 'configuration', spellcheck: false, class: 'code' });
    const kind = kindOf(component);

    const labelEdits = (): Edit[] => {
      const next = parseLabels(labelArea.value);
      // Meshery's Service → Pod definition reads the component's top-level `metadata.labels`,
      // which no edit sets alone: such a component is replaced (remove + add, one batch).
      if (topLabels !== undefined) {
        const replaced = structuredClone(component) as any;
        replaced.metadata = { ...replaced.metadata, labels: next };
        replaced.configuration = { ...replaced.configuration, metadata: { ...(replaced.configuration?.metadata ?? {}), labels: next } };
        return withRematch([{ op: 'removeComponent', id: component.id }, { op: 'addComponent', component: replaced }]);
      }
      return withRematch([{ op: 'setLabels', id: component.id, labels: next }]);
    };
    const related = (design.relationships ?? []).filter((r) => {
      const { from, to } = endpoints(r);
      return from.includes(component.id) || to.includes(component.id);
    });
    const rename = run(`rename ${nameOf(component)}`, () => [{ op: 'renameComponent', id: component.id, displayName: name.value.trim() }]);
    name.addEventListener('keydown', (event) => event.key === 'Enter' && rename());
    const setNamespace = run(`namespace of ${nameOf(component)}`, () => withRematch([{ op: 'setNamespace', id: component.id, namespace: namespace.value.trim() || null }]));
    namespace.addEventListener('keydown', (event) => event.key === 'Enter' && setNamespace());
    return h('div', { class: 'inspector', 'data-testid': 'component-inspector' },
      h('h2', {}, h('span', { class: 'kind-chip' }, kind), ' ', nameOf(component)),
      h('p', { class: 'muted mono' }, component.id),
      h('label', {}, 'Name', h('span', { class: 'row' }, name, h('button', { onclick: rename, 'data-testid': 'rename' }, 'Rename'))),
      h('label', {}, 'Namespace', h('span', { class: 'row' }, namespace, h('button', { onclick: setNamespace, 'data-testid': 'apply-namespace' }, 'Set'))),
      h('label', {}, `Labels${topLabels !== undefined ? ' (metadata.labels and configuration.metadata.labels)' : ' (configuration.metadata.labels)'}`, labelArea,
        h('button', { onclick: run(`labels of ${nameOf(component)}`, labelEdits), 'data-testid': 'apply-labels' }, 'Apply labels')),
      h('label', { class: 'check', title: 'Checked: the batch first removes every relationship naming this component, so the evaluation keeps only those that still hold. Unchecked: Meshery semantics — existing relationships stay and patch the values they relate.' },
        rematchBox, 'Re-match relationships on edit'),
      h('details', {}, h('summary', {}, 'Configuration (JSON)'), configArea,
        h('button', { onclick: run(`configuration of ${nameOf(component)}`, () => withRematch([{ op: 'setConfiguration', id: component.id, configuration: JSON.parse(configArea.value) }])) }, 'Apply configuration')),
      error,
      h('button', { class: 'danger', 'data-testid': 'delete-component', onclick: run(`delete ${nameOf(component)}`, () => [{ op: 'removeComponent', id: component.id }]) }, 'Delete component'),
      h('h3', {}, `Relationships (${related.length})`),
      relationshipList(related, byId, (id) => this.actions.select({ kind: 'relationship', id })),
    );
  }

  private relationship(relationship: DesignRelationship, byId: Map<string, Component>): HTMLElement {
    const { from, to } = endpoints(relationship);
    const names = (ids: string[]) => ids.map((id) => `${nameOf(byId.get(id))} (${byId.get(id) ? kindOf(byId.get(id)!) : 'missing'})`).join(', ');
    const why = h('div', { 'data-testid': 'explanation' });
    if (this.explained?.id === relationship.id) why.append(explanationView(this.explained.explanation, byId));
    const status = h('select', { 'data-testid': 'status' }, ...['approved', 'pending', 'identified', 'deleted'].map((s) => h('option', { value: s, selected: s === relationship.status }, s)));
    return h('div', { class: 'inspector', 'data-testid': 'relationship-inspector' },
      h('h2', {}, h('span', { class: 'status-chip', style: `background:${statusColor(relationship.status)}` }, relationship.status ?? '?'), ' ', typeOf(relationship)),
      h('p', { class: 'muted mono' }, relationship.id),
      h('p', {}, h('b', {}, 'from '), names(from)),
      h('p', {}, h('b', {}, 'to '), names(to)),
      h('div', { class: 'row' },
        h('button', { 'data-testid': 'why', onclick: async () => {
          try {
            this.explained = { id: relationship.id, explanation: await this.actions.explain(relationship.id) };
          } catch (error) {
            this.explained = { id: relationship.id, explanation: String((error as Error).message ?? error) };
          }
          why.replaceChildren(explanationView(this.explained.explanation, byId));
        } }, 'Why?'),
        status,
        h('button', { onclick: () => this.actions.apply(`status ${status.value}`, [{ op: 'setRelationshipStatus', id: relationship.id, status: status.value }]) }, 'Set status'),
        h('button', { class: 'danger', onclick: () => this.actions.apply(`remove ${relationship.subType ?? ''} relationship`, [{ op: 'removeRelationship', id: relationship.id }]) }, 'Remove'),
      ),
      why,
    );
  }
}

/** A clickable list of relationships. */
export function relationshipList(relationships: DesignRelationship[], byId: Map<string, Component>, select: (id: string) => void, limit = 200): HTMLElement {
  const list = h('ul', { class: 'relationships' });
  for (const r of relationships.slice(0, limit)) {
    const { from, to } = endpoints(r);
    list.append(h('li', { 'data-relationship': r.id, 'data-type': typeOf(r), 'data-status': r.status ?? '', onclick: () => select(r.id) },
      h('span', { class: 'dot', style: `background:${statusColor(r.status)}` }),
      h('span', {}, `${r.subType ?? r.type} · ${from.map((id) => nameOf(byId.get(id))).join(',')} → ${to.map((id) => nameOf(byId.get(id))).join(',')}`),
      h('span', { class: 'muted' }, ` ${r.status ?? ''}`)));
  }
  if (relationships.length > limit) list.append(h('li', { class: 'muted' }, `…and ${relationships.length - limit} more`));
  return list;
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function explanationView(explanation: Explanation | string, byId: Map<string, Component>): HTMLElement {
  if (typeof explanation === 'string') return h('p', { class: 'error' }, explanation);
  const rows = explanation.comparisons.map((c) => h('tr', { class: c.equal ? 'equal' : 'different' },
    h('td', {}, c.equal ? '✓' : '✗'),
    h('td', {}, h('b', {}, nameOf(byId.get(c.mutatorId))), h('br'), h('span', { class: 'mono' }, c.mutatorPath.join('.')), h('br'), h('code', {}, show(c.mutatorValue))),
    h('td', {}, h('b', {}, nameOf(byId.get(c.mutatedId))), h('br'), h('span', { class: 'mono' }, c.mutatedPath.join('.')), h('br'), h('code', {}, show(c.mutatedValue)))));
  return h('div', { class: 'why' },
    h('p', {}, `${explanation.relationshipType}, ${explanation.status}`, explanation.definitionIndex === null ? ' — no registered definition matches' : ` — declared from definition #${explanation.definitionIndex}${explanation.definitionId ? ` (${explanation.definitionId})` : ''}`),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'mutator (from)'), h('th', {}, 'mutated (to)'))), h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'No compared values: the definition relates these kinds without comparing fields.'));
}
