// Type-level test, both ways, between this package's types and Meshery's published schema types
// (@meshery/schemas 1.3.7, a root devDependency). Checked by `tsc -p tsconfig.test.json` in
// scripts/test.sh, and by tests/js/node/schemas-types.test.mjs, which also compiles it without
// skipLibCheck and with exactOptionalPropertyTypes, and checks that each `@ts-expect-error` below
// fails for the field named in its brackets and for nothing else.
//
// 1. Meshery → this package: values typed with @meshery/schemas are accepted as they are (no
//    casts): v1beta1 and v1beta2 designs, evaluation requests, v1alpha3/v1beta1/v1beta2 relationship
//    definitions, a design's components and relationships in edits.
// 2. This package → Meshery: what the engine returns is assignable where it honestly can be (the
//    response's header, the evaluated design's `version` and `metadata.resolvedAliases`, the action
//    ops and the per-op types of adding and deleting). Where it cannot, the mismatch is asserted
//    below with `@ts-expect-error [field]` and explained (js/README.md, "Types and @meshery/schemas"):
//    the engine returns the design it was given, so a field Meshery's type requires but the input
//    did not carry stays absent; and some of Meshery's generated types describe no value at all.
import type { components as PatternV1beta1 } from '@meshery/schemas/constructs/v1beta1/pattern/Pattern';
import type { components as DesignV1beta2 } from '@meshery/schemas/constructs/v1beta2/design/Design';
import type { components as Evaluation } from '@meshery/schemas/constructs/v1beta1/evaluation/Evaluation';
import type { components as RelationshipV1alpha3 } from '@meshery/schemas/constructs/v1alpha3/relationship/Relationship';
import type { components as RelationshipV1beta1 } from '@meshery/schemas/constructs/v1beta1/relationship/Relationship';
import type { components as RelationshipV1beta2 } from '@meshery/schemas/constructs/v1beta2/relationship/Relationship';
import type {
  Action, Component, Design, DesignRelationship, Edit, EvaluatedDesign, EvaluationResponse, RelationshipDefinition,
  RelationshipStatus, SelectorItem, SelectorSet,
} from '../../../js/types';
import type { RelationshipEvaluator } from '../../../js/evaluator';

type MesheryDesign = PatternV1beta1['schemas']['PatternFile'];
type MesheryDesignV1beta2 = DesignV1beta2['schemas']['PatternFile'];
type MesheryComponent = MesheryDesign['components'][number];
type MesheryRelationship = NonNullable<MesheryDesign['relationships']>[number];
type MesheryRequest = Evaluation['schemas']['EvaluationRequest'];
type MesheryResponse = Evaluation['schemas']['EvaluationResponse'];
type MesheryOps = Evaluation['schemas'];
type DefinitionV1alpha3 = RelationshipV1alpha3['schemas']['RelationshipDefinition'];
type DefinitionV1beta1 = RelationshipV1beta1['schemas']['RelationshipDefinition'];
type DefinitionV1beta2 = RelationshipV1beta2['schemas']['RelationshipDefinition'];
type MesherySelectorItem = RelationshipV1beta2['schemas']['SelectorItem'];
type MesherySelectorSet = RelationshipV1beta2['schemas']['SelectorSetItem'];
type ActionOf<Op extends Action['op']> = Extract<Action, { op: Op }>;

// ---- 1. Meshery → this package: holds --------------------------------------------------------

export function acceptsMesheryDesign(design: MesheryDesign): Design {
  return design;
}

export function acceptsMesheryDesignV1beta2(design: MesheryDesignV1beta2): Design {
  return design;
}

export async function loadsMesheryDesign(evaluator: RelationshipEvaluator, design: MesheryDesign): Promise<unknown> {
  return evaluator.loadDesign(design);
}

export async function evaluatesMesheryRequest(evaluator: RelationshipEvaluator, request: MesheryRequest): Promise<EvaluationResponse> {
  return evaluator.evaluateDesign(request.design);
}

export function acceptsMesheryDefinitions(
  v1alpha3: DefinitionV1alpha3[], v1beta1: DefinitionV1beta1[], v1beta2: DefinitionV1beta2[],
): readonly RelationshipDefinition[] {
  return [...v1alpha3, ...v1beta1, ...v1beta2];
}

/** A design's own components and relationships, and a v1beta2 definition with its id, as edits. */
export function editsFromMeshery(component: MesheryComponent, relationship: MesheryRelationship, declared: DefinitionV1beta2): Edit[] {
  return [
    { op: 'addComponent', component },
    { op: 'addRelationship', relationship },
    { op: 'addRelationship', relationship: declared },
    { op: 'setRelationshipStatus', id: relationship.id, status: relationship.status ?? 'approved' },
  ];
}

/** A response from Meshery's server (or its Go engine) reads as this package's design. */
export function readsMesheryResponse(response: MesheryResponse): Design {
  return response.design;
}

// ---- 2. This package → Meshery: holds --------------------------------------------------------

export function responseHeaderIsMesherys(response: EvaluationResponse): Pick<MesheryResponse, 'schemaVersion' | 'evaluationHash' | 'timestamp'> {
  return response;
}

/** Evaluation always writes `version` and `metadata.resolvedAliases`, in Meshery's shapes. */
export function evaluatedDesignWritesMesherysFields(design: EvaluatedDesign): Pick<MesheryResponse['design'], 'version' | 'metadata'> {
  return design;
}

