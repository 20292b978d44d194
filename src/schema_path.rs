//! Does a relationship's mutation path exist in a component's JSON schema? A definition whose
//! `mutatorRef`/`mutatedRef` names a field the component schema does not define makes the engine
//! write a value that never reaches the rendered resource (meshery/meshery#21482, an Ingress
//! patched with the pre-1.22 `backend.serviceName` shape). Meshery's conformance suite checks
//! every shipped definition with this resolution; it is here so registries and tests can too.

use serde_json::Value;

/// One step of the walk: a schema node, or "anything goes" below an open schema.
#[derive(Clone, Copy)]
enum Node<'a> {
    Schema(&'a Value),
    Open,
}

/// The node itself plus every node reachable through `allOf` / `oneOf` / `anyOf`, depth first.
fn alternatives<'a>(node: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(node);
    for combiner in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(entries)) = node.get(combiner) {
            for entry in entries.iter().filter(|e| e.is_object()) {
                alternatives(entry, out);
            }
        }
    }
}

/// `additionalProperties: true`: the schema constrains nothing below this node.
fn is_open(node: &Value) -> bool {
    node.get("additionalProperties") == Some(&Value::Bool(true))
}

/// Resolves one segment. A numeric segment or `_` first tries the array item schema, then a
/// property of that name (a numeric key is a legal map key); any segment falls back to a typed
/// `additionalProperties` map.
fn descend<'a>(node: Node<'a>, segment: &str) -> Option<Node<'a>> {
    let Node::Schema(node) = node else { return Some(Node::Open) };
    let into_item = segment == "_" || (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()));
    let mut candidates = Vec::new();
    alternatives(node, &mut candidates);
    for alternative in candidates {
        if is_open(alternative) {
            return Some(Node::Open);
        }
        if into_item {
            if let Some(items) = alternative.get("items").filter(|i| i.is_object()) {
                return Some(Node::Schema(items));
            }
        }
        if let Some(next) = alternative.get("properties").and_then(|p| p.get(segment)).filter(|n| n.is_object()) {
            return Some(Node::Schema(next));
        }
        if let Some(additional) = alternative.get("additionalProperties").filter(|a| a.is_object()) {
            return Some(Node::Schema(additional));
        }
    }
    None
}

/// True when every segment of `segments` (a path relative to the component's `configuration`)
/// resolves in `schema`.
pub fn resolve_schema_path<S: AsRef<str>>(schema: &Value, segments: &[S]) -> bool {
    let mut node = Node::Schema(schema);
    for segment in segments {
        match descend(node, segment.as_ref()) {
            Some(next) => node = next,
            None => return false,
        }
    }
    true
}

/// The segments of a mutation path that a component schema is expected to define, or `None`
/// when the path is not checkable: paths outside `configuration` address the component envelope
/// (`displayName`, `component.kind`), and `configuration.metadata` is Kubernetes ObjectMeta,
/// which Meshery strips from the schemas it ships.
pub fn schema_checked_segments(path: &[String]) -> Option<&[String]> {
    match path {
        [first, rest @ ..] if first == "configuration" && !rest.is_empty() && rest[0] != "metadata" => Some(rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closed_objects_and_missing_properties_do_not_resolve() {
        let schema = json!({"properties": {"spec": {"properties": {"closed": {"type": "object"}}}}});
        assert!(resolve_schema_path(&schema, &["spec", "closed"]));
        assert!(!resolve_schema_path(&schema, &["spec", "closed", "x"]));
        assert!(!resolve_schema_path(&schema, &["spec", "missing"]));
    }

    #[test]
    fn only_configuration_paths_outside_metadata_are_checked() {
        let path = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(schema_checked_segments(&path(&["configuration", "spec", "a"])), Some(&path(&["spec", "a"])[..]));
        assert_eq!(schema_checked_segments(&path(&["configuration", "metadata", "name"])), None);
        assert_eq!(schema_checked_segments(&path(&["displayName"])), None);
    }
}
