// The demo app (demo/, built into target/demo/ by scripts/build-demo.mjs) in headless Chromium,
// driven as a person would: palette clicks, mouse drags on the canvas, the side panel, export,
// reload, offline. Screenshots go to target/demo-artifacts/. The server runs in this process and
// is closed in `finally`, with the browser (TOOLCHAIN.md pitfall 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { serveDemo } from '../../scripts/serve-demo.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(root, 'target/demo-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

execFileSync(process.execPath, [join(root, 'scripts/build-demo.mjs')], { cwd: root, stdio: 'inherit' });
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

/** Runs `body` with a served demo and one browser context (one profile: IndexedDB, caches, service worker). */
async function withDemo(body) {
  const { server, url } = await serveDemo(0);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const errors = [];
    const open = async () => {
      const page = await context.newPage();
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(url);
      await page.waitForFunction(() => window.demo?.ready || window.demo?.error, null, { timeout: 60000 });
      const failure = await page.evaluate(() => window.demo.error ?? null);
      if (failure) throw new Error(`the demo failed to start: ${failure}`);
      return page;
    };
    return await body({ context, open, errors, url });
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`) });

/** Waits until the last batch is in IndexedDB (the badge turns to "saved"). */
async function saved(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.dataset.state === 'saved', null, { timeout: 30000 });
  return Number(await page.getAttribute('[data-testid=save-state]', 'data-revision'));
}

/** The relationships listed in the Design panel, as `type status from→to` strings. */
async function listedRelationships(page) {
  return page.$$eval('[data-testid=summary] ul.relationships li[data-type]', (items) => items.map((li) => `${li.dataset.type} ${li.dataset.status} ${li.children[1].textContent.split(' · ')[1]}`).sort());
}

/** Performs `action` and waits until its batch (label starting with `label`) is saved. */
async function edit(page, label, action) {
  const before = Number(await page.getAttribute('[data-testid=save-state]', 'data-revision'));
  await action();
  await page.waitForFunction(([prefix, revision]) => {
    const badge = document.querySelector('[data-testid=save-state]');
    return badge.dataset.state === 'saved' && Number(badge.dataset.revision) > revision
      && document.querySelector('[data-testid=change-label]')?.textContent.startsWith(prefix);
  }, [label, before], { timeout: 30000 }).catch(async (error) => {
    await shot(page, `failed-${label.replace(/\W+/g, '-')}`);
    throw new Error(`${label}: not saved (toast: ${await page.textContent('#toast')}; last change: ${await page.textContent('[data-testid=change-label]')})`, { cause: error });
  });
}

async function openSample(page, value) {
  const seq = Number(await page.getAttribute('[data-testid=changes]', 'data-seq'));
  await page.selectOption('[data-testid=samples]', value);
  await page.click('[data-testid=open-sample]');
  await page.waitForFunction((before) => Number(document.querySelector('[data-testid=changes]').dataset.seq) > before
    && document.querySelector('[data-testid=loading]').hidden, seq, { timeout: 60000 });
  return saved(page);
}

async function addFromPalette(page, kind, name) {
  const before = await page.evaluate(() => document.querySelector('[data-testid=save-state]').dataset.revision);
  await page.click(`[data-testid=palette] li[data-kind=${kind}]`);
  await page.waitForFunction(([n, b]) => window.demo.idOf(n) && document.querySelector('[data-testid=save-state]').dataset.revision !== b, [name, before]);
  return saved(page);
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

async function exportDesign(page, format) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=export-${format}]`)]);
  const text = readFileSync(await download.path(), 'utf8');
  return format === 'json' ? JSON.parse(text) : parseYaml(text);
}

/** `from→to` names of the exported design's relationships of one type, with status. */
function relationsOf(design, type) {
  const name = (id) => design.components.find((c) => c.id === id)?.displayName ?? id;
  return design.relationships.filter((r) => `${r.kind}/${r.type}/${r.subType}` === type)
    .map((r) => `${name(r.selectors[0].allow.from[0].id)}→${name(r.selectors[0].allow.to[0].id)} ${r.status}`).sort();
}

