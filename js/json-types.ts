/**
 * The JSON documents the evaluator keeps open: designs, components and relationships. The Rust
 * side stores each as the JSON it was given (`model::Design`, `model::Component`,
 * `model::Relationship`), so every field it does not read round-trips untouched. Their types are
 * written by hand, here, for that reason: they name the fields the evaluator reads and allow any
 * others, which a type generated from the Rust side (a wrapped JSON value) could not say.
 * Everything else that crosses the boundary is generated from the Rust types
 * (`js/generated/types.ts`), and names these types where the Rust side holds such a document.
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
