// Type-level test (checked by `tsc -p tsconfig.test.json` in scripts/test.sh): values typed with
// Meshery's own published schema types (@meshery/schemas) are accepted by this package's API as
// they are: designs, evaluation requests and responses, relationship definitions. The other
// direction (this package's `EvaluationResponse` as Meshery's) does not hold and is not claimed:
// Meshery's design type requires fields (name, schemaVersion, component models…) that a design
// given to the engine need not have (the engine returns the design's own fields), and Meshery's
// generated types say `Record<string, never>` for an action's value and a configuration.
import type { components as Pattern } from '@meshery/schemas/constructs/v1beta1/pattern/Pattern';
import type { components as Evaluation } from '@meshery/schemas/constructs/v1beta1/evaluation/Evaluation';
import type { components as Relationship } from '@meshery/schemas/constructs/v1beta1/relationship/Relationship';
import type { Design, EvaluationResponse, RelationshipDefinition } from '../../../js/types';
import type { RelationshipEvaluator } from '../../../js/evaluator';

type MesheryDesign = Pattern['schemas']['PatternFile'];
type MesheryRequest = Evaluation['schemas']['EvaluationRequest'];
type MesheryResponse = Evaluation['schemas']['EvaluationResponse'];
type MesheryDefinition = Relationship['schemas']['RelationshipDefinition'];

export function acceptsMesheryDesign(design: MesheryDesign): Design {
  return design;
}

export async function loadsMesheryDesign(evaluator: RelationshipEvaluator, design: MesheryDesign): Promise<unknown> {
  return evaluator.loadDesign(design);
}

export async function evaluatesMesheryRequest(evaluator: RelationshipEvaluator, request: MesheryRequest): Promise<EvaluationResponse> {
  return evaluator.evaluateDesign(request.design);
}

export function acceptsMesheryDefinitions(definitions: MesheryDefinition[]): readonly RelationshipDefinition[] {
  return definitions;
}

/** A response from Meshery's server (or its Go engine) reads as this package's design. */
export function readsMesheryResponse(response: MesheryResponse): Design {
  return response.design;
}

// @ts-expect-error a number is not a design: proves this file really is type-checked.
export const notADesign: Design = 42;
