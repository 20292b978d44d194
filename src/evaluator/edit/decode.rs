//! Reading edits from JSON through serde's derived `Deserialize` of `Shape` (the ops of `Edit`,
//! externally tagged): every decoding error is `INVALID_TYPE` at the edit, in serde's words (the op
//! list, the fields an op has, the value of the wrong type).

use super::{Edit, Shape};
use crate::error::{Error, ErrorCode, Result};
use serde::de::value::EnumAccessDeserializer;
use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, EnumAccess, Error as _, IgnoredAny, MapAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

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
    items.into_iter().enumerate().map(|(i, item)| decode(item, i)).collect()
}

/// Decodes edit number `index`: its `op` checked and put first, then the object read by serde
/// from its JSON text, the op naming the variant and the rest its fields (`OpFirst`; read from a
/// `Value`, a number of the wrong type would only be worded `number`, not ``integer `7` ``). Serde's copy of a JSON payload
/// respells its numbers (`1E5` as `1e+5`), so the payload kept (`Edit::payload_mut`) is the one
/// read, moved from the input as written (issue 15 #2).
fn decode(item: Value, index: usize) -> Result<Edit> {
    let invalid = |message: &dyn std::fmt::Display| {
        Error::new(ErrorCode::InvalidType, format!("/{index}"), format!("bad edit: {message}"))
    };
    let Value::Object(mut fields) = item else {
        return Err(invalid(&format_args!("invalid type: {}, expected an edit object", unexpected(&item))));
    };
    let op = match fields.shift_remove("op") {
        Some(Value::String(op)) => op,
        Some(other) => {
            return Err(invalid(&format_args!("invalid type for `op`: {}, expected a string", unexpected(&other))))
        }
        None => return Err(invalid(&"missing field `op`")),
    };
    let mut edit_object = Value::Object(std::iter::once(("op".to_owned(), Value::String(op))).chain(fields).collect());
    let text = edit_object.to_string();
    let mut reader = serde_json::Deserializer::from_str(&text);
    // The nesting was checked where the batch was read (`reading`, `Limits`).
    reader.disable_recursion_limit();
    let mut edit = Edit::from(reader.deserialize_map(Tagged).map_err(|e| {
        // A position in the text written here would mean nothing to the caller: the path says
        // which edit it is.
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        invalid(&message.strip_suffix(&position).unwrap_or(&message))
    })?);
    if let Some((field, payload)) = edit.payload_mut() {
        *payload = edit_object.as_object_mut().and_then(|fields| fields.shift_remove(field)).unwrap_or_default();
    }
    Ok(edit)
}

/// Reads an edit object whose first entry is its `op` as a `Shape`.
struct Tagged;

impl<'de> Visitor<'de> for Tagged {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an edit object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Shape, A::Error> {
        Shape::deserialize(EnumAccessDeserializer::new(OpFirst(map)))
    }
}

