//! "Why does this relationship hold?": the definition it comes from, its endpoints, and the
//! values each mutator/mutated path pair compares.

use crate::context::Context;
use crate::error::{Error, ErrorCode, Result};
use crate::index::DesignIndex;
use crate::model::{Design, Relationship, SelectorItem};
use crate::options::EngineOptions;
use crate::policy::pairs::Direction;
use crate::values::{json_equal, Path};
use serde::Serialize;
use serde_json::Value;

/// One compared pair of paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub mutator_id: String,
    pub mutator_path: Path,
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub mutator_value: Value,
    pub mutated_id: String,
    pub mutated_path: Path,
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub mutated_value: Value,
    pub equal: bool,
}

/// The explanation of one relationship.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub relationship_id: String,
    /// `kind/type/subType`.
    pub relationship_type: String,
    pub status: String,
    /// The id of the registered definition it was declared from, when one matches and has an id
    /// (Meshery's registry exports carry the all-zero id, which identifies nothing: `null` then).
    pub definition_id: Option<String>,
    /// The position of that definition among the registered ones (the array the evaluator was
    /// created with): found whether or not definitions carry ids.
    pub definition_index: Option<usize>,
    /// Component ids on the from and to sides.
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub comparisons: Vec<Comparison>,
}

/// A definition declares a relationship when kind, type, subType and model match and every
/// item kind of the declaration's first selector appears among the definition's items.
fn declaring_definition(relationship: &Relationship, definitions: &[Relationship]) -> Option<usize> {
    let set = relationship.first_selector()?;
    definitions.iter().position(|d| {
        d.is(relationship.kind(), relationship.rel_type(), Some(relationship.sub_type()))
            && d.model_name() == relationship.model_name()
            && set.allow_from().iter().all(|i| {
                d.selectors().any(|s| s.allow_from().iter().any(|j| SelectorItem(j).kind() == SelectorItem(i).kind()))
            })
            && set.allow_to().iter().all(|i| {
                d.selectors().any(|s| s.allow_to().iter().any(|j| SelectorItem(j).kind() == SelectorItem(i).kind()))
            })
    })
}

/// Explains the relationship with this id in `design` (indexed by `index`).
pub fn explain(
    design: &Design,
    index: &DesignIndex,
    definitions: &[Relationship],
    relationship_id: &str,
) -> Result<Explanation> {
    let relationship = design
        .relationships
        .iter()
        .find(|r| r.id() == relationship_id)
        .ok_or_else(|| Error::new(ErrorCode::UnknownId, "", format!("no relationship has id {relationship_id}")))?;
    let options = EngineOptions::default();
    let context = Context::new(design, index, &options);
    let definition_index = declaring_definition(relationship, definitions);
    let mut explanation = Explanation {
        relationship_id: relationship_id.to_owned(),
        relationship_type: format!("{}/{}/{}", relationship.kind(), relationship.rel_type(), relationship.sub_type()),
        status: relationship.status().to_owned(),
        definition_id: definition_index
            .map(|i| definitions[i].id())
            .filter(|id| !id.is_empty() && *id != crate::ids::ZERO_UUID)
            .map(str::to_owned),
        definition_index,
        from: Vec::new(),
        to: Vec::new(),
        comparisons: Vec::new(),
    };
    for set in relationship.selectors() {
        explanation.from.extend(set.allow_from().iter().filter_map(|i| SelectorItem(i).id()).map(str::to_owned));
        explanation.to.extend(set.allow_to().iter().filter_map(|i| SelectorItem(i).id()).map(str::to_owned));
        for (from, to) in set.allow_from().iter().zip(set.allow_to()) {
            let (from, to) = (SelectorItem(from), SelectorItem(to));
            let (Some(from_component), Some(to_component)) =
                (from.id().and_then(|id| context.component(id)), to.id().and_then(|id| context.component(id)))
            else {
                continue;
            };
            let Some(direction) = Direction::of(from, to) else { continue };
            let (mutator, mutated) =
                if direction.mutator_is_from { (from_component, to_component) } else { (to_component, from_component) };
            for i in 0..direction.len() {
                let (mutator_path, mutator_value) = context.resolved_value_at(&direction.mutator_refs[i], mutator);
                let (mutated_path, mutated_value) = context.resolved_value_at(&direction.mutated_refs[i], mutated);
                let (a, b) =
                    (mutator_value.cloned().unwrap_or(Value::Null), mutated_value.cloned().unwrap_or(Value::Null));
                explanation.comparisons.push(Comparison {
                    mutator_id: mutator.id().to_owned(),
                    mutator_path,
                    mutated_id: mutated.id().to_owned(),
                    mutated_path,
                    equal: json_equal(&a, &b),
                    mutator_value: a,
                    mutated_value: b,
                });
            }
        }
    }
    explanation.from.dedup();
    explanation.to.dedup();
    Ok(explanation)
}