test('nest a Deployment into a Namespace, add a Service and a Pod, relabel, reload, go offline: the design and its relationships stay', async () => {
  await withDemo(async ({ context, open, errors }) => {
    let page = await open();
    assert.match(await page.textContent('[data-testid=engine]'), /^engine: worker \(wasm\) — Worker and WebAssembly are available/);
    await openSample(page, 'empty');

    // A Namespace and a Deployment side by side, then the Deployment dropped into the Namespace.
    await addFromPalette(page, 'Namespace', 'shop');
    await addFromPalette(page, 'Deployment', 'web');
    await shot(page, '01-namespace-and-deployment');
    assert.deepEqual(await listedRelationships(page), []);
    const [webAt, shopAt] = await page.evaluate(() => [window.demo.screenPoint('web'), window.demo.boxCenter('shop')]);
    await edit(page, 'nest web into shop', () => drag(page, webAt, shopAt));
    assert.deepEqual(await listedRelationships(page), ['hierarchical/parent/inventory approved web → shop']);
    assert.match(await page.textContent('[data-testid=changes]'), /Relationships added \(1\)/);
    let design = await exportDesign(page, 'json');
    assert.deepEqual(relationsOf(design, 'hierarchical/parent/inventory'), ['web→shop approved']);
    assert.equal(design.components.find((c) => c.displayName === 'web').configuration.metadata.namespace, 'shop');
    await shot(page, '02-deployment-nested');

    // "Why?" for the nesting: the evaluator compares the namespace with the Namespace's name.
    await page.click('[data-testid=summary] summary');
    await page.click('[data-testid=summary] li[data-type="hierarchical/parent/inventory"]');
    await page.click('[data-testid=why]');
    await page.waitForSelector('[data-testid=explanation] table');
    assert.match(await page.textContent('[data-testid=explanation]'), /configuration\.metadata\.namespace.*"shop".*displayName.*"shop"/s);
    await shot(page, '03-why-nested');

    // A Service selecting app=web: the network edge to the Deployment appears.
    await addFromPalette(page, 'Service', 'web-svc');
    assert.ok((await listedRelationships(page)).includes('edge/non-binding/network approved web-svc → web'), String(await listedRelationships(page)));
    // A Pod labelled app=web: edges from the Service (network) and the Deployment (matching labels).
    await addFromPalette(page, 'Pod', 'web-pod');
    let listed = await listedRelationships(page);
    assert.ok(listed.includes('edge/non-binding/network approved web-svc → web-pod'), String(listed));
    assert.ok(listed.some((r) => r.startsWith('edge/non-binding/reference') && r.endsWith('web → web-pod')), String(listed));
    await shot(page, '04-service-and-pod-edges');

    // Relabel the Pod app=db with "re-match": its edges go (the evaluator does not re-identify them).
    const podPoint = await page.evaluate(() => window.demo.screenPoint('web-pod'));
    await page.mouse.click(podPoint.x, podPoint.y);
    await page.waitForSelector('[data-testid=component-inspector]');
    await page.fill('[data-testid=labels]', 'app=db');
    await edit(page, 'labels of web-pod', () => page.click('[data-testid=apply-labels]'));
    listed = await listedRelationships(page);
    assert.ok(!listed.some((r) => r.endsWith('→ web-pod')), String(listed));
    assert.ok(listed.includes('edge/non-binding/network approved web-svc → web'), 'the Service keeps its Deployment edge');
    design = await exportDesign(page, 'json');
    assert.deepEqual(design.components.find((c) => c.displayName === 'web-pod').metadata.labels, { app: 'db' });
    assert.deepEqual(relationsOf(design, 'edge/non-binding/network'), ['web-svc→web approved']);
    await shot(page, '05-pod-relabelled-edges-gone');

    // Back to app=web: the edges come back.
    await page.fill('[data-testid=labels]', 'app=web');
    await edit(page, 'labels of web-pod', () => page.click('[data-testid=apply-labels]'));
    listed = await listedRelationships(page);
    assert.ok(listed.includes('edge/non-binding/network approved web-svc → web-pod'), String(listed));

    // Without "re-match" (Meshery semantics): the existing edge stays and patches the Pod's labels back.
    await page.uncheck('[data-testid=rematch]');
    await page.fill('[data-testid=labels]', 'app=api');
    await edit(page, 'labels of web-pod', () => page.click('[data-testid=apply-labels]'));
    assert.match(await page.textContent('[data-testid=changes]'), /update_component web-pod metadata\.labels = \{"app":"web"\}/);
    const revision = await saved(page);
    design = await exportDesign(page, 'json');
    assert.deepEqual(design.components.find((c) => c.displayName === 'web-pod').metadata.labels, { app: 'web' });
    await shot(page, '06-meshery-patch-keeps-edge');

    // Reload: the exact design comes back from IndexedDB.
    const before = await exportDesign(page, 'json');
    const beforeList = await listedRelationships(page);
    await page.reload();
    await page.waitForFunction(() => window.demo?.ready);
    assert.equal(await saved(page), revision);
    assert.deepEqual(await exportDesign(page, 'json'), before);
    assert.deepEqual(await listedRelationships(page), beforeList);
    await shot(page, '07-after-reload');

    // Undo and redo walk the edit log.
    const history = async (text) => page.waitForFunction((t) => document.querySelector('[data-testid=summary]').textContent.includes(t) && document.querySelector('[data-testid=save-state]').dataset.state === 'saved', text);
    const logged = Number((await page.textContent('[data-testid=summary]')).match(/history: (\d+) of/)[1]);
    await page.click('[data-testid=undo]');
    await history(`history: ${logged - 1} of ${logged} batches`);
    await page.click('[data-testid=undo]');
    await history(`history: ${logged - 2} of ${logged} batches`);
    const undone = await exportDesign(page, 'json');
    assert.deepEqual(undone.components.find((c) => c.displayName === 'web-pod').metadata.labels, { app: 'db' });
    assert.deepEqual(relationsOf(undone, 'edge/non-binding/network'), ['web-svc→web approved']);
    await shot(page, '08-undone-twice');
    await page.click('[data-testid=redo]');
    await history(`history: ${logged - 1} of ${logged} batches`);
    await page.click('[data-testid=redo]');
    await history(`history: ${logged} of ${logged} batches`);
    assert.deepEqual(await exportDesign(page, 'json'), before);

    // Offline: close the tab, cut the network, come back — the service worker serves the app.
    await page.waitForFunction(() => document.querySelector('[data-testid=network]').dataset.offlineReady === 'true', null, { timeout: 30000 });
    await page.close();
    await context.setOffline(true);
    page = await open();
    assert.match(await page.textContent('[data-testid=network]'), /offline/);
    assert.deepEqual(await exportDesign(page, 'json'), before);
    assert.deepEqual(await listedRelationships(page), beforeList);
    // …and editing still works offline: take the Deployment out of the Namespace.
    const webPoint = await page.evaluate(() => window.demo.screenPoint('web'));
    await edit(page, 'take web out of shop', () => drag(page, webPoint, { x: webPoint.x, y: webPoint.y + 260 }));
    assert.ok(!(await listedRelationships(page)).some((r) => r.startsWith('hierarchical') && r.includes('web → shop')));
    await shot(page, '09-offline-edit');
    await page.reload();
    await page.waitForFunction(() => window.demo?.ready);
    assert.ok(!(await listedRelationships(page)).some((r) => r.startsWith('hierarchical') && r.includes('web → shop')));
    assert.equal((await exportDesign(page, 'json')).components.find((c) => c.displayName === 'web').configuration.metadata.namespace, undefined);
    await context.setOffline(false);
    assert.deepEqual(errors, []);
  });
});

