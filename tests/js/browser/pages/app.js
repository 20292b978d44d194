// The test page: loads the package exactly as published (dist/index.js, no bundler), fetches the
// corpus, and exposes both to the tests, which drive it through page.evaluate. `show()` renders
// what a test wants to see in its screenshot.
import * as pkg from '/dist/index.js';
import { transcript } from '/pages/calls.js';

const status = document.getElementById('status');
const report = document.getElementById('report');

window.show = (title, rows) => {
  status.textContent = title;
  report.replaceChildren(...Object.entries(rows).map(([key, value]) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.textContent = key;
    const cell = document.createElement('td');
    cell.textContent = typeof value === 'string' ? value : JSON.stringify(value);
    row.append(name, cell);
    return row;
  }));
};

/** A Namespace with `count` Deployments, each with a Service selecting it and a ConfigMap. */
window.syntheticDesign = (count) => {
  const component = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });
  const components = [component('ns', 'Namespace', {}, 'shop')];
  for (let i = 0; i < count; i++) {
    const labels = { app: `app-${i}` };
    components.push(
      component(`deploy-${i}`, 'Deployment', { metadata: { namespace: 'shop', labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } }),
      component(`svc-${i}`, 'Service', { metadata: { namespace: 'shop' }, spec: { selector: labels } }),
      component(`cm-${i}`, 'ConfigMap', { metadata: { namespace: 'shop' }, data: { key: `value-${i}` } }),
    );
  }
  return { id: '00000000-0000-0000-0000-00000000beef', name: `synthetic-${count}`, version: '0.0.1', components, relationships: [] };
};

try {
  window.pkg = pkg;
  window.transcript = transcript;
  window.definitions = await (await fetch('/corpus/definitions.json')).json();
  window.designs = {};
  for (const name of ['edge-firewall-relationship', 'valid_design', 'kubernetes_basic']) {
    window.designs[name] = await (await fetch(`/corpus/${name}.json`)).json();
  }
  status.textContent = `ready: ${window.definitions.length} definitions`;
  window.harnessReady = true;
} catch (error) {
  status.textContent = `failed: ${error}`;
  status.className = 'failed';
  window.harnessError = String(error);
}
