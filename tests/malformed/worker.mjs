// The worker side of tests/malformed/harness.mjs: loads one engine, runs the cases from
// `workerData.from` on, and reports each case before ('begin') and after ('done') it runs, so the
// main thread can bound it in time.
//
// Engines:
//   wasm  the WebAssembly package as a JavaScript user loads it (pkg/web, wasm-bindgen glue):
//         the `Evaluator` class and Meshery's contract object (`installMesheryEngine()`).
//   js    the JavaScript engine as the package ships it (dist/js-engine.js, wasm2js): the
//         `Evaluator` class. dist/js-engine.js does not export `installMesheryEngine`, so the
//         contract, when asked for (`contract`), runs on the same wasm2js build unbundled
//         (pkg/wasm2js), a second instance.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { CaseRunner, judge } from './harness.mjs';

const { engine: kind, corpusText, from, contract: withContract, reduce } = workerData;
const root = new URL(workerData.root);
const corpus = JSON.parse(corpusText);

async function load() {
  if (kind === 'wasm') {
    const glue = await import(new URL('pkg/web/relationship_evaluator.js', root).href);
    await glue.default({ module_or_path: await readFile(new URL('pkg/web/relationship_evaluator_bg.wasm', root)) });
    return { Evaluator: glue.Evaluator, isPoisoned: glue.isPoisoned, contract: withContract ? glue.installMesheryEngine() : undefined };
  }
  if (kind === 'js') {
    const js = await import(new URL('dist/js-engine.js', root).href);
    let contract;
    if (withContract) {
      const glue = await import(new URL('pkg/wasm2js/relationship_evaluator.js', root).href);
      contract = glue.installMesheryEngine();
      const poisoned = js.isPoisoned;
      return { Evaluator: js.Evaluator, isPoisoned: () => poisoned() || glue.isPoisoned(), contract };
    }
    return { Evaluator: js.Evaluator, isPoisoned: js.isPoisoned, contract };
  }
  throw new Error(`unknown engine ${kind}`);
}

const runner = new CaseRunner(await load(), corpus);
for (let index = from; index < corpus.cases.length; index++) {
  const testCase = corpus.cases[index];
  if (testCase.rustOnly) continue;
  parentPort.postMessage({ type: 'begin', index });
  let runs;
  try {
    runs = runner.run(testCase, reduce);
  } catch (error) {
    // Only the harness throws here (a start evaluator that does not build, say): the case fails.
    runs = [{ via: 'case', outcome: { problems: [`the harness failed: ${error?.stack ?? error}`] } }];
  }
  parentPort.postMessage({
    type: 'done',
    index,
    poisoned: runner.engine.isPoisoned(),
    runs: runs.map(({ via, outcome }) => ({
      via,
      failure: judge(testCase.expect, outcome),
      kind: outcome.error ? 'typed' : 'valid',
      code: outcome.error?.code,
      ms: outcome.ms ?? 0,
    })),
  });
}
parentPort.postMessage({ type: 'end' });
