//! Reading edits from JSON, by hand rather than derived (see `Edit`): every decoding error is
//! `INVALID_TYPE` at the edit, naming the op list or the fields the op has.

use super::Edit;
use crate::error::{Error, ErrorCode, Result};
use serde_json::{Map, Value};

/// Reads edits JSON text, the raw nesting checked before parsing (two levels more than a design:
/// the batch array and the edit object hold preferences one level deeper than a design does; each
/// payload is then checked where it will be stored, `Edit::check_limits`, naming the place).
pub fn edits_from_json(text: &str, limits: &crate::limits::Limits) -> Result<Vec<Edit>> {
    parse_edits(crate::reading::parse_json(text, limits, crate::limits::DEEPEST_NESTING + 2)?)
}

/// Decodes a batch of edits from JSON (an array of edit objects).
pub fn parse_edits(value: Value) -> Result<Vec<Edit>> {
    let Value::Array(items) = value else {
        return Err(Error::new(ErrorCode::InvalidType, "", "edits must be a JSON array"));
    };
    items.into_iter().enumerate().map(|(i, item)| Edit::from_value(item, &format!("/{i}"))).collect()
}

/// Every op and its fields, in the order of `Edit` (the order the error messages list them in).
const OPS: [(&str, &[&str]); 13] = [
    ("addComponent", &["component"]),
    ("removeComponent", &["id"]),
    ("renameComponent", &["id", "displayName"]),
    ("moveComponent", &["id", "x", "y"]),
    ("setConfiguration", &["id", "configuration"]),
    ("patchConfiguration", &["id", "patch"]),
    ("setLabels", &["id", "labels"]),
    ("setNamespace", &["id", "namespace"]),
    ("addRelationship", &["relationship"]),
    ("removeRelationship", &["id"]),
    ("setRelationshipStatus", &["id", "status"]),
    ("setLayer", &["layer", "enabled"]),
    ("setPreferences", &["preferences"]),
];

/// The ops the decoder accepts, in the order of `Edit`: the TypeScript `EDIT_OPS`
/// (src/typescript.rs).
#[cfg(feature = "typescript")]
impl Edit {
    pub fn ops() -> impl Iterator<Item = &'static str> {
        OPS.iter().map(|(op, _)| *op)
    }
}

impl Edit {
    /// Decodes one edit object; `path` is where the edit sits in its batch (e.g. `/2`). Every
    /// decoding error is `INVALID_TYPE` at `path`: a value that is not an object, a missing or
    /// unknown `op`, a field the op does not have, a missing field or one of the wrong type.
    /// Only `namespace` may be absent (= `null`).
    pub fn from_value(value: Value, path: &str) -> Result<Edit> {
        let bad = |message: String| Error::new(ErrorCode::InvalidType, path, format!("bad edit: {message}"));
        let Value::Object(mut map) = value else {
            return Err(bad(format!("invalid type: {}, expected an edit object", unexpected(&value))));
        };
        let op = match map.shift_remove("op") {
            Some(Value::String(op)) => op,
            Some(other) => {
                return Err(bad(format!("invalid type for `op`: {}, expected a string", unexpected(&other))))
            }
            None => return Err(bad("missing field `op`".into())),
        };
        let Some(&(_, names)) = OPS.iter().find(|(name, _)| *name == op) else {
            let ops: Vec<&str> = OPS.iter().map(|(name, _)| *name).collect();
            return Err(bad(format!("unknown variant `{op}`, expected {}", one_of(&ops))));
        };
        if let Some(key) = map.keys().find(|key| !names.contains(&key.as_str())) {
            return Err(bad(format!("unknown field `{key}`, expected {}", one_of(names))));
        }
        let mut fields = Fields { map, bad: &bad };
        Ok(match op.as_str() {
            "addComponent" => Edit::AddComponent { component: fields.value("component")? },
            "removeComponent" => Edit::RemoveComponent { id: fields.string("id")? },
            "renameComponent" => {
                Edit::RenameComponent { id: fields.string("id")?, display_name: fields.string("displayName")? }
            }
            "moveComponent" => {
                Edit::MoveComponent { id: fields.string("id")?, x: fields.number("x")?, y: fields.number("y")? }
            }
            "setConfiguration" => {
                Edit::SetConfiguration { id: fields.string("id")?, configuration: fields.value("configuration")? }
            }
            "patchConfiguration" => {
                Edit::PatchConfiguration { id: fields.string("id")?, patch: fields.value("patch")? }
            }
            "setLabels" => {
                let id = fields.string("id")?;
                let labels = fields.object("labels")?;
                // Kubernetes labels map strings to strings; the matchers compare them as strings.
                if let Some((position, value)) = labels.values().enumerate().find(|(_, value)| !value.is_string()) {
                    return Err(bad(format!(
                        "invalid type for label {position} of `labels`: {}, expected a string",
                        unexpected(value)
                    )));
                }
                Edit::SetLabels { id, labels }
            }
            "setNamespace" => {
                Edit::SetNamespace { id: fields.string("id")?, namespace: fields.optional_string("namespace")? }
            }
            "addRelationship" => Edit::AddRelationship { relationship: fields.value("relationship")? },
            "removeRelationship" => Edit::RemoveRelationship { id: fields.string("id")? },
            "setRelationshipStatus" => {
                Edit::SetRelationshipStatus { id: fields.string("id")?, status: fields.string("status")? }
            }
            "setLayer" => Edit::SetLayer { layer: fields.string("layer")?, enabled: fields.boolean("enabled")? },
            // "setPreferences", the last op of `OPS`
            _ => Edit::SetPreferences { preferences: fields.value("preferences")? },
        })
    }
}

