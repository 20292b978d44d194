// A Cloudflare Worker that answers Meshery's evaluate request: `POST` with the body
// `{ design, options?: { returnDiffOnly?, enableTrace? } }` → the `EvaluationResponse` as JSON.
// Errors are JSON too: `{ error: { code, message, path } }`, 400 for a bad request, 422 for a
// design the evaluator rejects.
import { createEvaluator } from '@meshery/relationship-evaluator';
// The relationship definitions the Worker evaluates with (Meshery's registry export, as JSON).
import definitions from './definitions.json';

const json = (value, status = 200, headers = {}) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });

const badRequest = (message) => json({ error: { code: 'BAD_REQUEST', message, path: '' } }, 400);

export default {
  async fetch(request) {
    if (request.method !== 'POST') return json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'POST an evaluation request', path: '' } }, 405, { allow: 'POST' });
    let body;
    try {
      body = await request.json();
    } catch {
      return badRequest('the body is not JSON');
    }
    const { design, options = {} } = body ?? {};
    if (design === null || typeof design !== 'object' || Array.isArray(design)) return badRequest('`design` must be a design object');
    if (options === null || typeof options !== 'object') return badRequest('`options` must be an object');
    // One evaluator per request: evaluations on one evaluator are latest-wins, and requests
    // overlap. The WebAssembly instance behind them is shared by the whole isolate.
    const evaluator = createEvaluator(definitions, {
      evaluation: { returnDiffOnly: options.returnDiffOnly === true, enableTrace: options.enableTrace === true },
    });
    try {
      return json(await evaluator.evaluateDesign(design));
    } catch (error) {
      return json({ error: { code: error.code ?? 'INTERNAL', message: error.message, path: error.path ?? '' } }, 422);
    } finally {
      await evaluator.dispose();
    }
  },
};
