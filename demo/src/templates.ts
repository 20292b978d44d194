// New components for the palette: real Kubernetes kinds in Meshery's v1beta1 component shape,
// with a configuration that makes the common relationships appear without typing: a Deployment
// labelled `app: <name>`, a Service selecting `app: web` on port 8080, a Pod labelled like the
// first Deployment. These are sample values for the demo; the evaluator decides what relates.
import type { Component, Design, JsonObject } from '@meshery/relationship-evaluator';

/** A palette entry (data/catalog.json, built from ../shared's definitions). */
export interface KindInfo {
  kind: string;
  apiVersion: string;
  displayName: string;
  shape: string;
  namespaced: boolean;
  source: string;
}

const PORT = 8080;
const container = (name: string) => ({ name, image: `registry.example/${name}:1.0`, ports: [{ containerPort: PORT, protocol: 'TCP' }] });

/** The configuration a new component of `kind` starts with. */
function configurationFor(kind: string, name: string): JsonObject {
  switch (kind) {
    case 'Namespace':
      return {};
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet': {
      const labels = { app: name };
      return { metadata: { name, labels }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container(name)] } } } };
    }
    case 'Pod':
      return { metadata: { name, labels: { app: 'web' } }, spec: { containers: [container(name)] } };
    case 'Service':
      return { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: PORT, protocol: 'TCP' }] } };
    case 'Ingress':
      return { metadata: { name }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { serviceName: 'web-svc', servicePort: 80 } }] } }] } };
    case 'ConfigMap':
      return { metadata: { name }, data: { LOG_LEVEL: 'info' } };
    case 'Secret':
      return { metadata: { name }, type: 'Opaque' };
    default:
      return { metadata: { name } };
  }
}

/** The default name of the next component of `kind`, unique in the design. */
export function freshName(design: Design, kind: string): string {
  const base = ({ Namespace: 'shop', Deployment: 'web', Service: 'web-svc', Pod: 'web-pod', Ingress: 'web-ingress', ConfigMap: 'web-config' } as Record<string, string>)[kind]
    ?? kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const taken = new Set((design.components ?? []).map((component) => component.displayName));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A new component of `kind` at a canvas position. */
export function newComponent(info: KindInfo, name: string, position: { x: number; y: number }): Component {
  const configuration = configurationFor(info.kind, name);
  const component: Component = {
    id: crypto.randomUUID(),
    schemaVersion: 'components.meshery.io/v1beta1',
    version: 'v1.0.0',
    displayName: name,
    format: 'JSON',
    component: { kind: info.kind, version: info.apiVersion || 'v1', schema: '' },
    model: { name: 'kubernetes', displayName: 'Kubernetes', version: 'v1.35.0-alpha.1', registrant: { kind: 'github' }, model: { version: 'v1.35.0-alpha.1' } },
    modelReference: { name: 'kubernetes', version: 'v1.35.0-alpha.1', displayName: 'Kubernetes', registrant: { kind: 'github' } },
    metadata: { isNamespaced: info.namespaced },
    styles: { position: { x: Math.round(position.x), y: Math.round(position.y) } },
    configuration,
  };
  // Meshery's Service → Pod network definition reads the Pod's top-level `metadata.labels`.
  if (info.kind === 'Pod') (component.metadata as any).labels = { ...((configuration as any).metadata.labels) };
  return component;
}

/** The design a first visit starts with: a Namespace and a Deployment beside it, not yet nested. */
export function starterDesign(catalog: KindInfo[]): Design {
  const info = (kind: string) => catalog.find((entry) => entry.kind === kind) ?? { kind, apiVersion: 'v1', displayName: kind, shape: 'round-rectangle', namespaced: true, source: '' };
  return {
    id: crypto.randomUUID(),
    name: 'starter',
    version: '0.0.1',
    schemaVersion: 'designs.meshery.io/v1beta1',
    components: [newComponent(info('Namespace'), 'shop', { x: 60, y: 60 }), newComponent(info('Deployment'), 'web', { x: 480, y: 110 })],
    relationships: [],
  };
}

/** An empty design. */
export const emptyDesign = (): Design => ({ id: crypto.randomUUID(), name: 'untitled', version: '0.0.1', schemaVersion: 'designs.meshery.io/v1beta1', components: [], relationships: [] });
