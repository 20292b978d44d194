// Writes the shipped wasm package's response for every design of Meshery's Go-engine material
// (../shared/fixtures/meshery/go-engine/design-<name>.json) to <out>/<name>.json, so that
// `GO_ENGINE_RESPONSES=<out> cargo test --test go_engine_conformance` runs the one comparison with
// Go's results on what users install (scripts/test.sh does both).
//
//   node tests/node/go-engine-responses.mjs <out-dir>
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import init, { Evaluator } from '../../pkg/web/relationship_evaluator.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: node tests/node/go-engine-responses.mjs <out-dir>');
  process.exit(2);
}
const root = new URL('../../', import.meta.url);
const fixtures = new URL('../shared/fixtures/meshery/', root);
const definitionsDir = new URL('relationships/kubernetes/', fixtures);
const goEngineDir = new URL('go-engine/', fixtures);

await init({ module_or_path: await readFile(new URL('pkg/web/relationship_evaluator_bg.wasm', root)) });
const definitionFiles = (await readdir(definitionsDir)).filter((f) => f.endsWith('.json')).sort();
const definitions = await Promise.all(
  definitionFiles.map(async (f) => JSON.parse(await readFile(new URL(f, definitionsDir), 'utf8'))),
);
const evaluator = new Evaluator(JSON.stringify(definitions));

await mkdir(out, { recursive: true });
const designs = (await readdir(goEngineDir)).filter((f) => /^design-.+\.json$/.test(f)).sort();
for (const file of designs) {
  const name = file.slice('design-'.length, -'.json'.length);
  // The design's text goes in as it is on disk: no JSON.parse round trip in between.
  const response = evaluator.evaluateDesign(await readFile(new URL(file, goEngineDir), 'utf8'));
  await writeFile(`${out}/${name}.json`, response);
  console.log(`wasm package: ${name} → ${out}/${name}.json (${response.length} bytes)`);
}
evaluator.free();
