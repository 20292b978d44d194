// The command line (dist/cli.js) as a user runs it: real designs and definitions, every flag,
// standard input, MessagePack output, and the documented exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { decode } from '@msgpack/msgpack';
import { parse as parseYaml } from 'yaml';
import { createEvaluator } from '../../../dist/index.node.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = `${root}dist/cli.js`;
const fixtures = `${root}../shared/fixtures/meshery/`;
const definitionsDir = `${fixtures}relationships/kubernetes`;
const edgeFirewall = `${fixtures}designs/edge-firewall-relationship.design.yaml`;

function run(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], { input, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

const json = (result) => JSON.parse(result.stdout.toString());

test('evaluate prints the EvaluationResponse the library computes, without the trace by default', async () => {
  const result = run(['evaluate', edgeFirewall, '--relationships', definitionsDir]);
  assert.equal(result.code, 0, result.stderr);
  const printed = json(result);
  assert.equal(printed.schemaVersion, 'evaluation.meshery.io/v1beta1');
  assert.equal(printed.trace, undefined);
  const definitions = readdirSync(definitionsDir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(`${definitionsDir}/${n}`, 'utf8')));
  const evaluator = createEvaluator(definitions);
  const expected = await evaluator.evaluateDesign(parseYaml(readFileSync(edgeFirewall, 'utf8')));
  await evaluator.dispose();
  delete expected.trace;
  assert.deepEqual(printed, expected);
});

test('--trace adds the trace, --diff-only returns only what changed', () => {
  const full = json(run(['evaluate', edgeFirewall, '-r', definitionsDir, '--trace']));
  assert.ok(Array.isArray(full.trace.relationshipsUpdated));
  const diff = json(run(['evaluate', edgeFirewall, '-r', definitionsDir, '--diff-only']));
  assert.ok(diff.design.components.length < full.design.components.length, 'a diff-only design holds fewer components');
  assert.deepEqual(diff.actions, full.actions);
});

test('- reads the design from standard input; one definition file works as well as a directory', () => {
  const design = { id: 'd', version: '0.0.1', components: [
    { id: 'ns', component: { kind: 'Namespace' }, displayName: 'shop', modelReference: { name: 'kubernetes' }, configuration: {} },
    { id: 'web', component: { kind: 'Deployment' }, displayName: 'web', modelReference: { name: 'kubernetes' }, configuration: { metadata: { namespace: 'shop' } } },
  ] };
  const fromDir = run(['evaluate', '-', '-r', definitionsDir, '--compact'], JSON.stringify(design));
  assert.equal(fromDir.code, 0, fromDir.stderr);
  assert.equal(fromDir.stdout.toString().trim().split('\n').length, 1);
  const added = json(fromDir).design.relationships.map((r) => `${r.kind}/${r.type}/${r.subType}`);
  assert.ok(added.includes('hierarchical/parent/inventory'));
  const single = readdirSync(definitionsDir).filter((n) => n.startsWith('edge-'));
  const file = run(['evaluate', '-', ...single.flatMap((n) => ['-r', `${definitionsDir}/${n}`])], JSON.stringify(design));
  assert.equal(file.code, 0, file.stderr);
  assert.deepEqual(json(file).design.relationships ?? [], [], 'no hierarchical relationship without the hierarchical definitions');
});

test('--format msgpack writes the same response as MessagePack', () => {
  const asJson = json(run(['evaluate', edgeFirewall, '-r', definitionsDir]));
  const packed = run(['evaluate', edgeFirewall, '-r', definitionsDir, '--format', 'msgpack']);
  assert.equal(packed.code, 0, packed.stderr);
  assert.deepEqual(decode(packed.stdout), asJson);
});

test('--engine js answers exactly as the WebAssembly engine', () => {
  const wasm = run(['evaluate', edgeFirewall, '-r', definitionsDir, '--trace']);
  const js = run(['evaluate', edgeFirewall, '-r', definitionsDir, '--trace', '--engine', 'js']);
  assert.equal(js.code, 0, js.stderr);
  assert.equal(js.stdout.toString(), wasm.stdout.toString());
});

test('exit 1 with the error as JSON on stderr when the input is invalid', () => {
  const duplicate = run(['evaluate', '-', '-r', definitionsDir], JSON.stringify({ id: 'd', components: [{ id: 'a' }, { id: 'a' }] }));
  assert.equal(duplicate.code, 1);
  assert.deepEqual(JSON.parse(duplicate.stderr), { code: 'DUPLICATE_ID', message: 'component id a appears more than once', path: '/components/1/id' });
  const missing = run(['evaluate', '/no/such/design.json', '-r', definitionsDir]);
  assert.equal(missing.code, 1);
  assert.deepEqual(JSON.parse(missing.stderr), { code: 'NOT_FOUND', message: '/no/such/design.json does not exist', path: '' });
  const garbage = run(['evaluate', '-', '-r', definitionsDir], '{: [');
  assert.equal(garbage.code, 1);
  assert.equal(JSON.parse(garbage.stderr).code, 'INVALID_JSON');
  const badOption = run(['evaluate', '-', '-r', definitionsDir, '--options', '{"maxApprovalsPerPolicy":0}'], '{}');
  assert.equal(badOption.code, 1);
  assert.deepEqual(JSON.parse(badOption.stderr).path, '/maxApprovalsPerPolicy');
});

