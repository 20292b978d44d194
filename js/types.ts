/**
 * The data the evaluator reads and writes, as TypeScript types.
 *
 * Every shape that crosses the boundary is generated from the Rust types
 * (`js/generated/types.ts`, written by `scripts/generate-types.sh`; `scripts/test.sh` fails when
 * the committed file is not what the Rust source generates), and so are the lists of names below.
 * Designs, components and relationships are JSON the Rust side keeps open (unknown fields
 * round-trip): their types are written by hand in `js/json-types.ts`.
 *
 * This module gives the generated types their public names and documentation, and derives the
 * option types callers write (every field optional) from the resolved ones the Rust side reads.
 */
import type * as Generated from './generated/types.js';

export type {
  Component,
  Design,
  DesignRelationship,
  EvaluatedDesign,
  Json,
  JsonObject,
  Path,
  Relationship,
  RelationshipDefinition,
  RelationshipStatus,
  ResolvedAlias,
  SelectorItem,
  SelectorSet,
} from './json-types.js';
export type { ActionOp, Comparison, ResolvedEngineOptions, ResolvedLimits } from './generated/types.js';
export { ACTION_OPS, EDIT_OPS, ENGINE_OPTION_NAMES, LIMIT_NAMES } from './generated/types.js';

/** Input size limits (`limits::Limits`); every field is optional (an absent one keeps its default). */
export type Limits = Partial<Generated.ResolvedLimits>;

/**
 * Options of an evaluation (`options::EngineOptions`); every field is optional (an absent one
 * keeps its default). This package turns `settleOnLoad` and `rematchOnEdit` on by default; the
 * Rust core's defaults are Meshery's behaviour.
 */
export type EngineOptions = Partial<Omit<Generated.ResolvedEngineOptions, 'limits'>> & { limits?: Limits };

/**
 * One edit of a design (`evaluator::Edit`), `{ op, ...fields }`. A batch of edits is applied as
 * one transaction. The ops: `addComponent` (a unique `id`), `removeComponent` (relationships
 * naming it are invalidated by the evaluation), `renameComponent` (`displayName`),
 * `moveComponent` (`styles.position`; evaluation does not read it), `setConfiguration`,
 * `patchConfiguration` (an RFC 7396 merge patch: `null` deletes a key), `setLabels`
 * (`configuration.metadata.labels`), `setNamespace` (`null` removes it), `addRelationship` (a
 * unique `id`), `removeRelationship`, `setRelationshipStatus`, `setLayer` (a relationship layer
 * `kind-type-subtype` on or off in `preferences`), `setPreferences`.
 */
export type Edit = Generated.Edit;

/** An action of an evaluation, in Meshery's wire format `{op, value}` (`model::Action`). */
export type Action = Generated.Action;

/** What changed, by category (`model::Trace`). */
export type Trace = Generated.Trace;

/** The result of a full evaluation (`model::EvaluationResponse`). */
export type EvaluationResponse = Generated.EvaluationResponse;

/** What one load or edit batch changed (`evaluator::Delta`). */
export type Delta = Generated.Delta;

/**
 * A condition reported beside a result (`evaluator::Diagnostic`): the shape of an error, not
 * thrown. `PATCH_CONFLICT`: relationships set one field of a component to different values, so
 * none was applied (Meshery's tie rule); `FLAPPING`: settling found the design cycling;
 * `LIMIT_EXCEEDED` with path `/maxSettlePasses`: settling ran out of passes. Work left by the
 * last two rides along with later edits. `DUPLICATE_RELATIONSHIP`: live relationships of one
 * class between the same components (which Meshery keeps, e.g. one declared with an older
 * definition and one identified with the current), reported for the groups the batch formed or
 * changed (a load: every group), with the relationships' ids.
 */
export type Diagnostic = Generated.Diagnostic;

/** Why a relationship holds (`evaluator::Explanation`). */
export type Explanation = Generated.Explanation;

/**
 * A definition that would relate two components (`evaluator::ConnectableDefinition`, from
 * `connectableDefinitions(fromId, toId)`). To declare the relationship, copy `definition` with
 * one selector set `{ allow: { from: [{ ...from, id: fromId }], to: [{ ...to, id: toId }] } }`.
 */
export type ConnectableDefinition = Generated.ConnectableDefinition;

/** The JSON form of a snapshot (`evaluator::Snapshot`, from `exportJson()`). */
export type SnapshotJson = Generated.SnapshotJson;
