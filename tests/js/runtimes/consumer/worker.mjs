// workerd: the scenario behind `GET /`. workerd's clock stands still while a request computes,
// so the evaluation time is measured by the test from outside, on the example Worker.
import { createEvaluator } from '@meshery/relationship-evaluator';
import { scenario } from './scenario.mjs';

export default {
  async fetch() {
    return Response.json(await scenario(createEvaluator));
  },
};
