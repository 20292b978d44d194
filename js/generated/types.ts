// Generated from the Rust types by scripts/generate-types.sh (src/typescript.rs): do not edit.
// scripts/test.sh fails when this file differs from what the Rust source generates.
import type {
  Component,
  Design,
  DesignRelationship,
  EvaluatedDesign,
  JsonObject,
  RelationshipDefinition,
  RelationshipStatus,
  SelectorItem,
} from '../json-types.js';

/**
 * One edit of a design. JSON form: `{"op": "addComponent", "component": {…}}` and so on: the
 * variant names are the ops (and the TypeScript `EDIT_OPS`), its fields the edit's fields; any
 * other field is refused. Only `namespace` may be absent (= `null`).
 */
export type Edit =
  | { op: 'addComponent'; component: Component }
  | { op: 'removeComponent'; id: string }
  | { op: 'renameComponent'; id: string; displayName: string }
  | { op: 'moveComponent'; id: string; x: number; y: number }
  | { op: 'setConfiguration'; id: string; configuration: JsonObject }
  | { op: 'patchConfiguration'; id: string; patch: JsonObject }
  | { op: 'setLabels'; id: string; labels: JsonObject }
  | { op: 'setNamespace'; id: string; namespace: string | null }
  | { op: 'addRelationship'; relationship: DesignRelationship }
  | { op: 'removeRelationship'; id: string }
  | { op: 'setRelationshipStatus'; id: string; status: RelationshipStatus | (string & {}) }
  | { op: 'setLayer'; layer: string; enabled: boolean }
  | { op: 'setPreferences'; preferences: { [key: string]: unknown } };

/**
 * The changes between two revisions of the evaluator's design.
 */
export type Delta = {
  /**
   * The revision after the batch.
   */
  revision: number;
  /**
   * The design version after the batch.
   */
  version: string;
  componentsAdded: Array<Component>;
  componentsRemoved: Array<string>;
  componentsUpdated: Array<Component>;
  relationshipsAdded: Array<DesignRelationship>;
  relationshipsRemoved: Array<string>;
  /**
   * Relationships whose content changed (most often their status).
   */
  relationshipsUpdated: Array<DesignRelationship>;
  /**
   * The actions of the evaluation that followed the batch.
   */
  actions: Array<Action>;
  /**
   * What the evaluation could not finish, without failing the batch (e.g. a load that could
   * not settle). Absent from the JSON when empty.
   */
  diagnostics?: Array<Diagnostic>;
};

/**
 * The result of an evaluation. `timestamp` is present only when the caller asked for it, so
 * that the output is deterministic by default.
 */
export type EvaluationResponse = {
  schemaVersion: string;
  design: EvaluatedDesign;
  actions: Array<Action>;
  trace: Trace;
  /**
   * SHA-256 (hex) of the canonical input: design, definitions in scope and options.
   */
  evaluationHash: string;
  timestamp?: string;
};

/**
 * The explanation of one relationship.
 */
export type Explanation = {
  relationshipId: string;
  /**
   * `kind/type/subType`.
   */
  relationshipType: string;
  status: string;
  /**
   * The id of the registered definition it was declared from, when one matches and has an id
   * (Meshery's registry exports carry the all-zero id, which identifies nothing: `null` then).
   */
  definitionId: string | null;
  /**
   * The position of that definition among the registered ones (the array the evaluator was
   * created with): found whether or not definitions carry ids.
   */
  definitionIndex: number | null;
  /**
   * Component ids on the from and to sides.
   */
  from: Array<string>;
  to: Array<string>;
  comparisons: Array<Comparison>;
};

/**
 * A definition that admits `from → to`, with what is needed to declare the relationship: copy
 * `definition`, and give it the one selector set `{allow: {from: [from + id], to: [to + id]}}`.
 */
export type ConnectableDefinition = {
  /**
   * The position of the definition among the registered ones.
   */
  definitionIndex: number;
  /**
   * Its id; `null` when it has none or the all-zero id of Meshery's registry exports.
   */
  definitionId: string | null;
  kind: string;
  type: string;
  subType: string;
  /**
   * `model.name` of the definition.
   */
  model: string;
  /**
   * The selector set that admits the pair (the first one, as the engine picks it).
   */
  selectorIndex: number;
  /**
   * The allow.from and allow.to items of that set that admit the two components.
   */
  from: SelectorItem;
  to: SelectorItem;
  /**
   * The registered definition itself.
   */
  definition: RelationshipDefinition;
};

