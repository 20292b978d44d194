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

// The engine's inner modules. They are the crate's own business: public only with the
// `internals` feature, which this crate's tests, examples, benches and fuzz targets turn on (they
// check Meshery's helpers one by one) and which carries no stability promise. Without it the
// compiler sees what the front door below does not reach, so dead code cannot hide.
macro_rules! inner_modules {
    ($($(#[$attribute:meta])* $name:ident;)*) => {$(
        $(#[$attribute])*
        #[cfg(feature = "internals")]
        pub mod $name;
        $(#[$attribute])*
        #[cfg(not(feature = "internals"))]
        mod $name;
    )*};
}

inner_modules! {
    context;
    /// Meshery's in-browser engine contract v1, behind both wasm boundaries.
    #[cfg(any(all(target_arch = "wasm32", not(feature = "cabi")), feature = "internals"))]
    contract;
    engine;
    error;
    evaluator;
    ids;
    incremental;
    index;
    limits;
    matching;
    model;
    options;
    patching;
    policy;
    reading;
    /// Meshery's JSON-schema path resolution, for its relationship-schema test's counterpart.
    #[cfg(feature = "internals")]
    schema_path;
    time;
    values;
    /// The wasm-bindgen boundary (the npm package).
    #[cfg(all(target_arch = "wasm32", not(feature = "cabi")))]
    wasm;
}

/// The npm package's TypeScript declarations, generated from the Rust types (a native dev tool:
/// `scripts/generate-types.sh`).
#[cfg(feature = "typescript")]
pub mod typescript;

/// The heap of the npm package's wasm (a linear memory grown geometrically).
#[cfg(all(target_arch = "wasm32", not(feature = "cabi"), not(feature = "wee_alloc")))]
mod wasm_heap;

/// The plain C-ABI boundary for wasm hosts without wasm-bindgen (wazero, in `go/`).
#[cfg(all(target_arch = "wasm32", feature = "cabi"))]
mod cabi;

// The front door: everything a user of the crate needs.
pub use engine::{evaluate, Engine};
pub use error::{Error, ErrorCode, Result};
pub use evaluator::{edits_from_json, Delta, Diagnostic, Edit, EvaluationPath, Evaluator, Explanation, Snapshot};
pub use limits::Limits;
pub use model::{
    definitions_from_json, parse_definitions, Action, Component, Design, EvaluationResponse, Relationship, Trace,
};
pub use options::EngineOptions;

/// Evaluates design JSON against definitions JSON (an array, v1beta2 or v1alpha3) with options
/// JSON (`""` for defaults) and returns the `EvaluationResponse` JSON.
pub fn evaluate_json(design_json: &str, definitions_json: &str, options_json: &str) -> Result<String> {
    let options = EngineOptions::from_json(options_json)?;
    let design = Design::from_json(design_json, &options.limits)?;
    let definitions = model::definitions_from_json(definitions_json, &options.limits)?;
    Ok(evaluate(design, definitions, options)?.to_json())
}
