// Security of the package in real headless Chromium and in its published files:
//  - under `script-src 'self' 'wasm-unsafe-eval'` (no 'unsafe-eval') the worker + wasm rung runs,
//    answers as WebAssembly does in Node, and nothing violates the policy (in the page or in the
//    worker: violations are reported to /csp-report, and a deliberate one proves the detectors live);
//  - `__proto__`, `constructor` and `prototype` keys in designs and edits pollute no prototype, in
//    the page or in the worker, on every rung (worker, main thread, JavaScript engine), and come back
//    as own data properties;
//  - nothing in dist/ evaluates strings as code (a syntax-tree scan of every file, not a grep).
// Screenshots go to target/js-artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { createEvaluator, importEvaluator } from '../../../dist/index.node.js';
import { root, saveArtifact, screenshot, withBrowser } from './harness.mjs';
import { transcript } from './pages/calls.js';

const fixtures = join(root, '../shared/fixtures/meshery');
const definitions = readdirSync(join(fixtures, 'relationships/kubernetes')).filter((n) => n.endsWith('.json')).sort()
  .map((n) => JSON.parse(readFileSync(join(fixtures, 'relationships/kubernetes', n), 'utf8')));
const firewall = parseYaml(readFileSync(join(fixtures, 'designs/edge-firewall-relationship.design.yaml'), 'utf8'));

/** Opens the test page in its own context, with `initScript` run before the page's scripts, and collects CSP reports and console errors. */
async function openPage(browser, origin, initScript) {
  const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  const reports = [];
  const consoleErrors = [];
  // Violation reports (from the page and from its workers) are answered here, not by the server.
  await context.route('**/csp-report', async (route) => {
    reports.push(JSON.parse(route.request().postData() ?? 'null'));
    await route.fulfill({ status: 204 });
  });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(`${origin}/pages/app.html`);
  await page.waitForFunction(() => window.harnessReady === true || window.harnessError, null, { timeout: 30000 });
  const failure = await page.evaluate(() => window.harnessError ?? null);
  if (failure) throw new Error(`the test page failed to start: ${failure}`);
  return { page, reports, consoleErrors };
}

