// Node, Deno and Bun: the scenario, printed as one JSON line; `--time` adds the evaluation time.
import { createEvaluator } from '@meshery/relationship-evaluator';
import { evaluationMs, scenario } from './scenario.mjs';

const result = await scenario(createEvaluator);
const timed = (globalThis.Deno?.args ?? globalThis.process?.argv ?? []).includes('--time');
console.log(JSON.stringify(timed ? { ...result, evaluationMs: await evaluationMs(createEvaluator) } : result));
