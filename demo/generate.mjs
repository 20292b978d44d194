// A large, deterministic Kubernetes design for the demo: `namespaces` Namespaces, each holding
// five apps (Deployment, Service selecting it, two Pods, ConfigMap), laid out on a grid so every
// namespace box contains its components. 47 namespaces give 47 × 26 = 1,222 components.

const APPS_PER_NAMESPACE = 5;
const PORTS = [8080, 80, 3000, 5432, 6379, 9090];

/** A UUID-shaped id derived from a counter, so the same call gives the same design. */
function uuid(n) {
  const hex = n.toString(16).padStart(12, '0');
  return `d3m0${hex.slice(0, 4)}-0000-4000-8000-${hex}`.replace(/^d3m0/, 'de30');
}

function component(id, kind, apiVersion, displayName, configuration, position, extra = {}) {
  return {
    id, schemaVersion: 'components.meshery.io/v1beta1', version: 'v1.0.0', displayName, format: 'JSON',
    component: { kind, version: apiVersion, schema: '' },
    model: { name: 'kubernetes', displayName: 'Kubernetes', version: 'v1.35.0-alpha.1', registrant: { kind: 'github' }, model: { version: 'v1.35.0-alpha.1' } },
    modelReference: { name: 'kubernetes', version: 'v1.35.0-alpha.1', displayName: 'Kubernetes', registrant: { kind: 'github' } },
    styles: { position },
    configuration,
    ...extra,
  };
}

/** The generated design. */
export function generateDesign(namespaces) {
  let next = 1;
  const components = [];
  const columns = Math.ceil(Math.sqrt(namespaces));
  for (let n = 0; n < namespaces; n++) {
    const namespace = `team-${String(n + 1).padStart(2, '0')}`;
    const originX = (n % columns) * 980;
    const originY = Math.floor(n / columns) * 1080;
    components.push(component(uuid(next++), 'Namespace', 'v1', namespace, {}, { x: originX, y: originY }));
    for (let a = 0; a < APPS_PER_NAMESPACE; a++) {
      const app = `${namespace}-app-${a + 1}`;
      const labels = { app };
      const port = PORTS[(n + a) % PORTS.length];
      const container = { name: 'main', image: `registry.example/${app}:1.0`, ports: [{ containerPort: port, protocol: 'TCP' }] };
      const metadata = (extra = {}) => ({ name: app, namespace, ...extra });
      const y = originY + 50 + a * 200;
      components.push(
        component(uuid(next++), 'Deployment', 'apps/v1', app, {
          metadata: metadata({ labels }), spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } },
        }, { x: originX + 30, y }),
        component(uuid(next++), 'Service', 'v1', `${app}-svc`, {
          metadata: metadata(), spec: { selector: labels, ports: [{ port: 80, targetPort: port, protocol: 'TCP' }] },
        }, { x: originX + 220, y }),
        component(uuid(next++), 'Pod', 'v1', `${app}-pod-a`, { metadata: metadata({ labels }), spec: { containers: [container] } }, { x: originX + 410, y }, { metadata: { labels } }),
        component(uuid(next++), 'Pod', 'v1', `${app}-pod-b`, { metadata: metadata({ labels }), spec: { containers: [container] } }, { x: originX + 410, y: y + 90 }, { metadata: { labels } }),
        component(uuid(next++), 'ConfigMap', 'v1', `${app}-config`, { metadata: metadata(), data: { APP: app } }, { x: originX + 600, y }),
      );
    }
  }
  return { id: 'de300000-0000-4000-8000-000000000000', name: `generated-${components.length}`, version: '0.0.1', schemaVersion: 'designs.meshery.io/v1beta1', components, relationships: [] };
}