test('samples, YAML round trip and a 1,222-component generated design', async () => {
  await withDemo(async ({ open, errors }) => {
    const page = await open();
    await openSample(page, 'edge-firewall-relationship.design.json');
    const fixture = await exportDesign(page, 'yaml');
    assert.ok(fixture.components.length > 0 && fixture.relationships.length > 0);
    // The sample's equivalent inventory relationships are named, with the components' names.
    assert.match(await page.textContent('#toast'), /2 relationships hierarchical\/parent\/inventory relate component \S+ \((Pod|NetworkPolicy)\) to component default \(Namespace\)/);
    await shot(page, '10-meshery-fixture-design');

    // Import the exported YAML: the same design.
    await openSample(page, 'empty');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('label.button:has-text("Import")')]);
    const { writeFileSync } = await import('node:fs');
    const yamlPath = join(artifacts, 'fixture-export.yaml');
    const { stringify } = await import('yaml');
    writeFileSync(yamlPath, stringify(fixture));
    await chooser.setFiles(yamlPath);
    await page.waitForFunction(() => document.querySelector('[data-testid=change-label]')?.textContent.startsWith('import fixture-export.yaml'));
    await saved(page);
    const imported = await exportDesign(page, 'json');
    assert.equal(imported.components.length, fixture.components.length);
    assert.equal(imported.relationships.length, fixture.relationships.length);

    const started = Date.now();
    await openSample(page, 'generated-1200.json');
    const loadMs = Date.now() - started;
    const summary = await page.textContent('[data-testid=summary]');
    assert.match(summary, /1222 components/);
    const relationships = Number(summary.match(/(\d+) relationships/)[1]);
    assert.ok(relationships >= 2000, summary);
    await shot(page, '11-generated-1222-components');
    console.log(`generated design: 1222 components, ${relationships} relationships, opened in ${loadMs} ms`);
    assert.deepEqual(errors, []);
  });
});