/**
 * Everything an evaluator needs to continue exactly where it was, in the expanded layout
 * (`version` is `EXPANDED_SNAPSHOT_VERSION` whichever layout it was read from).
 */
export type SnapshotJson = {
  format: 'meshery-relationship-evaluator/snapshot';
  version: number;
  revision: number;
  options: ResolvedEngineOptions;
  definitions: Array<RelationshipDefinition>;
  design: Design;
};

/**
 * Options accepted by `evaluate` (Meshery's `{returnDiffOnly, enableTrace}` and ours).
 */
export type ResolvedEngineOptions = {
  /**
   * Return only what changed as the design (Meshery's `returnDiffOnly`).
   */
  returnDiffOnly: boolean;
  /**
   * Accepted for compatibility; the trace is always built (as in Meshery).
   */
  enableTrace: boolean;
  /**
   * Passes of the orchestration loop (1–5; Meshery's re-evaluation depth is 5).
   */
  maxPasses: number;
  /**
   * At most this many `identified → approved` transitions per policy per pass (Meshery: 100).
   */
  maxApprovalsPerPolicy: number;
  /**
   * At most this many match-label groups per definition per pass (Meshery: 20).
   */
  maxMatchLabelGroups: number;
  /**
   * Add `timestamp` (RFC 3339, wall clock) to the response. Off by default for determinism.
   */
  includeTimestamp: boolean;
  /**
   * Stateful evaluator only: after a load (or new definitions), keep evaluating until nothing
   * is pending, so later edits carry only their own consequences. One-shot evaluation keeps
   * Meshery's single evaluation and ignores it. Off by default (Meshery's behaviour); the npm
   * package turns it on.
   */
  settleOnLoad: boolean;
  /**
   * The most passes settling may take before it stops with a diagnostic.
   */
  maxSettlePasses: number;
  /**
   * Stateful evaluator only: an edit of a component's namespace, labels or configuration first
   * removes every relationship naming that component, so evaluation keeps only those that
   * still hold, instead of patching the component (or its parent) back to match them. Off by
   * default (Meshery's behaviour); the npm package turns it on.
   */
  rematchOnEdit: boolean;
  /**
   * Input size limits.
   */
  limits: ResolvedLimits;
};

/**
 * Stable, machine-readable error codes. The same strings are used by the wasm boundary and the
 * TypeScript layer, so callers can branch on them.
 */
export type CoreErrorCode =
  | 'INVALID_JSON'
  | 'DUPLICATE_KEY'
  | 'INVALID_TYPE'
  | 'MISSING_FIELD'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_ID'
  | 'CYCLE'
  | 'LIMIT_EXCEEDED'
  | 'FLAPPING'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_OPTION'
  | 'INTERNAL'
  | 'POISONED'
  | 'NOT_INITIALIZED';

/**
 * The `op` names of the wire format.
 */
export type ActionOp =
  | 'add_component'
  | 'update_component'
  | 'update_component_configuration'
  | 'delete_component'
  | 'remove_component_configuration'
  | 'add_relationship'
  | 'update_relationship'
  | 'delete_relationship';

/**
 * One action. Component updates carry a path relative to the component's JSON document; an
 * update whose path starts with `configuration` is an `update_component_configuration`.
 */
export type Action =
  | { op: 'add_component'; value: { item: Component } }
  | { op: 'update_component'; value: { id: string; path: Array<string>; value: unknown } }
  | { op: 'update_component_configuration'; value: { id: string; path: Array<string>; value: unknown } }
  | { op: 'delete_component'; value: { id: string; component?: Component } }
  | { op: 'remove_component_configuration'; value: { id: string; path: Array<string> } }
  | { op: 'add_relationship'; value: { item: DesignRelationship } }
  | { op: 'update_relationship'; value: { id: string; path: string; value: unknown } }
  | { op: 'delete_relationship'; value: { id: string; relationship?: DesignRelationship } };

/**
 * One compared pair of paths.
 */
export type Comparison = {
  mutatorId: string;
  mutatorPath: Array<string>;
  mutatorValue: unknown;
  mutatedId: string;
  mutatedPath: Array<string>;
  mutatedValue: unknown;
  equal: boolean;
};

