// Type-level test (checked by `tsc -p tsconfig.test.json` in scripts/test.sh): a design typed
// with Meshery's own published schema types is accepted by this package's API as it is.
import type { components } from '@meshery/schemas/constructs/v1beta1/pattern/Pattern';
import type { Design } from '../../../js/types';
import type { RelationshipEvaluator } from '../../../js/evaluator';

type MesheryDesign = components['schemas']['PatternFile'];

export function acceptsMesheryDesign(design: MesheryDesign): Design {
  return design;
}

export async function loadsMesheryDesign(evaluator: RelationshipEvaluator, design: MesheryDesign): Promise<unknown> {
  return evaluator.loadDesign(design);
}

// @ts-expect-error a number is not a design: proves this file really is type-checked.
export const notADesign: Design = 42;
