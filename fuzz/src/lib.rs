//! What the fuzz targets share: the real Kubernetes relationship definitions, read once per
//! fuzzing process from the fixtures beside the project (`../shared`, never copied into it).

#[path = "../../examples/synthetic/mod.rs"]
mod synthetic;

use relationship_evaluator::{Error, ErrorCode, Relationship};
use std::path::Path;
use std::sync::OnceLock;
use synthetic::load_definitions;

const KUBERNETES_DEFINITIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/meshery/relationships/kubernetes");

/// The Kubernetes relationship definitions, in file-name order (as the tests and the
/// command-line evaluator load them).
pub fn kubernetes_definitions() -> &'static [Relationship] {
    static DEFINITIONS: OnceLock<Vec<Relationship>> = OnceLock::new();
    DEFINITIONS.get_or_init(|| {
        let definitions = load_definitions(Path::new(KUBERNETES_DEFINITIONS))
            .unwrap_or_else(|e| panic!("cannot load {KUBERNETES_DEFINITIONS}: {e}"));
        assert!(!definitions.is_empty(), "no definitions in {KUBERNETES_DEFINITIONS}");
        definitions
    })
}

/// `INTERNAL` means an invariant of the evaluator failed (a bug reported instead of a panic), so
/// for the fuzzer it is as much a finding as a panic.
pub fn assert_not_internal<T>(result: &Result<T, Error>) {
    if let Err(error) = result {
        assert_ne!(error.code, ErrorCode::Internal, "internal error: {error}");
    }
}