/// The fields of one edit object, taken out one by one.
struct Fields<'a> {
    map: Map<String, Value>,
    bad: &'a dyn Fn(String) -> Error,
}

impl Fields<'_> {
    fn value(&mut self, name: &str) -> Result<Value> {
        self.map.shift_remove(name).ok_or_else(|| (self.bad)(format!("missing field `{name}`")))
    }

    fn invalid(&self, name: &str, value: &Value, expected: &str) -> Error {
        (self.bad)(format!("invalid type for `{name}`: {}, expected {expected}", unexpected(value)))
    }

    fn string(&mut self, name: &str) -> Result<String> {
        match self.value(name)? {
            Value::String(s) => Ok(s),
            other => Err(self.invalid(name, &other, "a string")),
        }
    }

    /// A string, or `None` when the field is `null` or absent.
    fn optional_string(&mut self, name: &str) -> Result<Option<String>> {
        match self.map.shift_remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.invalid(name, &other, "a string or null")),
        }
    }

    fn number(&mut self, name: &str) -> Result<f64> {
        let value = self.value(name)?;
        value.as_f64().ok_or_else(|| self.invalid(name, &value, "a number"))
    }

    fn boolean(&mut self, name: &str) -> Result<bool> {
        let value = self.value(name)?;
        value.as_bool().ok_or_else(|| self.invalid(name, &value, "a boolean"))
    }

    fn object(&mut self, name: &str) -> Result<Map<String, Value>> {
        match self.value(name)? {
            Value::Object(map) => Ok(map),
            other => Err(self.invalid(name, &other, "an object")),
        }
    }
}

