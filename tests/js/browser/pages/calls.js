// A fixed series of calls whose answers the browser suites compare across engines; imported by
// the test page and by the Node side of the tests.

/** Loads `design`, edits it, evaluates and exports; every answer as one JSON text. */
export async function transcript(evaluator, design) {
  const first = design.components[0].id;
  return JSON.stringify([
    await evaluator.loadDesign(design),
    await evaluator.applyEdits([{ op: 'renameComponent', id: first, displayName: 'renamed' }, { op: 'setLayer', layer: 'hierarchical-parent-alias', enabled: false }]),
    await evaluator.evaluate(),
    await evaluator.exportJson(),
  ]);
}
