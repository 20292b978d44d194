/** Real inputs for the tests: Meshery's Kubernetes relationship definitions and small designs. */
import { readFileSync, readdirSync } from 'node:fs';
import type { Component, Design, RelationshipDefinition } from '../../../js/types.js';

const shared = new URL('../../../../shared/fixtures/meshery/', import.meta.url);

/** The 38 Kubernetes relationship definitions Meshery ships. */
export function kubernetesDefinitions(): RelationshipDefinition[] {
  const dir = new URL('relationships/kubernetes/', shared);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as RelationshipDefinition);
}

/** A Kubernetes component. */
export function component(id: string, kind: string, configuration: Record<string, unknown> = {}, displayName = id): Component {
  return { id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration };
}

/** A Namespace and `count` Deployments inside it. */
export function shopDesign(count = 1, namespace = 'shop'): Design {
  const deployments = Array.from({ length: count }, (_, i) => component(`web-${i}`, 'Deployment', { metadata: { namespace } }));
  return { id: '00000000-0000-0000-0000-0000000000a1', name: 'shop', version: '0.0.1', components: [component('ns', 'Namespace', {}, namespace), ...deployments], relationships: [] };
}

/** The WebAssembly engine's bytes (pkg/web, built by scripts/build-wasm.sh). */
export const wasmBytes = new Uint8Array(readFileSync(new URL('../../../pkg/web/relationship_evaluator_bg.wasm', import.meta.url)));