/** Rejects when `promise` takes longer than `ms`, so that a call that never settles fails the test instead of hanging it. */
function bounded(promise, ms = 60_000, what = 'the scenario') {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits (bounded) until `predicate()` holds. */
async function until(predicate, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return predicate();
}

const WASM_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; report-uri /csp-report";

test("under script-src 'self' 'wasm-unsafe-eval' (no 'unsafe-eval') the worker runs WebAssembly, every rung answers as in Node, and nothing violates the policy", async () => {
  const reference = createEvaluator(definitions, { engine: 'main-thread' });
  const expected = await transcript(reference, firewall);
  await reference.dispose();

  await withBrowser({ headers: { 'content-security-policy': WASM_CSP } }, async ({ browser, origin }) => {
    const { page, reports, consoleErrors } = await openPage(browser, origin, () => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const result = await bounded(page.evaluate(async () => {
      const evaluator = window.pkg.createEvaluator(window.definitions);
      const started = performance.now();
      const answers = await window.transcript(evaluator, window.designs['edge-firewall-relationship']);
      const elapsed = performance.now() - started;
      const engine = await evaluator.engine();
      window.evaluatorUnderTest = evaluator; // kept alive: its worker is probed below
      // The other rungs, forced, under the same policy.
      const others = {};
      for (const rung of ['main-thread', 'js']) {
        const forced = window.pkg.createEvaluator(window.definitions, { engine: rung });
        others[rung] = { transcript: await window.transcript(forced, window.designs['edge-firewall-relationship']), kind: (await forced.engine()).kind };
        await forced.dispose();
      }
      return { engine, transcript: answers, elapsed, others, violations: [...window.violations] };
    }));
    assert.equal(result.engine.kind, 'worker');
    assert.equal(result.engine.code, 'wasm');
    assert.equal(result.engine.reason, 'Worker and WebAssembly are available');
    assert.equal(result.transcript, expected);
    for (const [rung, other] of Object.entries(result.others)) {
      assert.equal(other.kind, rung);
      assert.equal(other.transcript, expected, `${rung} rung under the policy`);
    }
    assert.deepEqual(result.violations, []);
    assert.equal(await until(() => reports.length > 0, 500), false, `no report: ${JSON.stringify(reports)}`);

    // The detectors are live, and the policy holds in the page and in the package's worker (its
    // script's response carries it): a string evaluated as code there is refused and reported.
    const inPage = await bounded(page.evaluate(async () => (await import('/pages/csp-probe.js')).default));
    assert.equal(inPage, 'EvalError', "no 'unsafe-eval' in the page");
    assert.ok(await until(() => reports.length === 1), 'the probe in the page was reported');
    assert.deepEqual(await page.evaluate(() => window.violations), ['script-src eval']);
    const [worker] = page.workers();
    assert.ok(worker, 'the package worker is running');
    assert.match(worker.url(), /\/dist\/worker\.js$/);
    const inWorker = await bounded(worker.evaluate(async () => (await import('/pages/csp-probe.js')).default));
    assert.equal(inWorker, 'EvalError', "no 'unsafe-eval' in the worker");
    assert.ok(await until(() => reports.length === 2), 'the probe in the worker was reported');
    const probeSources = reports.map((report) => new URL(report['csp-report']['document-uri']).pathname);
    assert.deepEqual(probeSources, ['/pages/app.html', '/dist/worker.js']);
    assert.ok(reports.every((report) => report['csp-report']['blocked-uri'] === 'eval'), JSON.stringify(reports));

    await bounded(page.evaluate(async ({ elapsed, sources, policy }) => {
      await window.evaluatorUnderTest.dispose();
      window.show("CSP script-src 'self' 'wasm-unsafe-eval': worker + WebAssembly", {
        'policy (response header)': policy,
        engine: 'worker (wasm): Worker and WebAssembly are available',
        answers: 'equal to WebAssembly in Node (load + batch + evaluate + export)',
        'main-thread and js rungs, forced': 'same answers under the same policy',
        'ms (load + batch + evaluate + export)': elapsed.toFixed(1),
        'violations by the package': 'none (page events, reports from page and worker)',
        'deliberate probes (eval refused, reported from)': sources.join(', '),
      });
    }, { elapsed: result.elapsed, sources: probeSources, policy: WASM_CSP }));
    const shot = await screenshot(page, 'csp-wasm-unsafe-eval-worker');
    assert.ok(shot.differing > 1000);
    assert.deepEqual(consoleErrors, []);
  });
});

/** `{"__proto__":{"polluted":tag},"constructor":{"prototype":{"polluted":"tag-constructor"}},"prototype":{…}}` as JSON text. */
const hostile = (tag) => `"__proto__":{"polluted":"${tag}"},"constructor":{"prototype":{"polluted":"${tag}-constructor"}},"prototype":{"polluted":"${tag}-prototype"}`;
const LABELS = '{"__proto__":"label-proto","constructor":"label-constructor","prototype":"label-prototype","app":"web"}';
/** A design whose every open-ended object has the three keys (JSON text: an object literal cannot hold an own `__proto__`). */
const HOSTILE_DESIGN = `{"id":"00000000-0000-0000-0000-0000000000aa","name":"hostile","version":"0.0.1",${hostile('design')},
  "metadata":{${hostile('metadata')}},
  "components":[
    {"id":"ns","component":{"kind":"Namespace"},"displayName":"shop","modelReference":{"name":"kubernetes"},"configuration":{}},
    {"id":"web","component":{"kind":"Deployment"},"displayName":"web","modelReference":{"name":"kubernetes"},"metadata":{${hostile('component-metadata')}},
     "configuration":{${hostile('configuration')},"metadata":{"namespace":"shop","labels":${LABELS},"annotations":{"__proto__":"annotation-proto","constructor":"annotation-constructor"}},
       "spec":{"selector":{"matchLabels":${LABELS}},"template":{"metadata":{"labels":${LABELS}}}}}},
    {"id":"svc","component":{"kind":"Service"},"displayName":"svc","modelReference":{"name":"kubernetes"},"configuration":{"metadata":{"namespace":"shop"},"spec":{"selector":{"__proto__":"label-proto","app":"web"}}}}
  ],"relationships":[]}`;
const HOSTILE_EDITS = `[{"op":"setLabels","id":"web","labels":{"__proto__":"label-proto","constructor":"label-constructor","prototype":"label-prototype","app":"web","tier":"edited"}},
  {"op":"patchConfiguration","id":"web","patch":{"__proto__":{"patched":true},"constructor":{"prototype":{"patched":true}}}},
  {"op":"setPreferences","preferences":{${hostile('preferences')}}}]`;
/** What the JSON text of the design must hold afterwards. */
const KEPT = [
  hostile('design'), `"metadata":{${hostile('metadata')}`, `"metadata":{${hostile('component-metadata')}}`,
  '"configuration":{"__proto__":{"polluted":"configuration","patched":true},"constructor":{"prototype":{"polluted":"configuration-constructor","patched":true}},"prototype":{"polluted":"configuration-prototype"}',
  '"labels":{"__proto__":"label-proto","constructor":"label-constructor","prototype":"label-prototype","app":"web","tier":"edited"}',
  `"matchLabels":${LABELS}`, '"annotations":{"__proto__":"annotation-proto","constructor":"annotation-constructor"}',
  '"selector":{"__proto__":"label-proto","app":"web"}', `"preferences":{${hostile('preferences')}}`,
];
/** Names a polluted prototype would have gained. */
const SENTINELS = ['polluted', 'patched', 'label-proto', 'annotation-proto'];

/** In any realm (page or worker): what its built-in prototypes hold. */
function prototypeState(sentinels) {
  const forIn = (value) => {
    const keys = [];
    for (const key in value) keys.push(key);
    return keys;
  };
  const values = [{}, [], () => {}, '', 0, Object.create(Object.prototype)];
  return {
    objectNames: Object.getOwnPropertyNames(Object.prototype).sort(),
    arrayNames: Object.getOwnPropertyNames(Array.prototype).sort(),
    enumerable: [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) => Object.keys(proto)),
    forIn: [forIn({}), forIn([])],
    sentinels: sentinels.filter((name) => values.some((value) => Object(value)[name] !== undefined)),
    prototypeOfObject: Object.getPrototypeOf({}) === Object.prototype && Object.getPrototypeOf(Object.prototype) === null,
  };
}

/**
 * The calls of the prototype test, the same in Node and in the page (installed there from this
 * source): the design and the edits go in as objects parsed from the JSON text (own `__proto__`
 * properties), once as text; every answer comes back as JSON text.
 */
async function hostileCalls(evaluator, designText, editsText, reimport) {
  const loaded = await evaluator.loadDesign(JSON.parse(designText));
  const edited = await evaluator.applyEdits(JSON.parse(editsText));
  const current = await evaluator.design();
  const exported = await evaluator.exportJson();
  const response = await evaluator.evaluateDesign(designText);
  const imported = reimport(exported);
  const importedDesign = await imported.design();
  await imported.dispose();
  const web = current.components.find((component) => component.id === 'web');
  /** An own data property holding a plain object or string, on a plain object. */
  const own = (holder, key) => {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    return Boolean(descriptor && 'value' in descriptor && descriptor.enumerable && Object.getPrototypeOf(holder) === Object.prototype);
  };
  const holders = {
    design: current, 'design.metadata': current.metadata, 'design.preferences': current.preferences, 'component.metadata': web.metadata,
    'component.configuration': web.configuration, labels: web.configuration.metadata.labels, matchLabels: web.configuration.spec.selector.matchLabels,
  };
  const ownKeys = Object.fromEntries(Object.entries(holders).map(([name, holder]) => [name, ['__proto__', 'constructor', 'prototype'].filter((key) => own(holder, key))]));
  return {
    transcript: JSON.stringify([loaded, edited, current, response, importedDesign]),
    exported, designText: JSON.stringify(current), ownKeys,
  };
}

test('__proto__, constructor and prototype keys in designs and edits pollute no prototype on any rung (page and worker realms) and round-trip as own data properties', async () => {
  const reference = createEvaluator(definitions, { engine: 'main-thread' });
  const expected = await hostileCalls(reference, HOSTILE_DESIGN, HOSTILE_EDITS, (json) => importEvaluator(json, { engine: 'main-thread' }));
  await reference.dispose();
  for (const key of KEPT) assert.ok(expected.exported.includes(key), `Node keeps ${key}`);

  await withBrowser({}, async ({ open, consoleErrors }) => {
    for (const rung of ['worker', 'main-thread', 'js']) {
      const page = await open();
      const before = await page.evaluate(prototypeState, SENTINELS);
      await page.evaluate(`window.hostileCalls = ${hostileCalls}`);
      const result = await bounded(page.evaluate(async ({ rung, design, edits }) => {
        const options = { engine: rung };
        const evaluator = window.pkg.createEvaluator(window.definitions, options);
        const calls = await window.hostileCalls(evaluator, design, edits, (json) => window.pkg.importEvaluator(json, options));
        const engine = await evaluator.engine();
        window.evaluatorUnderTest = evaluator; // kept alive: the worker realm is probed next
        return { ...calls, engine };
      }, { rung, design: HOSTILE_DESIGN, edits: HOSTILE_EDITS }));
      const after = await page.evaluate(prototypeState, SENTINELS);
      const [worker] = page.workers();
      const inWorker = rung === 'worker' ? await worker.evaluate(prototypeState, SENTINELS) : null;
      await bounded(page.evaluate(() => window.evaluatorUnderTest.dispose()));

      assert.equal(result.engine.kind, rung);
      assert.equal(result.transcript, expected.transcript, `${rung}: the same answers as WebAssembly in Node`);
      for (const key of KEPT) {
        assert.ok(result.exported.includes(key), `${rung}: exportJson() keeps ${key}`);
        assert.ok(result.designText.includes(key), `${rung}: design() keeps ${key}`);
      }
      for (const [holder, keys] of Object.entries(result.ownKeys)) {
        assert.deepEqual(keys, ['__proto__', 'constructor', 'prototype'], `${rung}: own data properties of ${holder}`);
      }
      const clean = { ...before, enumerable: [[], [], [], []], forIn: [[], []], sentinels: [], prototypeOfObject: true };
      assert.deepEqual(before, clean, `${rung}: the page starts clean`);
      assert.deepEqual(after, before, `${rung}: the page's prototypes are untouched`);
      if (inWorker) assert.deepEqual(inWorker, before, 'the worker\'s prototypes are untouched');

      await page.evaluate(({ rung, after, inWorker, kept, ownKeys }) => {
        window.show(`__proto__ / constructor / prototype keys, ${rung} rung: no pollution, kept as data`, {
          'Object.prototype keys (page)': JSON.stringify(after.enumerable[0]), '({}).polluted, [].patched (page)': `${({}).polluted}, ${[].patched}`,
          'sentinels on built-in prototypes (page)': after.sentinels.length === 0 ? 'none' : after.sentinels.join(', '),
          'worker realm': inWorker ? `Object.prototype keys ${JSON.stringify(inWorker.enumerable[0])}, sentinels ${inWorker.sentinels.length === 0 ? 'none' : inWorker.sentinels.join(', ')}` : 'no worker on this rung',
          'own data properties in design()': Object.entries(ownKeys).map(([holder, keys]) => `${holder}: ${keys.length}`).join(', '),
          'kept in exportJson() and design() text': `${kept} of ${kept} fragments`,
        });
      }, { rung, after, inWorker, kept: KEPT.length, ownKeys: result.ownKeys });
      await screenshot(page, `proto-keys-${rung}`);
      await page.close();
    }
    assert.deepEqual(consoleErrors, []);
  });
});

/**
 * Every way a script can turn a string into code, found in a file's syntax tree (comments and
 * string contents cannot match; property names and string-keyed lookups can). Returns findings
 * and the sites that take code-like arguments (timers, dynamic imports, workers) with what they
 * were given.
 */
function codeFromStrings(fileName, text) {
  // Without parent pointers: js-engine.js alone has 2.4 million nodes.
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const findings = [];
  const instanceofFunction = new Set();
  const sites = { timers: [], imports: [], workers: [] };
  const where = (node) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    return `${fileName}:${line + 1}:${character + 1} ${node.getText(source).slice(0, 80).replace(/\s+/g, ' ')}`;
  };
  const flag = (rule, node) => findings.push(`${rule}: ${where(node)}`);
  const nameOf = (expression) => {
    if (ts.isIdentifier(expression)) return expression.text;
    if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
    if (ts.isElementAccessExpression(expression) && ts.isStringLiteralLike(expression.argumentExpression)) return expression.argumentExpression.text;
    return undefined;
  };
  /** Text, or text built from pieces: what a string-taking sink would run. */
  const stringLike = (node) => ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)
    || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    || (ts.isCallExpression(node) && nameOf(node.expression) === 'String')
    || (ts.isParenthesizedExpression(node) && stringLike(node.expression));
  const unsafeUrl = (text) => /^\s*(data|blob|javascript):/i.test(text);
  /** `new URL('./file.js', import.meta.url)` or a plain relative/absolute path literal. */
  const staticModuleUrl = (node) => (ts.isStringLiteralLike(node) && !unsafeUrl(node.text))
    || (ts.isNewExpression(node) && nameOf(node.expression) === 'URL' && node.arguments?.length === 2
      && ts.isStringLiteralLike(node.arguments[0]) && !unsafeUrl(node.arguments[0].text)
      && node.arguments[1].getText(source) === 'import.meta.url');
  const visit = (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) instanceofFunction.add(node.right);
    if (ts.isIdentifier(node)) {
      if (node.text === 'eval') flag('eval', node);
      if (node.text === 'Function' && !instanceofFunction.has(node)) flag('Function constructor', node);
      if (['execScript', 'importScripts', 'createObjectURL', 'createContextualFragment', 'insertAdjacentHTML', 'runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction'].includes(node.text)) flag(node.text, node);
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      && ['eval', 'Function', 'constructor', 'execScript'].includes(node.argumentExpression.text)) flag('string-keyed lookup', node);
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.expression) {
      const callee = nameOf(node.expression);
      const first = node.arguments?.[0];
      if (callee === 'constructor') flag('.constructor() call', node);
      if (['setTimeout', 'setInterval', 'setImmediate'].includes(callee)) {
        sites.timers.push(`${callee}(${first ? first.getText(source).replace(/\s+/g, ' ').slice(0, 40) : ''}…)`);
        if (!first || stringLike(first) || !(ts.isArrowFunction(first) || ts.isFunctionExpression(first) || ts.isIdentifier(first) || ts.isPropertyAccessExpression(first))) flag(`${callee} without a function`, node);
      }
      if (ts.isNewExpression(node) && ['Worker', 'SharedWorker'].includes(callee)) {
        sites.workers.push(first ? first.getText(source) : '');
        if (!first || !staticModuleUrl(first)) flag('worker from a non-static URL', node);
      }
      if (ts.isNewExpression(node) && callee === 'Blob') flag('Blob (script text as a URL)', node);
      if (callee === 'write' || callee === 'writeln') {
        if (node.expression.getText(source).startsWith('document.')) flag('document.write', node);
      }
      if (callee === 'setAttribute' && first && ts.isStringLiteralLike(first) && /^on/i.test(first.text)) flag('event-handler attribute', node);
      if (callee === 'require' && first && ts.isStringLiteralLike(first) && /^(node:)?vm$/.test(first.text)) flag('node:vm', node);
    }
    if (node.kind === ts.SyntaxKind.CallExpression && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      sites.imports.push(specifier.getText(source));
      // The one computed import allowed: the JavaScript engine's URL, vetted by load.ts's
      // moduleHref (http:, https: and file: only; tested in tests/js/unit/ladder.test.ts).
      const vetted = ts.isCallExpression(specifier) && /^moduleHref\d*$/.test(nameOf(specifier.expression) ?? '');
      if (!vetted && (!ts.isStringLiteralLike(specifier) || unsafeUrl(specifier.text))) flag('import() of a computed or data:/blob: specifier', node);
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)
      && (/^(node:)?vm$/.test(node.moduleSpecifier.text) || unsafeUrl(node.moduleSpecifier.text))) flag('import of node:vm or a data:/blob: module', node);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken
      && ['innerHTML', 'outerHTML', 'srcdoc'].includes(nameOf(node.left) ?? '')) flag('HTML sink', node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { findings, sites };
}

