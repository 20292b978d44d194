//! Meshery's in-browser relationship-engine contract v1 (meshery/schemas
//! `docs/relationship-evaluation-engine-contract.md`): synchronous string-in/string-out calls,
//! errors returned as `{"error": …}` and never thrown. The wasm layer exposes this object as
//! `globalThis.__mesheryRelationshipEngine` when asked to.

use crate::engine::Engine;
use crate::error::{Error, ErrorCode};
use crate::model::{definitions_from_json, Design};
use crate::options::EngineOptions;
use serde::Deserialize;
use serde_json::{json, Value};

/// The contract number this engine implements.
pub const CONTRACT: u32 = 1;

/// The request options the contract defines (others are ignored, as Meshery's engine does).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ContractOptions {
    enable_trace: bool,
    return_diff_only: bool,
}

/// The state behind the contract: the engine built by the last `init`.
#[derive(Default)]
pub struct ContractEngine {
    engine: Option<Engine>,
}

pub(crate) fn error_json(prefix: &str, error: &Error) -> String {
    json!({
        "error": format!("{prefix}{error}"),
        "code": error.code.as_str(),
        "path": error.path,
    })
    .to_string()
}

impl ContractEngine {
    /// `init(relationshipsJSON)`: replaces the engine and its definitions; returns `"{}"`.
    pub fn init(&mut self, relationships_json: &str) -> String {
        let options = EngineOptions::default();
        let parsed = definitions_from_json(relationships_json, &options.limits);
        match parsed {
            Ok(definitions) => {
                self.engine = Some(Engine::new(definitions, options));
                "{}".into()
            }
            Err(error) => error_json("failed to decode relationships: ", &error),
        }
    }

    /// `evaluate(designJSON, optionsJSON)`: the full orchestrated evaluation; `timestamp` is the
    /// caller's clock reading (the contract's responses carry one).
    pub fn evaluate(&mut self, design_json: &str, options_json: &str, timestamp: Option<String>) -> String {
        let Some(engine) = self.engine.as_mut() else {
            return json!({ "error": "engine not initialized", "code": ErrorCode::NotInitialized.as_str(), "path": "" }).to_string();
        };
        let options: ContractOptions = if options_json.trim().is_empty() {
            ContractOptions::default()
        } else {
            // As Go's json.Unmarshal into a struct: `null` leaves the defaults, a non-object is an
            // error (serde alone would read `[]` as a struct of defaults).
            match crate::reading::parse_json_within(options_json, crate::limits::DEEPEST_NESTING) {
                Ok(Value::Null) => ContractOptions::default(),
                // Decoded from the text again rather than from the `Value`: one decoder copy.
                Ok(Value::Object(_)) => match serde_json::from_str(options_json) {
                    Ok(options) => options,
                    Err(e) => return error_json("invalid options: ", &crate::error::json_error(e)),
                },
                Ok(_) => {
                    let error = Error::new(crate::error::ErrorCode::InvalidOption, "", "expected a JSON object");
                    return error_json("invalid options: ", &error);
                }
                Err(e) => return error_json("invalid options: ", &e),
            }
        };
        // Flap detection looks at the passes of this call only (docs/deviations.md row 41): in
        // Meshery's WASM build the history spans calls, so an editor evaluating two states of one
        // design alternately (undo, redo) gets FLAPPING from its fourth call.
        *engine.flap_history_mut() = crate::engine::FlapHistory::default();
        let mut engine_options = engine.options().clone();
        engine_options.enable_trace = options.enable_trace;
        engine_options.return_diff_only = options.return_diff_only;
        engine.set_options(engine_options);
        let design = match Design::from_json(design_json, &engine.options().limits) {
            Ok(design) => design,
            Err(error) => return error_json("invalid design: ", &error),
        };
        match engine.evaluate(design) {
            Ok(mut response) => {
                response.timestamp = timestamp;
                response.to_json()
            }
            Err(error) => error_json("evaluation failed: ", &error),
        }
    }

