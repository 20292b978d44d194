//! The data the evaluator reads and writes. Every type wraps the JSON it was decoded from, so
//! fields the evaluator does not understand round-trip untouched; accessors give typed views of
//! the fields it does read.

mod action;
mod component;
mod convert;
mod design;
mod relationship;
mod response;
pub(crate) mod validate;

pub use action::Action;
#[cfg(any(feature = "internals", feature = "typescript"))]
pub use action::ActionOp;
pub use component::Component;
#[cfg(feature = "internals")]
pub use convert::{convert_relationship, RelationshipSchema};
pub use convert::{definitions_from_json, parse_definitions};
pub use design::Design;
pub use relationship::{paths_of, MatchSide, Relationship, SelectorItem, SelectorSet, Status};
pub use response::{EvaluationResponse, Trace, RESPONSE_SCHEMA_VERSION};
