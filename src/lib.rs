//! Meshery's relationship evaluator, rebuilt: a design (components and relationships) and the
//! registry's relationship definitions go in; the relationships that hold, the actions that make
//! the design consistent, and the evaluated design come out — deterministically, with every
//! lookup answered by an index.
//!
//! ```
//! use relationship_evaluator::{evaluate_json};
//! let design = r#"{"id":"d","version":"0.0.1","components":[],"relationships":[]}"#;
//! let response = evaluate_json(design, "[]", "").unwrap();
//! assert!(response.contains("\"schemaVersion\""));
//! ```

/// The plain C-ABI boundary for wasm hosts without wasm-bindgen (wazero, in `go/`).
#[cfg(all(target_arch = "wasm32", feature = "cabi"))]
pub mod cabi;
pub mod context;
pub mod contract;
pub mod engine;
pub mod error;
pub mod evaluator;
pub mod ids;
pub mod incremental;
pub mod index;
pub mod limits;
pub mod matching;
pub mod model;
pub mod options;
pub mod patching;
pub mod policy;
pub mod reading;
pub mod schema_path;
pub mod synthetic;
pub mod time;
pub mod values;
#[cfg(all(target_arch = "wasm32", not(feature = "cabi")))]
pub mod wasm;

pub use engine::{evaluate, Engine};
pub use error::{Error, ErrorCode, Result};
pub use evaluator::{Delta, Edit, Evaluator};
pub use limits::Limits;
pub use model::{Action, Component, Design, EvaluationResponse, Relationship};
pub use options::EngineOptions;

/// Evaluates design JSON against definitions JSON (an array, v1beta2 or v1alpha3) with options
/// JSON (`""` for defaults) and returns the `EvaluationResponse` JSON.
pub fn evaluate_json(design_json: &str, definitions_json: &str, options_json: &str) -> Result<String> {
    let options = EngineOptions::from_json(options_json)?;
    let design = Design::from_json(design_json, &options.limits)?;
    let definitions = model::definitions_from_json(definitions_json, &options.limits)?;
    Ok(evaluate(design, definitions, options)?.to_json())
}