    /// `selfTest()`: one hierarchical/inventory definition with empty selectors and a Namespace +
    /// Pod design must evaluate. Unlike Meshery's, it runs on a separate engine, so the state
    /// set by `init` survives.
    pub fn self_test(&self) -> String {
        let mut probe = ContractEngine::default();
        let definitions = json!([{
            "id": "00000000-0000-0000-0000-000000000001",
            "schemaVersion": "relationships.meshery.io/v1beta2",
            "kind": "hierarchical", "type": "parent", "subType": "inventory",
            "model": {"name": "kubernetes"}, "selectors": []
        }]);
        let design = json!({
            "id": "00000000-0000-0000-0000-000000000002", "name": "self-test", "version": "0.0.1",
            "components": [
                {"id": "00000000-0000-0000-0000-000000000003", "component": {"kind": "Namespace"},
                 "displayName": "default", "modelReference": {"name": "kubernetes"}, "configuration": {}},
                {"id": "00000000-0000-0000-0000-000000000004", "component": {"kind": "Pod"},
                 "displayName": "pod", "modelReference": {"name": "kubernetes"},
                 "configuration": {"metadata": {"namespace": "default"}}}
            ],
            "relationships": []
        });
        let init = probe.init(&definitions.to_string());
        if init != "{}" {
            return init;
        }
        let result = probe.evaluate(&design.to_string(), r#"{"enableTrace":true}"#, None);
        let ok = serde_json::from_str::<Value>(&result).ok().is_some_and(|v| {
            v.get("error").is_none()
                && v.pointer("/design/components").and_then(Value::as_array).is_some_and(|c| c.len() == 2)
        });
        if ok {
            json!({ "ok": true, "version": env!("CARGO_PKG_VERSION"), "contract": CONTRACT }).to_string()
        } else {
            json!({ "error": format!("self test failed: {result}") }).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluate_before_init_is_a_documented_error() {
        let mut contract = ContractEngine::default();
        let answer: Value = serde_json::from_str(&contract.evaluate("{}", "", None)).unwrap();
        assert_eq!(answer["error"], "engine not initialized");
    }

    #[test]
    fn self_test_passes_and_keeps_the_initialised_state() {
        let mut contract = ContractEngine::default();
        assert_eq!(contract.init("[]"), "{}");
        let answer: Value = serde_json::from_str(&contract.self_test()).unwrap();
        assert_eq!(answer["ok"], true);
        assert_eq!(answer["contract"], 1);
        let evaluated: Value =
            serde_json::from_str(&contract.evaluate(r#"{"id":"x","components":[]}"#, "", None)).unwrap();
        assert!(evaluated.get("error").is_none());
    }

    #[test]
    fn the_flap_history_does_not_span_calls() {
        let mut contract = ContractEngine::default();
        assert_eq!(contract.init("[]"), "{}");
        let id = "6f1c3a52-3d6e-4b8e-9a2c-0000000000d7";
        let no_actions = crate::engine::actions_fingerprint(&[]);
        // What alternating calls would have left behind: other, none, other. A fourth entry of
        // "none" completes A,B,A,B; within one call it cannot.
        let engine = contract.engine.as_mut().unwrap();
        engine.flap_history_mut().preset(id, vec!["other".into(), no_actions, "other".into()]);
        let answer: Value = serde_json::from_str(&contract.evaluate(&format!(r#"{{"id":"{id}"}}"#), "", None)).unwrap();
        assert!(answer.get("error").is_none(), "{answer}");
    }

    #[test]
    fn non_object_options_are_an_error_answer() {
        let mut contract = ContractEngine::default();
        assert_eq!(contract.init("[]"), "{}");
        let answer: Value = serde_json::from_str(&contract.evaluate("{}", "[]", None)).unwrap();
        assert!(answer.get("error").is_some(), "{answer}");
    }

    #[test]
    fn bad_definitions_come_back_as_an_error_object() {
        let mut contract = ContractEngine::default();
        let answer: Value = serde_json::from_str(&contract.init(r#"[{"kind": 3}]"#)).unwrap();
        assert!(answer["error"].as_str().unwrap().starts_with("failed to decode relationships"));
        assert_eq!(answer["path"], "/0/kind");
    }
}
