/** Real inputs for the tests: Meshery's Kubernetes relationship definitions and small designs. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Component, Design, JsonObject, RelationshipDefinition } from '../../../js/types.js';

/** A path relative to this file (without `URL`, which DOM test environments replace). */
export const here = (relative: string): string => `${resolve(dirname(fileURLToPath(import.meta.url)), relative)}/`.replace(/\/$/, relative.endsWith('/') ? '/' : '');

/** The 38 Kubernetes relationship definitions Meshery ships. */
export function kubernetesDefinitions(): RelationshipDefinition[] {
  const dir = here('../../../../shared/fixtures/meshery/relationships/kubernetes/');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as RelationshipDefinition);
}

/** A Kubernetes component. */
export function component(id: string, kind: string, configuration: JsonObject = {}, displayName = id): Component {
  return { id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration };
}

/** A Namespace and `count` Deployments inside it. */
export function shopDesign(count = 1, namespace = 'shop'): Design {
  const deployments = Array.from({ length: count }, (_, i) => component(`web-${i}`, 'Deployment', { metadata: { namespace } }));
  return { id: '00000000-0000-0000-0000-0000000000a1', name: 'shop', version: '0.0.1', components: [component('ns', 'Namespace', {}, namespace), ...deployments], relationships: [] };
}

/** The WebAssembly engine's bytes (pkg/web, built by scripts/build-wasm.sh). */
export const wasmBytes = new Uint8Array(readFileSync(here('../../../pkg/web/relationship_evaluator_bg.wasm')));
