// Application code that already runs in a Web Worker and imports the package's `worker` build:
// it evaluates in this thread (no nested worker) and posts what it got.
import { createEvaluator } from '/dist/index.worker.js';

self.addEventListener('message', async (event) => {
  try {
    const evaluator = createEvaluator(event.data.definitions);
    const delta = await evaluator.loadDesign(event.data.design);
    const engine = await evaluator.engine();
    await evaluator.dispose();
    self.postMessage({ delta, engine });
  } catch (error) {
    self.postMessage({ error: String(error), code: error.code });
  }
});