test('nothing in dist/ evaluates strings as code (syntax-tree scan of every published script)', () => {
  // The scanner first proves it sees each form, and passes the package's own harmless forms.
  const control = codeFromStrings('control.js', [
    "eval('1')", "(0, eval)('1')", 'const e = globalThis.eval', "new Function('return 1')", "Function('return 1')()",
    "globalThis['eval']('1')", "[].constructor.constructor('return 1')()", "setTimeout('run()', 1)", 'setInterval(`tick()`, 5)',
    "setTimeout('a' + b, 0)", "import('data:text/javascript,export default 1')", 'import(specifier)', "new Worker(URL.createObjectURL(new Blob(['x'])))",
    "new Worker('blob:http://x/1')", "el.innerHTML = '<img onerror=alert(1)>'", "document.write('<script>1</script>')", "el.setAttribute('onclick', 'go()')",
    "importScripts('x.js')", "const vm = require('node:vm')",
  ].join(';\n')).findings;
  for (let line = 1; line <= 19; line++) {
    assert.ok(control.some((finding) => finding.includes(` control.js:${line}:`)), `control line ${line} is caught: ${JSON.stringify(control)}`);
  }
  const harmless = codeFromStrings('harmless.js', [
    'setTimeout(() => run(), 0)', 'setTimeout(task, 0)', 'const t = setTimeout(function () {}, 5)', "await import('./js-engine.js')", 'await import(/* webpackIgnore: true */ moduleHref(href))',
    "new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })", 'x instanceof Function', "const s = 'wasm-unsafe-eval'; // eval( new Function(",
    'WebAssembly.instantiate(bytes, imports)',
  ].join(';\n'));
  assert.deepEqual(harmless.findings, []);

  const dist = join(root, 'dist');
  const files = readdirSync(dist).filter((name) => name.endsWith('.js')).sort();
  assert.ok(files.includes('index.js') && files.includes('worker.js') && files.includes('js-engine.js'), files.join(', '));
  const report = { files: {}, findings: [] };
  for (const name of files) {
    const text = readFileSync(join(dist, name), 'utf8');
    const { findings, sites } = codeFromStrings(name, text);
    report.files[name] = { bytes: text.length, ...sites };
    report.findings.push(...findings);
  }
  saveArtifact('no-code-from-strings.json', report);
  assert.deepEqual(report.findings, []);
  // What the scan saw: the timers take functions, the dynamic imports are the JavaScript engine
  // (at the URL moduleHref vetted: next to the package, or where the app put it) and the YAML
  // reading's two chunks (js/yaml.ts, then the yaml package it loads; both only when a design
  // arrives as YAML, named literally), and the only worker is the package's own script next to it.
  const all = (key) => Object.values(report.files).flatMap((entry) => entry[key]);
  assert.ok(all('timers').length > 0);
  const imports = [...new Set(all('imports'))].sort();
  const chunksHolding = (text) => files.filter((name) => /chunk-/.test(name) && readFileSync(join(dist, name), 'utf8').includes(text)).map((name) => `"./${name}"`);
  const yamlParsers = chunksHolding('Nested mappings are not allowed');
  const yamlReaders = chunksHolding('not part of the YAML 1.2 core schema this reader follows');
  assert.equal(yamlParsers.length, 2, 'one chunk of the yaml package per build (browser, Node)');
  assert.equal(yamlReaders.length, 2, 'one chunk of js/yaml.ts per build (browser, Node)');
  const yamlChunks = [...yamlParsers, ...yamlReaders];
  const engineImports = imports.filter((site) => /^moduleHref\d*\(href\)$/.test(site));
  assert.ok(engineImports.length > 0, `the JavaScript engine's import is seen: ${imports.join(', ')}`);
  assert.deepEqual(imports, [...engineImports, ...yamlChunks].sort());
  assert.deepEqual([...new Set(all('workers'))], ['new URL("./worker.js", import.meta.url)']);
});
