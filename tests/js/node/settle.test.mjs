// Evaluators of the npm package settle on load by default: a design with more new relationships
// than Meshery approves per pass (100 per policy) comes back with all of them approved, and the
// next edit carries only its own consequences. `settleOnLoad: false` keeps Meshery's one
// evaluation, leaving the rest for later edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { createEvaluator } = await import(`${root}dist/index.node.js`);
const dir = `${root}../shared/fixtures/meshery/relationships/kubernetes/`;
const definitions = readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(dir + n, 'utf8')));

/** `apps` Services, each selecting its own Deployment on port 80: one network relationship per app. */
function design(apps) {
  const components = [];
  for (let app = 0; app < apps; app++) {
    const labels = { app: `app-${app}` };
    const id = (n) => `00000000-0000-4000-8000-${String(2 * app + n).padStart(12, '0')}`;
    components.push({
      id: id(0), component: { kind: 'Deployment' }, displayName: `deploy-${app}`, modelReference: { name: 'kubernetes' },
      configuration: { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } } },
    });
    components.push({
      id: id(1), component: { kind: 'Service' }, displayName: `svc-${app}`, modelReference: { name: 'kubernetes' },
      configuration: { spec: { selector: labels, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] } },
    });
  }
  return { id: '00000000-0000-4000-8000-00000000d0d0', name: 'many apps', version: '0.0.1', components, relationships: [] };
}

const statuses = (relationships) => {
  const counts = {};
  for (const r of relationships) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

test('by default a load settles: every relationship approved, the next edit carries only itself', async () => {
  const evaluator = createEvaluator(definitions);
  try {
    const delta = await evaluator.loadDesign(design(150));
    assert.equal(delta.diagnostics, undefined);
    assert.deepEqual(statuses((await evaluator.design()).relationships), { approved: 150 });
    const move = await evaluator.applyEdits([{ op: 'moveComponent', id: '00000000-0000-4000-8000-000000000000', x: 10, y: 20 }]);
    assert.deepEqual(move.actions, []);
    assert.equal(move.componentsUpdated.length, 1);
  } finally {
    await evaluator.dispose();
  }
});

test('settleOnLoad: false keeps one evaluation; the leftover approvals ride along with the next edit', async () => {
  const evaluator = createEvaluator(definitions, { evaluation: { settleOnLoad: false } });
  try {
    await evaluator.loadDesign(design(150));
    assert.deepEqual(statuses((await evaluator.design()).relationships), { approved: 100, identified: 50 });
    const move = await evaluator.applyEdits([{ op: 'moveComponent', id: '00000000-0000-4000-8000-000000000000', x: 10, y: 20 }]);
    assert.equal(move.actions.filter((a) => a.op === 'update_relationship').length, 50);
  } finally {
    await evaluator.dispose();
  }
});

test('a design that cannot settle within maxSettlePasses loads with a diagnostic', async () => {
  const evaluator = createEvaluator(definitions, { evaluation: { maxSettlePasses: 1, maxApprovalsPerPolicy: 10 } });
  try {
    const delta = await evaluator.loadDesign(design(150));
    assert.equal(delta.diagnostics?.length, 1);
    assert.equal(delta.diagnostics[0].code, 'LIMIT_EXCEEDED');
    assert.equal(delta.diagnostics[0].path, '/maxSettlePasses');
  } finally {
    await evaluator.dispose();
  }
});