test('exit 2 with the usage on stderr for bad usage; --help and --version exit 0', () => {
  for (const args of [[], ['evaluate', edgeFirewall], ['evaluate', '-r', definitionsDir], ['frobnicate'], ['evaluate', edgeFirewall, '-r', definitionsDir, '--format', 'xml'], ['evaluate', edgeFirewall, '-r', definitionsDir, '--bogus']]) {
    const result = run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /usage: relationship-evaluator evaluate/);
  }
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout.toString(), /exit codes:/);
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.toString().trim(), `@meshery/relationship-evaluator ${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}`);
});

test('I/O failures have codes of their own: NOT_FOUND for a missing path, IO_ERROR for an unreadable one', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/cli-io-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missingDefinitions = run(['evaluate', edgeFirewall, '-r', `${dir}/nope`]);
  assert.equal(missingDefinitions.code, 1);
  assert.deepEqual(JSON.parse(missingDefinitions.stderr), { code: 'NOT_FOUND', message: `${dir}/nope does not exist`, path: '' });
  // A directory given as the design: it exists, it is not readable as a file.
  const directoryAsDesign = run(['evaluate', dir, '-r', definitionsDir]);
  assert.equal(directoryAsDesign.code, 1);
  const error = JSON.parse(directoryAsDesign.stderr);
  assert.equal(error.code, 'IO_ERROR');
  assert.match(error.message, new RegExp(`^cannot read ${dir}: .*EISDIR`));
  if (process.getuid?.() !== 0) {
    const locked = `${dir}/locked.json`;
    writeFileSync(locked, '{}');
    chmodSync(locked, 0o000);
    const unreadable = run(['evaluate', locked, '-r', definitionsDir]);
    assert.equal(JSON.parse(unreadable.stderr).code, 'IO_ERROR');
  }
});

test('a --relationships path that yields no definitions is bad usage (exit 2), not an evaluation that deletes every relationship', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/cli-defs-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const empty = run(['evaluate', edgeFirewall, '-r', dir]);
  assert.equal(empty.code, 2);
  assert.equal(empty.stdout.length, 0);
  assert.equal(empty.stderr, `relationship-evaluator: --relationships ${dir}: no *.json, *.yaml or *.yml files in the directory ${dir}; evaluating without definitions would delete every relationship of the design\n`);
  // The parent of the definitions directory: the files are one level down.
  const parent = run(['evaluate', edgeFirewall, '-r', `${fixtures}relationships`]);
  assert.equal(parent.code, 2);
  assert.match(parent.stderr, /directories are not searched recursively; it has kubernetes\/\)/);
  writeFileSync(`${dir}/none.json`, '[]');
  mkdirSync(`${dir}/sub`);
  const emptyArray = run(['evaluate', edgeFirewall, '-r', `${dir}/none.json`]);
  assert.equal(emptyArray.code, 2);
  assert.match(emptyArray.stderr, /none\.json holds no definitions/);
  // One good path does not excuse an empty one.
  const mixed = run(['evaluate', edgeFirewall, '-r', definitionsDir, '-r', dir]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, new RegExp(`--relationships ${dir}: ${dir} holds no definitions`));
});

test('a legacy pattern file or another kind of document is named as such (UNSUPPORTED_FORMAT), not evaluated to nothing', () => {
  const legacy = run(['evaluate', `${fixtures}designs/kubernetes_basic.legacy-pattern.yaml`, '-r', definitionsDir]);
  assert.equal(legacy.code, 1);
  const error = JSON.parse(legacy.stderr);
  assert.equal(error.code, 'UNSUPPORTED_FORMAT');
  assert.equal(error.path, '/services');
  assert.match(error.message, /is a legacy Meshery pattern file \("services:"\), not a v1beta1 design/);
  const manifest = run(['evaluate', '-', '-r', definitionsDir], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  assert.equal(manifest.code, 1);
  assert.match(JSON.parse(manifest.stderr).message, /^standard input is a Kubernetes manifest \(kind "Namespace"\), not a Meshery design/);
  for (const [input, what] of [['just some words', 'a string'], ['[1, 2]', 'an array'], ['', 'empty'], ['{"name": "x", "nodes": []}', 'not a recognised Meshery design']]) {
    const result = run(['evaluate', '-', '-r', definitionsDir], input);
    assert.equal(result.code, 1, input);
    const { code, message } = JSON.parse(result.stderr);
    assert.equal(code, 'UNSUPPORTED_FORMAT', input);
    assert.match(message, new RegExp(what), input);
  }
  // The real v1beta1 fixtures are designs.
  assert.equal(run(['evaluate', `${fixtures}designs/valid_design.yaml`, '-r', definitionsDir]).code, 0);
});
