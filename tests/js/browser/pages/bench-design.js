// A small design for the benchmark's CI variant, generated in the page (no cargo at test time):
// two namespaces of apps (Deployment, Service selecting its Pod, Pod), plus pre-declared
// relationships to components that do not exist, which a load must clean up. Over 100 new
// relationships per policy, so Meshery's approval cap leaves work pending after one evaluation.

const component = (id, kind, name, configuration) => ({
  id, component: { kind, version: 'v1' }, displayName: name, model: { name: 'kubernetes' }, modelReference: { name: 'kubernetes' }, configuration,
});
const uuid = (group, n) => `${group}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** About `size` components (a multiple of three plus two namespaces) and `stale` stale relationships. */
export function staleDesign(size, stale = 10) {
  const namespaces = ['shop', 'billing'];
  const components = namespaces.map((name, n) => component(uuid('a0000000', n), 'Namespace', name, { metadata: { name } }));
  for (let i = 0; components.length + 3 <= size; i++) {
    const namespace = namespaces[i % namespaces.length];
    const labels = { app: `app-${i}` };
    const metadata = (name, more = {}) => ({ metadata: { name, namespace, ...more } });
    components.push(
      component(uuid('d0000000', i), 'Deployment', `app-${i}`, { ...metadata(`app-${i}`, { labels }), spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } }),
      component(uuid('e0000000', i), 'Service', `app-${i}`, { ...metadata(`app-${i}`), spec: { selector: labels, ports: [{ port: 80 }] } }),
      component(uuid('f0000000', i), 'Pod', `app-${i}-pod`, { ...metadata(`app-${i}-pod`, { labels }), spec: { containers: [{ name: 'app', image: 'nginx' }] } }),
    );
  }
  const relationships = [];
  for (let i = 0; i < stale; i++) {
    relationships.push({
      id: uuid('90000000', i), schemaVersion: 'relationships.meshery.io/v1beta2', version: 'v1.0.0',
      kind: 'edge', type: 'non-binding', subType: 'network', status: 'approved', model: { name: 'kubernetes' },
      selectors: [{ allow: { from: [{ id: uuid('e0000000', i), kind: 'Service' }], to: [{ id: uuid('99999999', i), kind: 'Deployment' }] } }],
    });
  }
  return { id: '00000000-0000-4000-8000-0000000be4c4', name: `bench-${size}`, schemaVersion: 'designs.meshery.io/v1beta1', version: '0.0.1', components, relationships };
}
