// Evaluates designs with the Node WebAssembly package (pkg/web, built by scripts/build-wasm.sh),
// as a JavaScript user calls it, for the Go identity test:
//   node node-evaluate.mjs <pkg-dir> <definitions.json> <options-json> <out-dir> <design.json>...
// writes <out-dir>/<i>.json: evaluateDesign's EvaluationResponse, or the error {code,message,path}.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkg, definitionsFile, options, outDir, ...designs] = process.argv.slice(2);
const glue = await import(pathToFileURL(resolve(pkg, 'relationship_evaluator.js')).href);
glue.initSync({ module: readFileSync(resolve(pkg, 'relationship_evaluator_bg.wasm')) });
const evaluator = new glue.Evaluator(readFileSync(definitionsFile, 'utf8'), options);
designs.forEach((design, i) => {
  let answer;
  try {
    answer = evaluator.evaluateDesign(readFileSync(design, 'utf8'));
  } catch (error) {
    answer = JSON.stringify({ code: error.code, message: error.message, path: error.path });
  }
  writeFileSync(join(outDir, `${i}.json`), answer);
});
