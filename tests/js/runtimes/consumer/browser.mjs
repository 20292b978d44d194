// Chromium (bundled by Vite): the scenario, its result left in `window.result`.
import { createEvaluator } from '@meshery/relationship-evaluator';
import { scenario } from './scenario.mjs';

scenario(createEvaluator).then(
  (result) => { window.result = result; document.body.textContent = `engine: ${result.engine.kind}`; },
  (error) => { window.result = { error: String(error) }; document.body.textContent = String(error); },
);