/// What a value is, as serde words it in its errors (`integer \`5\``, `map`, …).
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer `{n}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("number `{n}` past the range of a 64-bit float"),
        Value::String(_) => format!("string {value}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` `` (serde's own wording).
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn every_op() -> Vec<Edit> {
        let id = || "c".to_string();
        vec![
            Edit::AddComponent { component: json!({"id": "n"}) },
            Edit::RemoveComponent { id: id() },
            Edit::RenameComponent { id: id(), display_name: "x".into() },
            Edit::MoveComponent { id: id(), x: 1.5, y: -2.0 },
            Edit::SetConfiguration { id: id(), configuration: json!({"a": 1}) },
            Edit::PatchConfiguration { id: id(), patch: json!({"a": null}) },
            Edit::SetLabels { id: id(), labels: json!({"app": "web"}).as_object().cloned().unwrap_or_default() },
            Edit::SetNamespace { id: id(), namespace: Some("ns".into()) },
            Edit::SetNamespace { id: id(), namespace: None },
            Edit::AddRelationship { relationship: json!({"id": "r"}) },
            Edit::RemoveRelationship { id: id() },
            Edit::SetRelationshipStatus { id: id(), status: "deleted".into() },
            Edit::SetLayer { layer: "edge-non-binding-network".into(), enabled: true },
            Edit::SetPreferences { preferences: json!({}) },
        ]
    }

    #[test]
    fn every_op_reads_back_what_serde_writes() {
        let edits = every_op();
        let ops: Vec<&str> = OPS.iter().map(|(op, _)| *op).collect();
        for edit in &edits {
            let value = serde_json::to_value(edit).expect("serializes");
            let op = value["op"].as_str().unwrap_or_default();
            let fields: Vec<&str> =
                value.as_object().into_iter().flatten().map(|(k, _)| k.as_str()).filter(|k| *k != "op").collect();
            assert_eq!(Some(&fields.as_slice()), OPS.iter().find(|(o, _)| *o == op).map(|(_, f)| f), "{op}");
            assert_eq!(Edit::from_value(value, "/0").as_ref(), Ok(edit));
        }
        let written: Vec<String> =
            edits.iter().map(|e| serde_json::to_value(e).unwrap()["op"].as_str().unwrap().to_owned()).collect();
        let mut distinct = written.clone();
        distinct.dedup();
        assert_eq!(distinct, ops, "OPS lists the ops in the order of the enum");
    }

    fn error(value: Value) -> Error {
        match parse_edits(json!([{"op": "removeComponent", "id": "c"}, value])) {
            Err(e) => e,
            Ok(edits) => panic!("accepted: {edits:?}"),
        }
    }

    #[test]
    fn malformed_edits_are_invalid_type_at_the_edit() {
        for value in [
            json!(null),
            json!("removeComponent"),
            json!(["removeComponent", "c"]),
            json!({}),
            json!({"op": 3}),
            json!({"op": "RemoveComponent", "id": "c"}),
            json!({"op": "removeComponent", "id": "c", "force": true}),
            json!({"op": "renameComponent", "id": "c", "display_name": "x"}),
            json!({"op": "removeComponent"}),
            json!({"op": "removeComponent", "id": null}),
            json!({"op": "moveComponent", "id": "c", "x": "1", "y": 2}),
            json!({"op": "moveComponent", "id": "c", "x": 1}),
            json!({"op": "setLabels", "id": "c", "labels": []}),
            json!({"op": "setNamespace", "id": "c", "namespace": 5}),
            json!({"op": "setLayer", "layer": "x", "enabled": "yes"}),
            json!({"op": "addComponent"}),
        ] {
            let e = error(value.clone());
            assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidType, "/1"), "{value}");
            assert!(e.message.starts_with("bad edit: "), "{}", e.message);
        }
    }

    #[test]
    fn messages_name_the_op_list_and_the_fields() {
        let ops = OPS.iter().map(|(op, _)| format!("`{op}`")).collect::<Vec<_>>().join(", ");
        assert_eq!(
            error(json!({"op": "explode"})).message,
            format!("bad edit: unknown variant `explode`, expected one of {ops}")
        );
        assert_eq!(
            error(json!({"op": "removeComponent", "id": "c", "force": 1})).message,
            "bad edit: unknown field `force`, expected `id`"
        );
        assert_eq!(
            error(json!({"op": "renameComponent", "id": "c", "name": "x"})).message,
            "bad edit: unknown field `name`, expected `id` or `displayName`"
        );
        assert_eq!(
            error(json!({"op": "moveComponent", "id": "c", "x": 1, "y": 2, "z": 3})).message,
            "bad edit: unknown field `z`, expected one of `id`, `x`, `y`"
        );
        assert_eq!(error(json!({"op": "moveComponent", "id": "c", "x": 1})).message, "bad edit: missing field `y`");
        assert_eq!(
            error(json!({"op": "renameComponent", "id": "c", "displayName": 7})).message,
            "bad edit: invalid type for `displayName`: integer `7`, expected a string"
        );
    }

    #[test]
    fn namespace_may_be_absent_and_numbers_may_be_integers() {
        let edits = parse_edits(json!([
            {"op": "setNamespace", "id": "c"},
            {"op": "setNamespace", "id": "c", "namespace": null},
            {"op": "moveComponent", "y": 18446744073709551615u64, "x": -3, "id": "c"},
            {"op": "addComponent", "component": null},
        ]));
        assert_eq!(
            edits,
            Ok(vec![
                Edit::SetNamespace { id: "c".into(), namespace: None },
                Edit::SetNamespace { id: "c".into(), namespace: None },
                Edit::MoveComponent { id: "c".into(), x: -3.0, y: 18446744073709551615u64 as f64 },
                Edit::AddComponent { component: Value::Null },
            ])
        );
    }
}