/// An edit object as serde's access to an externally tagged enum: the value of its first entry
/// (`op`) names the variant, and the entries after it are that variant's fields, read from the
/// same map. Each op's fields are then read by its own derived visitor and nothing else: through
/// `{op: {fields}}`, serde_json would also open the inner map once per op.
struct OpFirst<A>(A);

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for OpFirst<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(mut self, seed: V) -> std::result::Result<(V::Value, Self), A::Error> {
        self.0.next_key::<IgnoredAny>()?;
        let variant = self.0.next_value_seed(seed)?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for OpFirst<A> {
    type Error = A::Error;

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    // Every op has named fields (`edits!`): serde never asks for the other forms.
    fn unit_variant(self) -> std::result::Result<(), A::Error> {
        Err(A::Error::invalid_type(Unexpected::Map, &"an op without fields"))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> std::result::Result<T::Value, A::Error> {
        Err(A::Error::invalid_type(Unexpected::Map, &"an op with one value"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> std::result::Result<V::Value, A::Error> {
        Err(A::Error::invalid_type(Unexpected::Map, &"an op with a list"))
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

/// `moveComponent`'s coordinates: any JSON number within a 64-bit float's range, however it is
/// written (`1.50`, `1e5`, integers past 64 bits), as `Value::as_f64` reads it.
pub(super) fn finite_number<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<f64, D::Error> {
    let number = Number::deserialize(deserializer)?;
    // Not named: serde_json's reader respells it (`1e400` as `1e+400`).
    let past = Unexpected::Other("a number past the range of a 64-bit float");
    number.as_f64().ok_or_else(|| D::Error::invalid_value(past, &"a number"))
}

/// `setLabels`' labels: Kubernetes labels map strings to strings, and the matchers compare them as
/// strings, so every value must be one.
pub(super) fn string_labels<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Map<String, Value>, D::Error> {
    let labels = Map::deserialize(deserializer)?;
    match labels.iter().find(|(_, value)| !value.is_string()) {
        Some((key, value)) => {
            Err(D::Error::invalid_type(Unexpected::Other(&format!("{value} for label `{key}`")), &"a string"))
        }
        None => Ok(labels),
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
        let written = serde_json::to_value(&edits).expect("serializes");
        assert_eq!(parse_edits(written), Ok(edits));
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
            json!({"op": "setLabels", "id": "c", "labels": {"app": 5}}),
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
        let mut ops: Vec<String> = every_op()
            .iter()
            .map(|e| format!("`{}`", serde_json::to_value(e).unwrap()["op"].as_str().unwrap()))
            .collect();
        ops.dedup();
        let ops = ops.join(", ");
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
            "bad edit: invalid type: integer `7`, expected a string"
        );
        assert_eq!(
            error(json!({"op": "setLabels", "id": "c", "labels": {"app": "web", "tier": 5}})).message,
            "bad edit: invalid type: 5 for label `tier`, expected a string"
        );
        let past = crate::reading::parse_json_within(r#"{"op": "moveComponent", "id": "c", "x": 1e400, "y": 0}"#, 4);
        assert_eq!(
            error(past.expect("JSON")).message,
            "bad edit: invalid value: a number past the range of a 64-bit float, expected a number"
        );
    }

    #[test]
    fn the_edit_object_and_its_op_are_checked_before_the_fields() {
        assert_eq!(error(json!(null)).message, "bad edit: invalid type: null, expected an edit object");
        assert_eq!(
            error(json!(["removeComponent", "c"])).message,
            "bad edit: invalid type: sequence, expected an edit object"
        );
        assert_eq!(error(json!({"id": "c"})).message, "bad edit: missing field `op`");
        assert_eq!(
            error(json!({"op": 3, "id": "c"})).message,
            "bad edit: invalid type for `op`: integer `3`, expected a string"
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

    /// Every op's JSON payload is the one read from the input, its numbers as written (read
    /// through JSON text, `1E5` would come back as `1e+5`).
    #[test]
    fn every_payload_keeps_its_numbers_as_written() {
        let spelled = crate::reading::parse_json_within("1E5", 1).expect("a number");
        for edit in every_op() {
            let mut value = serde_json::to_value(&edit).expect("serializes");
            let op = value["op"].clone();
            for (field, payload) in value.as_object_mut().into_iter().flatten() {
                if let (Value::Object(payload), false) = (payload, field == "labels") {
                    payload.insert("n".into(), spelled.clone());
                }
            }
            let read = parse_edits(Value::Array(vec![value.clone()])).expect("reads");
            assert_eq!(serde_json::to_string(&read[0]).ok(), serde_json::to_string(&value).ok(), "{op}");
        }
    }

    /// Payloads keep every number as written (issue 15 #2), and coordinates read any spelling.
    #[test]
    fn numbers_keep_their_spelling() {
        let text = r#"[{"op": "addComponent", "component": {"id": "n", "n": [-0, 1.50, 1E5, -0.0, 1e400, 123456789012345678901234567890]}},
                       {"op": "moveComponent", "id": "c", "x": 1.50, "y": 1e5}]"#;
        let edits = edits_from_json(text, &crate::limits::Limits::default()).expect("edits");
        let Edit::AddComponent { component } = &edits[0] else { panic!("{edits:?}") };
        assert_eq!(component["n"].to_string(), "[-0,1.50,1E5,-0.0,1e400,123456789012345678901234567890]");
        assert_eq!(edits[1], Edit::MoveComponent { id: "c".into(), x: 1.5, y: 100_000.0 });
    }
}