export function actionOpsAreMesherys(op: Exclude<Action['op'], 'remove_component_configuration'>): MesheryResponse['actions'][number]['op'] {
  return op;
}

export function addAndDeleteActionsAreMesherys(
  addComponent: ActionOf<'add_component'>, addRelationship: ActionOf<'add_relationship'>,
  deleteComponent: ActionOf<'delete_component'>, deleteRelationship: ActionOf<'delete_relationship'>,
): [MesheryOps['AddComponentOp'], MesheryOps['AddRelationshipOp'], MesheryOps['DeleteComponentOp'], MesheryOps['DeleteRelationshipOp']] {
  return [addComponent, addRelationship, deleteComponent, deleteRelationship];
}

// ---- 2. This package → Meshery: does not hold (asserted, one field each) ----------------------

// The engine returns the design it was given: Meshery requires `id`, `name`, `schemaVersion` and
// `components` on a design; the engine accepts (and so returns) a design without them.
// @ts-expect-error [design.id] the whole response: the first required design field the input may lack.
export const wholeResponse = (response: EvaluationResponse): MesheryResponse => response;
// @ts-expect-error ['id'] the evaluated design as a PatternFile, for the same reason.
export const wholeDesign = (design: EvaluatedDesign): MesheryDesign => design;
// @ts-expect-error ['name'] optional for the engine, required by Meshery.
export const designName = (design: Pick<EvaluatedDesign, 'name'>): Pick<MesheryDesign, 'name'> => design;
// @ts-expect-error ['schemaVersion'] optional for the engine, required by Meshery.
export const designSchemaVersion = (design: Pick<EvaluatedDesign, 'schemaVersion'>): Pick<MesheryDesign, 'schemaVersion'> => design;
// @ts-expect-error ['components'] absent when the input had none (and nothing was added).
export const designComponents = (design: Pick<EvaluatedDesign, 'components'>): Pick<MesheryDesign, 'components'> => design;
// @ts-expect-error [schemaVersion, version, description, format] a component needs only an id; those the engine adds (inventory parents, alias components) have kind and model, not Meshery's full definition.
export const component = (component: Component): MesheryComponent => component;
// @ts-expect-error ['version'] a relationship needs only an id (and those the engine declares copy their definition's fields, whatever they are).
export const relationship = (relationship: DesignRelationship): MesheryRelationship => relationship;
// @ts-expect-error ['schemaVersion'] optional for the engine, required by Meshery.
export const relationshipSchemaVersion = (relationship: Pick<DesignRelationship, 'schemaVersion'>): Pick<MesheryRelationship, 'schemaVersion'> => relationship;
// @ts-expect-error ['version'] the same for a definition, in each schema version.
export const definitionV1beta2 = (definition: RelationshipDefinition): DefinitionV1beta2 => definition;
// @ts-expect-error ['version']
export const definitionV1beta1 = (definition: RelationshipDefinition): DefinitionV1beta1 => definition;
// @ts-expect-error ['version']
export const definitionV1alpha3 = (definition: RelationshipDefinition): DefinitionV1alpha3 => definition;
// @ts-expect-error ['kind'] the engine reads any kind string (and evaluates only those it knows).
export const relationshipKind = (relationship: Pick<DesignRelationship, 'kind'>): Pick<MesheryRelationship, 'kind'> => relationship;
// @ts-expect-error ["identified"] a status the engine (like Meshery's Go engine) writes, missing from Meshery's enum.
export const relationshipStatus = (status: RelationshipStatus): NonNullable<DefinitionV1beta2['status']> => status;
// @ts-expect-error ['id'] a selector item's id may be null, as in Meshery's own definitions and designs.
export const selectorItem = (item: SelectorItem): MesherySelectorItem => item;
// @ts-expect-error ['from'] a selector side may be null (`deny: {from: null, to: null}`), as Meshery emits it.
export const selectorSide = (side: NonNullable<SelectorSet['deny']>): MesherySelectorSet['deny'] => side;
// @ts-expect-error [never] Meshery's generated type says an action's value is `Record<string, never>`: no action fits it.
export const actions = (actions: Action[]): MesheryResponse['actions'] => actions;
// @ts-expect-error ["remove_component_configuration"] an op missing from Meshery's enum.
export const actionOp = (op: Action['op']): MesheryResponse['actions'][number]['op'] => op;
// @ts-expect-error ['value.path'] a JSON pointer string, as Meshery's Go engine writes it (`/status`), not Meshery's `string[]`.
export const updateRelationship = (action: ActionOf<'update_relationship'>): MesheryOps['UpdateRelationshipOp'] => action;
// @ts-expect-error ['mode'] Meshery's type requires `mode`, which neither engine writes.
export const updateComponent = (action: ActionOf<'update_component'>): MesheryOps['UpdateComponentOp'] => action;
// @ts-expect-error ['layers'] Meshery's type says `layers: Record<string, never>`; the engine reads and writes `layers.relationships`.
export const preferences = (preferences: NonNullable<EvaluatedDesign['preferences']>): NonNullable<MesheryDesign['preferences']> => preferences;
// @ts-expect-error ['trace'] and the other way: Meshery's response type has no `trace`, which this package always returns.
export const mesheryResponse = (response: MesheryResponse): EvaluationResponse => response;

// @ts-expect-error [number] a number is not a design: proves this file really is type-checked.
export const notADesign: Design = 42;