test('palette drop onto a Namespace, Shift+drag to connect, and the same design on the JS engine', async () => {
  await withDemo(async ({ open, errors }) => {
    const page = await open();
    await openSample(page, 'starter');
    // Drag a Service from the palette into the Namespace: added there, with its namespace set.
    await edit(page, 'add Service web-svc into shop', async () => {
      const box = await page.evaluate(() => window.demo.boxCenter('shop'));
      await page.dragAndDrop('[data-testid=palette] li[data-kind=Service]', '[data-testid=canvas]', {
        targetPosition: await page.$eval('[data-testid=canvas]', (canvas, at) => {
          const bounds = canvas.getBoundingClientRect();
          return { x: at.x - bounds.left, y: at.y - bounds.top + 30 };
        }, box),
      });
    });
    assert.ok((await listedRelationships(page)).includes('hierarchical/parent/inventory approved web-svc → shop'));

    // A Service selecting nothing, connected by hand to the Deployment: Meshery's network
    // definition is declared pending and the evaluation patches the Deployment to match.
    await page.click('[data-testid=palette] li[data-kind=Service]');
    await page.waitForFunction(() => window.demo.idOf('web-svc-2'));
    await saved(page);
    await page.click('[data-testid=component-inspector] summary');
    await page.fill('[data-testid=configuration]', JSON.stringify({ metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 9000, protocol: 'TCP' }] } }));
    await edit(page, 'configuration of web-svc-2', () => page.click('text=Apply configuration'));
    const connect = async () => {
      const [from, to] = await page.evaluate(() => [window.demo.screenPoint('web-svc-2'), window.demo.screenPoint('web')]);
      await page.keyboard.down('Shift');
      await drag(page, from, to).finally(() => page.keyboard.up('Shift'));
    };
    // While web-svc (app=web) relates to web, a second Service patching web's labels to app=api
    // makes the evaluation alternate: the engine refuses the batch (FLAPPING) and nothing changes.
    const unchanged = await exportDesign(page, 'json');
    await connect();
    await page.waitForFunction(() => /FLAPPING/.test(document.querySelector('#toast').textContent) && !document.querySelector('#toast').hidden);
    await shot(page, '12-flapping-refused');
    assert.deepEqual(await exportDesign(page, 'json'), unchanged);
    // Without the first Service the connection is accepted.
    const svc = await page.evaluate(() => window.demo.screenPoint('web-svc'));
    await page.mouse.click(svc.x, svc.y);
    await edit(page, 'delete web-svc', () => page.click('[data-testid=delete-component]'));
    await edit(page, 'connect web-svc-2 → web', connect);
    const design = await exportDesign(page, 'json');
    const web = design.components.find((c) => c.displayName === 'web');
    assert.deepEqual(web.configuration.spec.selector.matchLabels, { app: 'api' });
    assert.equal(web.configuration.spec.template.spec.containers[0].ports[0].containerPort, 9000);
    assert.ok(relationsOf(design, 'edge/non-binding/network').includes('web-svc-2→web pending'));
    await shot(page, '13-connected-by-hand');

    // The JavaScript engine (wasm2js) continues from a snapshot with the same design.
    await page.selectOption('[data-testid=engine-select]', 'js');
    await page.waitForFunction(() => document.querySelector('[data-testid=engine]').dataset.kind === 'js', null, { timeout: 60000 });
    assert.match(await page.textContent('[data-testid=engine]'), /^engine: js \(js\) — forced by the engine option/);
    assert.deepEqual(await exportDesign(page, 'json'), design);
    await page.selectOption('[data-testid=engine-select]', 'auto');
    await page.waitForFunction(() => document.querySelector('[data-testid=engine]').dataset.kind === 'worker', null, { timeout: 60000 });
    await shot(page, '14-engine-back-to-worker');
    assert.deepEqual(errors, []);
  });
});

