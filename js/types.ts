/**
 * The data the evaluator reads and writes, as TypeScript types. Each mirrors a Rust type of the
 * crate (named in its comment); `tests/js/node/types-drift.test.mjs` type-checks every value the
 * wasm produces against these declarations, so the two sides cannot drift apart silently.
 *
 * Components, relationships and designs keep every field they came with (the Rust side stores
 * them as JSON), so their types name the fields the evaluator reads and allow any others.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object (a component's `configuration`, a patch, labels). */
export type JsonObject = { [key: string]: Json };

/** A path into a component's JSON document, one key or array index per segment (`values::Path`). */
export type Path = string[];

/** A component of a design (v1beta1; `model::Component`). Unknown fields round-trip. */
export interface Component {
  id: string;
  component?: { kind?: string; version?: string; schema?: string; [key: string]: unknown };
  displayName?: string;
  modelReference?: { name?: string; [key: string]: unknown } | null;
  model?: { name?: string; [key: string]: unknown } | null;
  /** The resource's own document (a Kubernetes manifest's fields, for Kubernetes components). */
  configuration?: JsonObject | null;
  [key: string]: unknown;
}

/** One side of a selector (`model::SelectorItem`): which components it admits. */
export interface SelectorItem {
  id?: string | null;
  kind?: string;
  model?: { name?: string; [key: string]: unknown } | null;
  patch?: { patchStrategy?: string; mutatorRef?: Path[]; mutatedRef?: Path[]; [key: string]: unknown } | null;
  match?: { [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** A selector set: what may relate to what (`model::SelectorSet`). Meshery emits `null` for an empty side. */
export interface SelectorSet {
  allow?: { from?: SelectorItem[] | null; to?: SelectorItem[] | null; [key: string]: unknown } | null;
  deny?: { from?: SelectorItem[] | null; to?: SelectorItem[] | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/**
 * A relationship: a declaration inside a design, or a registered definition
 * (v1beta2, or v1alpha3 bridged on read; `model::Relationship`).
 */
export interface Relationship {
  id?: string;
  schemaVersion?: string;
  kind?: string;
  type?: string;
  subType?: string;
  status?: RelationshipStatus | (string & {});
  selectors?: SelectorSet[] | null;
  model?: { name?: string; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** A relationship declared in a design always has an id. */
export type DesignRelationship = Relationship & { id: string };

/** A registered relationship definition, as the registry ships it. */
export type RelationshipDefinition = Relationship;

/** The statuses the evaluator reads and writes. */
export type RelationshipStatus = 'approved' | 'pending' | 'identified' | 'deleted';

/** A design file (v1beta1 `PatternFile`; `model::Design`). Unknown fields round-trip. */
export interface Design {
  id?: string;
  name?: string;
  version?: string;
  schemaVersion?: string;
  components?: Component[] | null;
  relationships?: DesignRelationship[] | null;
  metadata?: { resolvedAliases?: { [id: string]: unknown }; [key: string]: unknown } | null;
  preferences?: { layers?: { relationships?: { [layer: string]: boolean } }; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/**
 * How an alias component resolves to the component it stands for (`engine::aliases`), in
 * `metadata.resolvedAliases` of an evaluated design, keyed by the alias component's id. The same
 * shape as Meshery's (`@meshery/schemas` v1beta1 `PatternFile`).
 */
export interface ResolvedAlias {
  relationship_id: string;
  alias_component_id: string;
  immediate_parent_id: string;
  immediate_ref_field_path: Path;
  resolved_parent_id: string;
  resolved_ref_field_path: Path;
}

/**
 * A design as an evaluation returns it (`EvaluationResponse.design`): the design it was given,
 * every unknown field kept, plus what evaluation always writes: `version` (bumped on each pass)
 * and `metadata.resolvedAliases` (recomputed). `components` and `relationships` come back as
 * arrays (a `null` list is written as `[]`); a list the input did not have stays absent while it
 * is empty. With `returnDiffOnly` they hold only what changed.
 */
export interface EvaluatedDesign extends Design {
  version: string;
  components?: Component[];
  relationships?: DesignRelationship[];
  metadata: { resolvedAliases: { [aliasId: string]: ResolvedAlias }; [key: string]: unknown };
}

/** Input size limits (`limits::Limits`). */
export interface Limits {
  maxComponents?: number;
  maxRelationships?: number;
  maxDefinitions?: number;
  maxInputBytes?: number;
  /** Levels of objects and arrays nested in one another (the top-level object is level 1); at most 128, the parsers' own cap. */
  maxDepth?: number;
  /** Bytes of any one string or object key in a design or a definition. */
  maxStringBytes?: number;
  /** Bytes (as JSON) of the values patches write in one evaluation pass (32 MiB). */
  maxPatchBytes?: number;
}

/** Options of an evaluation (`options::EngineOptions`); every field is optional. */
export interface EngineOptions {
  /** Return only what changed as the design (Meshery's `returnDiffOnly`). */
  returnDiffOnly?: boolean;
  /** Accepted for compatibility: the trace is always built. */
  enableTrace?: boolean;
  /** Passes of the orchestration loop (1–5). */
  maxPasses?: number;
  /** At most this many `identified → approved` transitions per policy per pass. */
  maxApprovalsPerPolicy?: number;
  /** At most this many match-label groups per definition per pass. */
  maxMatchLabelGroups?: number;
  /** Add `timestamp` (wall clock) to responses; off by default for determinism. */
  includeTimestamp?: boolean;
  /**
   * Evaluators only: after `loadDesign` (and new definitions), keep evaluating until nothing is
   * pending — relationships the per-pass approval cap left `identified`, patches the pass bound
   * left for later — so every later edit carries only its own consequences. On by default in
   * this package (the Rust core's default is off, Meshery's behaviour); one-shot evaluations
   * ignore it. A design that cannot settle loads anyway, with a `diagnostics` entry in its delta.
   */
  settleOnLoad?: boolean;
  /** The most passes settling may take (default 10,100). */
  maxSettlePasses?: number;
  /**
   * Evaluators only: an edit of a component's namespace, labels or configuration first removes
   * the relationships naming it, so evaluation keeps only those that still hold. Without it, an
   * existing relationship patches the edited component (or its parent) back: Meshery's behaviour,
   * in which moving a Deployment to another namespace can rename its Namespace. On by default in
   * this package; one-shot evaluations ignore it.
   */
  rematchOnEdit?: boolean;
  limits?: Limits;
}

/** The option names the Rust side accepts (it rejects any other). */
export const ENGINE_OPTION_NAMES = [
  'returnDiffOnly', 'enableTrace', 'maxPasses', 'maxApprovalsPerPolicy', 'maxMatchLabelGroups',
  'includeTimestamp', 'settleOnLoad', 'maxSettlePasses', 'rematchOnEdit', 'limits',
] as const satisfies readonly (keyof EngineOptions)[];

/** The limit names the Rust side accepts. */
export const LIMIT_NAMES = [
  'maxComponents', 'maxRelationships', 'maxDefinitions', 'maxInputBytes', 'maxDepth', 'maxStringBytes', 'maxPatchBytes',
] as const satisfies readonly (keyof Limits)[];

/**
 * One edit of a design (`evaluator::Edit`). A batch of edits is applied as one transaction.
 */
export type Edit =
  /** Adds a component (with a unique `id`). */
  | { op: 'addComponent'; component: Component }
  /** Removes a component; relationships naming it are invalidated by the evaluation. */
  | { op: 'removeComponent'; id: string }
  /** Sets `displayName`. */
  | { op: 'renameComponent'; id: string; displayName: string }
  /** Moves a component on the canvas (`styles.position`); evaluation does not read it. */
  | { op: 'moveComponent'; id: string; x: number; y: number }
  /** Replaces `configuration`. */
  | { op: 'setConfiguration'; id: string; configuration: JsonObject }
  /** Merges an RFC 7396 merge patch into `configuration` (`null` deletes a key). */
  | { op: 'patchConfiguration'; id: string; patch: JsonObject }
  /** Replaces `configuration.metadata.labels`. */
  | { op: 'setLabels'; id: string; labels: JsonObject }
  /** Sets `configuration.metadata.namespace` (`null` removes it). */
  | { op: 'setNamespace'; id: string; namespace: string | null }
  /** Adds a relationship declaration (unique `id`). */
  | { op: 'addRelationship'; relationship: DesignRelationship }
  /** Removes a relationship. */
  | { op: 'removeRelationship'; id: string }
  /** Sets a relationship's `status`. */
  | { op: 'setRelationshipStatus'; id: string; status: RelationshipStatus | (string & {}) }
  /** Turns a relationship layer (`kind-type-subtype`) on or off in `preferences`. */
  | { op: 'setLayer'; layer: string; enabled: boolean }
  /** Replaces the design's `preferences`. */
  | { op: 'setPreferences'; preferences: { [key: string]: unknown } };

/** The `op` of every edit, in the order of the Rust enum. */
export const EDIT_OPS = [
  'addComponent', 'removeComponent', 'renameComponent', 'moveComponent', 'setConfiguration',
  'patchConfiguration', 'setLabels', 'setNamespace', 'addRelationship', 'removeRelationship',
  'setRelationshipStatus', 'setLayer', 'setPreferences',
] as const satisfies readonly Edit['op'][];

/** An action of an evaluation, in Meshery's wire format `{op, value}` (`model::Action`). */
export type Action =
  | { op: 'add_component'; value: { item: Component } }
  | { op: 'update_component'; value: { id: string; path: Path; value: unknown } }
  | { op: 'update_component_configuration'; value: { id: string; path: Path; value: unknown } }
  | { op: 'delete_component'; value: { id: string; component?: Component } }
  | { op: 'remove_component_configuration'; value: { id: string; path: Path } }
  | { op: 'add_relationship'; value: { item: DesignRelationship } }
  | { op: 'update_relationship'; value: { id: string; path: string; value: unknown } }
  | { op: 'delete_relationship'; value: { id: string; relationship?: DesignRelationship } };

/** The wire names of the actions (`model::ActionOp`). */
export const ACTION_OPS = [
  'add_component', 'update_component', 'update_component_configuration', 'delete_component',
  'remove_component_configuration', 'add_relationship', 'update_relationship', 'delete_relationship',
] as const satisfies readonly Action['op'][];

/** What changed, by category (`model::Trace`). */
export interface Trace {
  componentsAdded: Component[];
  componentsRemoved: Component[];
  componentsUpdated: Component[];
  relationshipsAdded: DesignRelationship[];
  relationshipsRemoved: DesignRelationship[];
  relationshipsUpdated: DesignRelationship[];
}

/** The result of a full evaluation (`model::EvaluationResponse`). */
export interface EvaluationResponse {
  /** Always `evaluation.meshery.io/v1beta1`. */
  schemaVersion: string;
  design: EvaluatedDesign;
  actions: Action[];
  trace: Trace;
  /** SHA-256 (hex) of the canonical input: design, definitions in scope and options. */
  evaluationHash: string;
  /** Present only with `includeTimestamp`. */
  timestamp?: string;
}

/** What one load or edit batch changed (`evaluator::Delta`). */
export interface Delta {
  /** The revision after the batch. */
  revision: number;
  /** The design version after the batch. */
  version: string;
  componentsAdded: Component[];
  componentsRemoved: string[];
  componentsUpdated: Component[];
  relationshipsAdded: DesignRelationship[];
  relationshipsRemoved: string[];
  relationshipsUpdated: DesignRelationship[];
  /** The actions of the evaluation that followed the batch. */
  actions: Action[];
  /**
   * What the evaluation reports beside its result; absent when there is nothing to say.
   * `PATCH_CONFLICT`: relationships set one field of a component to different values, so none
   * was applied (Meshery's tie rule); `FLAPPING`: settling found the design cycling;
   * `LIMIT_EXCEEDED` with path `/maxSettlePasses`: settling ran out of passes. Work left by the
   * last two rides along with later edits. `DUPLICATE_RELATIONSHIP`: live relationships of one
   * class between the same components (which Meshery keeps, e.g. one declared with an older
   * definition and one identified with the current), reported for the groups the batch formed or
   * changed (a load: every group), with the relationships' ids.
   */
  diagnostics?: Diagnostic[];
}

/** A condition reported beside a result (`evaluator::Diagnostic`): the shape of an error, not thrown. */
export interface Diagnostic {
  code: 'PATCH_CONFLICT' | 'FLAPPING' | 'LIMIT_EXCEEDED' | 'DUPLICATE_RELATIONSHIP' | (string & {});
  message: string;
  /** The option or field concerned, as a JSON pointer (may be empty). */
  path: string;
  /** The components involved, when there are any (the relationships, for `DUPLICATE_RELATIONSHIP`). */
  ids?: string[];
}

/** One compared pair of paths (`evaluator::Comparison`). */
export interface Comparison {
  mutatorId: string;
  mutatorPath: Path;
  mutatorValue: unknown;
  mutatedId: string;
  mutatedPath: Path;
  mutatedValue: unknown;
  equal: boolean;
}

/** Why a relationship holds (`evaluator::Explanation`). */
export interface Explanation {
  relationshipId: string;
  /** `kind/type/subType`. */
  relationshipType: string;
  status: string;
  /**
   * The id of the registered definition it was declared from, when one matches and has a real
   * id (`null` for the all-zero id of Meshery's registry exports).
   */
  definitionId: string | null;
  /** The position of that definition in the array the evaluator was created with (`null`: none matches). */
  definitionIndex: number | null;
  /** Component ids on the from and to sides. */
  from: string[];
  to: string[];
  comparisons: Comparison[];
}

/**
 * A definition that would relate two components (`evaluator::ConnectableDefinition`, from
 * `connectableDefinitions(fromId, toId)`). To declare the relationship, copy `definition` with
 * one selector set `{ allow: { from: [{ ...from, id: fromId }], to: [{ ...to, id: toId }] } }`.
 */
export interface ConnectableDefinition {
  /** The position of the definition in the evaluator's definitions. */
  definitionIndex: number;
  /** Its id; `null` for none or the all-zero id of Meshery's registry exports. */
  definitionId: string | null;
  kind: string;
  type: string;
  subType: string;
  /** `model.name` of the definition. */
  model: string;
  /** The selector set that admits the pair (the first one, as the engine picks it). */
  selectorIndex: number;
  /** The `allow.from` and `allow.to` items of that set that admit the two components. */
  from: SelectorItem;
  to: SelectorItem;
  /** The registered definition itself. */
  definition: RelationshipDefinition;
}

/** The JSON form of a snapshot (`evaluator::Snapshot`, from `exportJson()`). */
export interface SnapshotJson {
  format: 'meshery-relationship-evaluator/snapshot';
  version: number;
  revision: number;
  options: Required<Omit<EngineOptions, 'limits'>> & { limits: Required<Limits> };
  definitions: RelationshipDefinition[];
  design: Design;
}