/**
 * A condition worth reporting that did not fail the batch: a `code`, a `message`, the `path`
 * (the option or field concerned, a JSON pointer) and the ids of the components involved (of the
 * relationships, for `DUPLICATE_RELATIONSHIP`).
 *
 * Codes: `FLAPPING` (settling found the design cycling), `LIMIT_EXCEEDED` (settling ran out of
 * passes or would create too many relationships), `PATCH_CONFLICT` (relationships patched one
 * field of a component with different values, so none was applied, as in Meshery),
 * `DUPLICATE_RELATIONSHIP` (live relationships of one class between the same components, which
 * Meshery keeps: see `duplicates.rs`).
 */
export type Diagnostic = {
  code: 'PATCH_CONFLICT' | 'FLAPPING' | 'LIMIT_EXCEEDED' | 'DUPLICATE_RELATIONSHIP' | (string & {});
  message: string;
  path: string;
  ids?: Array<string>;
};

/**
 * Configurable input limits. The defaults are far above real designs (Meshery's largest catalog
 * designs have a few hundred components) and far below what would exhaust a browser tab.
 */
export type ResolvedLimits = {
  /**
   * Components in one design.
   */
  maxComponents: number;
  /**
   * Relationships in one design.
   */
  maxRelationships: number;
  /**
   * Relationship definitions registered at once.
   */
  maxDefinitions: number;
  /**
   * Bytes of one JSON input text.
   */
  maxInputBytes: number;
  /**
   * Levels of objects and arrays nested in one another in a design (the design object is level
   * 1; a definition counts from level 3, where the relationships it creates sit). Never more
   * than 128, whatever this says.
   */
  maxDepth: number;
  /**
   * Bytes of any one string or object key in a design or a definition.
   */
  maxStringBytes: number;
  /**
   * Bytes (as JSON) of the values patches write in one evaluation pass. A relationship copies
   * its mutator's value into its mutated component; when the mutated path lies inside the
   * copied value, or many relationships copy one large value, each pass multiplies the design
   * (geometric growth within `maxDepth`). Real patches write names, labels and ports.
   */
  maxPatchBytes: number;
};

/**
 * What changed, by category (spec §4.3). An id appears once, in the first category it reached.
 */
export type Trace = {
  componentsAdded: Array<Component>;
  componentsRemoved: Array<Component>;
  componentsUpdated: Array<Component>;
  relationshipsAdded: Array<DesignRelationship>;
  relationshipsRemoved: Array<DesignRelationship>;
  relationshipsUpdated: Array<DesignRelationship>;
};

/** `list`, checked at compile time to name every member of `T` and nothing else. */
function every<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

/** The `op` of every edit, in the order of the Rust enum (`evaluator::Edit`): the ops the decoder accepts. */
export const EDIT_OPS = every<Edit['op']>()([
  'addComponent',
  'removeComponent',
  'renameComponent',
  'moveComponent',
  'setConfiguration',
  'patchConfiguration',
  'setLabels',
  'setNamespace',
  'addRelationship',
  'removeRelationship',
  'setRelationshipStatus',
  'setLayer',
  'setPreferences',
]);

/** The wire names of the actions (`model::ActionOp`). */
export const ACTION_OPS = every<Action['op']>()([
  'add_component',
  'update_component',
  'update_component_configuration',
  'delete_component',
  'remove_component_configuration',
  'add_relationship',
  'update_relationship',
  'delete_relationship',
]);

/** The option names the Rust side accepts (it rejects any other). */
export const ENGINE_OPTION_NAMES = every<keyof ResolvedEngineOptions>()([
  'returnDiffOnly',
  'enableTrace',
  'maxPasses',
  'maxApprovalsPerPolicy',
  'maxMatchLabelGroups',
  'includeTimestamp',
  'settleOnLoad',
  'maxSettlePasses',
  'rematchOnEdit',
  'limits',
]);

/** The limit names the Rust side accepts (it rejects any other). */
export const LIMIT_NAMES = every<keyof ResolvedLimits>()([
  'maxComponents',
  'maxRelationships',
  'maxDefinitions',
  'maxInputBytes',
  'maxDepth',
  'maxStringBytes',
  'maxPatchBytes',
]);

/** Codes of the Rust core (`error::ErrorCode`): the input or the state is at fault. */
export const CORE_ERROR_CODES = every<CoreErrorCode>()([
  'INVALID_JSON',
  'DUPLICATE_KEY',
  'INVALID_TYPE',
  'MISSING_FIELD',
  'DUPLICATE_ID',
  'UNKNOWN_ID',
  'CYCLE',
  'LIMIT_EXCEEDED',
  'FLAPPING',
  'INVALID_SNAPSHOT',
  'INVALID_OPTION',
  'INTERNAL',
  'POISONED',
  'NOT_INITIALIZED',
]);