test('Shift+drag offers what the engine admits: a Pod connects to a CronJob through the Pod → Job definition', async () => {
  await withDemo(async ({ open, errors }) => {
    const page = await open();
    await openSample(page, 'empty');
    await addFromPalette(page, 'Pod', 'web-pod');
    await addFromPalette(page, 'CronJob', 'cron-job');
    // No definition names CronJob on the to side of a Pod; Meshery's matchName takes the item
    // kind `Job` as a substring, so the engine admits the pair (exact kind equality would not).
    await edit(page, 'connect web-pod → cron-job', async () => {
      const [from, to] = await page.evaluate(() => [window.demo.screenPoint('web-pod'), window.demo.screenPoint('cron-job')]);
      await page.keyboard.down('Shift');
      await drag(page, from, to).finally(() => page.keyboard.up('Shift'));
    });
    const design = await exportDesign(page, 'json');
    assert.ok(relationsOf(design, 'edge/non-binding/reference').some((r) => r.startsWith('web-pod→cron-job ')), JSON.stringify(relationsOf(design, 'edge/non-binding/reference')));
    const declared = design.relationships.find((r) => r.subType === 'reference');
    assert.equal(declared.selectors[0].allow.to[0].kind, 'Job');
    await shot(page, '15-connected-by-the-engines-rule');
    assert.deepEqual(errors, []);
  });
});

test('undo survives a reload (redo after it), and a damaged saved batch is reported while the last good state opens', async () => {
  await withDemo(async ({ open, errors }) => {
    const page = await open();
    await openSample(page, 'empty');
    for (const [kind, name] of [['Namespace', 'shop'], ['Deployment', 'web'], ['Service', 'web-svc'], ['Pod', 'web-pod']]) await addFromPalette(page, kind, name);
    const history = (text) => page.waitForFunction((t) => document.querySelector('[data-testid=summary]').textContent.includes(t) && document.querySelector('[data-testid=save-state]').dataset.state === 'saved', text);
    const names = async () => (await exportDesign(page, 'json')).components.map((c) => c.displayName).sort();
    await page.click('[data-testid=undo]');
    await history('history: 3 of 4 batches');
    const undone = await exportDesign(page, 'json');

    // The cursor is stored with the journal: after a reload the undone batch can be redone.
    await page.reload();
    await page.waitForFunction(() => window.demo?.ready);
    await history('history: 3 of 4 batches');
    assert.deepEqual(await exportDesign(page, 'json'), undone);
    assert.equal(await page.isEnabled('[data-testid=redo]'), true);
    await page.click('[data-testid=redo]');
    await history('history: 4 of 4 batches');
    assert.deepEqual(await names(), ['shop', 'web', 'web-pod', 'web-svc']);

    // Damage the third saved batch (the Service) on disk: the app opens what came before it and says what was wrong.
    await page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.open('meshery-relationship-evaluator', 1);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const tx = request.result.transaction('records', 'readwrite');
        const store = tx.objectStore('records');
        const get = store.get(['demo', 'journal', 2]);
        get.onsuccess = () => store.put({ ...get.result, edits: get.result.edits.replace('web-svc', 'tampered') }, ['demo', 'journal', 2]);
        tx.oncomplete = () => { request.result.close(); resolve(); };
      };
    }));
    await page.reload();
    await page.waitForFunction(() => window.demo?.ready);
    await history('history: 2 of 2 batches');
    assert.match(await page.textContent('#toast'), /STORAGE_CORRUPT at \/demo\/journal\/2: .*opened the last good state/);
    assert.match(await page.textContent('[data-testid=change-label]'), /restored from IndexedDB \(2 of 2 logged batches replayed\); STORAGE_CORRUPT/);
    assert.deepEqual(await names(), ['shop', 'web']);
    await shot(page, '15-damaged-batch-last-good-state');

    // Editing goes on from there, and the damaged records are gone.
    await addFromPalette(page, 'Pod', 'web-pod');
    await page.reload();
    await page.waitForFunction(() => window.demo?.ready);
    await history('history: 3 of 3 batches');
    assert.doesNotMatch(await page.textContent('[data-testid=change-label]'), /STORAGE_CORRUPT/);
    assert.deepEqual(await names(), ['shop', 'web', 'web-pod']);
    assert.deepEqual(errors, []);
  });
});
