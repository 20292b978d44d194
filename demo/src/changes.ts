// The "last change" panel: what the last batch did according to its delta — relationships
// added, removed and updated, components touched, and the evaluation's actions in Meshery's
// wire format — with the time the engine took.
import type { Action, Component, Design } from '@meshery/relationship-evaluator';
import { h } from './dom.js';
import { relationshipList } from './inspector.js';
import { componentsById, nameOf } from './model.js';
import type { Change } from './session.js';

const ACTION_LIMIT = 60;

function actionText(action: Action, byId: Map<string, Component>): string {
  const value = action.value as any;
  switch (action.op) {
    case 'add_relationship':
      return `${value.item?.kind}/${value.item?.subType} ${value.item?.id?.slice(0, 8)}`;
    case 'update_relationship':
      return `${value.id.slice(0, 8)} ${value.path} = ${JSON.stringify(value.value)}`;
    case 'delete_relationship':
      return `${value.id.slice(0, 8)}`;
    case 'update_component':
    case 'update_component_configuration':
      return `${nameOf(byId.get(value.id))} ${value.path.join('.')} = ${JSON.stringify(value.value)}`;
    case 'remove_component_configuration':
      return `${nameOf(byId.get(value.id))} ${value.path.join('.')}`;
    case 'add_component':
      return `${nameOf(value.item)}`;
    case 'delete_component':
      return `${nameOf(byId.get(value.id) ?? value.component)}`;
    default:
      return JSON.stringify(value);
  }
}

export function renderChanges(root: HTMLElement, design: Design, change: Change | null, select: (id: string) => void): void {
  if (!change) {
    root.replaceChildren(h('p', { class: 'muted' }, 'No change yet.'));
    return;
  }
  const byId = componentsById(design);
  const relationships = new Map((design.relationships ?? []).map((r) => [r.id, r]));
  const { delta, timing } = change;
  const section = (title: string, count: number, body: HTMLElement | null) =>
    count ? h('div', { class: 'section' }, h('h4', {}, `${title} (${count})`), body) : null;
  root.replaceChildren(h('div', {},
    h('p', { 'data-testid': 'change-label' }, h('b', {}, change.label), ` → revision ${delta.revision}`,
      timing ? h('span', { class: 'muted' }, ` · ${timing.engineMs ? `${timing.engineMs.toFixed(1)} ms in the engine, ` : ''}${timing.totalMs.toFixed(1)} ms total`) : null),
    h('p', { class: 'muted' }, `components: +${delta.componentsAdded.length} −${delta.componentsRemoved.length} ~${delta.componentsUpdated.length} · relationships: +${delta.relationshipsAdded.length} −${delta.relationshipsRemoved.length} ~${delta.relationshipsUpdated.length} · actions: ${delta.actions.length}`),
    section('Relationships added', delta.relationshipsAdded.length, relationshipList(delta.relationshipsAdded.map((r) => relationships.get(r.id) ?? r), byId, select, 40)),
    section('Relationships updated', delta.relationshipsUpdated.length, relationshipList(delta.relationshipsUpdated, byId, select, 40)),
    section('Relationships removed', delta.relationshipsRemoved.length,
      change.removed?.length ? relationshipList(change.removed, byId, () => {}, 40)
        : h('ul', { class: 'relationships' }, ...delta.relationshipsRemoved.slice(0, 40).map((id) => h('li', { 'data-relationship': id }, h('span', { class: 'dot', style: 'background:#9ca3af' }), id)))),
    section('Components updated', delta.componentsUpdated.length,
      h('ul', { class: 'plain' }, ...delta.componentsUpdated.slice(0, 40).map((c) => h('li', {}, `${nameOf(c)} (${c.component?.kind})`)))),
    section('Actions', delta.actions.length,
      h('ol', { class: 'actions' }, ...delta.actions.slice(0, ACTION_LIMIT).map((a) => h('li', {}, h('code', {}, a.op), ' ', actionText(a, byId))),
        delta.actions.length > ACTION_LIMIT ? h('li', { class: 'muted' }, `…and ${delta.actions.length - ACTION_LIMIT} more`) : null)),
  ));
}
