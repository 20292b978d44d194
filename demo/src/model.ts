// Reading designs and relationships the way the canvas needs them: which components a
// relationship joins, which relationships are parents (drawn as nesting), the colours of kinds
// and statuses. Nothing here decides a relationship: the evaluator does.
import type { Component, Design, DesignRelationship, RelationshipDefinition } from '@meshery/relationship-evaluator';

export const kindOf = (component: Component): string => component.component?.kind ?? '?';

export const nameOf = (component: Component | undefined): string =>
  component ? component.displayName || (component.configuration as any)?.metadata?.name || component.id.slice(0, 8) : '(missing)';

/** The design's components by id. */
export const componentsById = (design: Design): Map<string, Component> =>
  new Map((design.components ?? []).map((component) => [component.id, component]));

/** The component ids on each side of a relationship declaration. */
export function endpoints(relationship: DesignRelationship): { from: string[]; to: string[] } {
  const from: string[] = [];
  const to: string[] = [];
  for (const selector of relationship.selectors ?? []) {
    for (const item of selector.allow?.from ?? []) if (item.id) from.push(item.id);
    for (const item of selector.allow?.to ?? []) if (item.id) to.push(item.id);
  }
  return { from, to };
}

/** `kind/type/subType`, e.g. `edge/non-binding/network`. */
export const typeOf = (relationship: { kind?: string; type?: string; subType?: string }): string =>
  `${relationship.kind ?? '?'}/${relationship.type ?? '?'}/${relationship.subType ?? '?'}`;

export const isHierarchical = (relationship: DesignRelationship): boolean => relationship.kind === 'hierarchical';

/** Relationship colour by status. */
export const STATUS_COLORS: Record<string, string> = {
  approved: '#1f9d55',
  pending: '#d97706',
  identified: '#2563eb',
  deleted: '#9ca3af',
};
export const statusColor = (status: string | undefined): string => STATUS_COLORS[status ?? ''] ?? '#6b7280';

const KIND_GROUPS: [string, string[]][] = [
  ['#326ce5', ['Namespace', 'Deployment', 'Pod', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate', 'HorizontalPodAutoscaler', 'ControllerRevision']],
  ['#0f8b8d', ['Service', 'Ingress', 'EndpointSlice', 'ServiceCIDR', 'Node']],
  ['#a16207', ['ConfigMap', 'Secret']],
  ['#7c3aed', ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass', 'CSIDriver']],
  ['#be185d', ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount', 'PodSecurityPolicy']],
];
export function kindColor(kind: string): string {
  for (const [color, kinds] of KIND_GROUPS) if (kinds.includes(kind)) return color;
  return '#475569';
}

/** Live relationships only: `deleted` ones are kept by Meshery for the record but hold nothing. */
export const isLive = (relationship: DesignRelationship): boolean => relationship.status !== 'deleted';

/**
 * Parents by child id, from the hierarchical relationships of the design (`from` is the child,
 * `to` the parent, as in Meshery's parent definitions).
 */
export function parentsOf(design: Design): Map<string, { parent: string; relationship: DesignRelationship }[]> {
  const parents = new Map<string, { parent: string; relationship: DesignRelationship }[]>();
  for (const relationship of design.relationships ?? []) {
    if (!isHierarchical(relationship) || !isLive(relationship)) continue;
    const { from, to } = endpoints(relationship);
    for (const child of from) for (const parent of to) {
      if (child === parent) continue;
      const list = parents.get(child) ?? [];
      list.push({ parent, relationship });
      parents.set(child, list);
    }
  }
  return parents;
}

/** Kinds that are parents in a hierarchical definition setting `configuration.metadata.namespace`. */
export function namespaceParentKinds(definitions: readonly RelationshipDefinition[]): Set<string> {
  const kinds = new Set<string>();
  for (const definition of definitions) {
    if (definition.kind !== 'hierarchical') continue;
    for (const selector of definition.selectors ?? []) {
      const setsNamespace = selector.allow?.from?.some((item) => item.patch?.mutatorRef?.some((path) => path.join('.') === 'configuration.metadata.namespace'));
      if (setsNamespace) for (const item of selector.allow?.to ?? []) if (item.kind && item.kind !== '*') kinds.add(item.kind);
    }
  }
  return kinds;
}

/** A value in a JSON document at a path of keys. */
export function valueAt(document: unknown, path: readonly string[]): unknown {
  let current: any = document;
  for (const key of path) {
    if (current == null || typeof current !== 'object') return undefined;
    current = current[key];
  }
  return current;
}
