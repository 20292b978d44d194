// What every runtime runs against the installed package, the same code in each: an evaluator
// from the Kubernetes definitions, the fixture design loaded, an edit batch applied, then a full
// evaluation. Returns the engine it ran on and every response, serialised, for a byte comparison.
import definitions from './definitions.json' with { type: 'json' };
import design from './design.json' with { type: 'json' };
import edits from './edits.json' with { type: 'json' };

export async function scenario(createEvaluator) {
  const evaluator = createEvaluator(definitions);
  try {
    const loaded = await evaluator.loadDesign(design);
    const edited = await evaluator.applyEdits(edits);
    const evaluation = await evaluator.evaluate();
    const after = await evaluator.design();
    const { kind, code } = await evaluator.engine();
    return { engine: { kind, code }, responses: JSON.stringify({ loaded, edited, evaluation, design: after }) };
  } finally {
    await evaluator.dispose();
  }
}

/**
 * Milliseconds of one evaluation of the fixture design over `runs` runs after a warm-up: the
 * median, and the fastest (the least disturbed by other work on a shared machine).
 */
export async function evaluationMs(createEvaluator, runs = 21) {
  const evaluator = createEvaluator(definitions);
  try {
    await evaluator.evaluateDesign(design);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await evaluator.evaluateDesign(design);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(runs / 2)], fastest: times[0] };
  } finally {
    await evaluator.dispose();
  }
}
