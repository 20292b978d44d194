//! The npm package's TypeScript declarations of every shape that crosses the JavaScript boundary,
//! generated from the Rust types so the two sides cannot drift: `scripts/generate-types.sh` writes
//! [`declarations`], formatted by biome, to `js/generated/types.ts`, and `scripts/test.sh` fails
//! when the committed file differs from what this source generates.
//!
//! The shapes are `ts-rs` derives on the Rust types themselves, behind the `typescript` feature
//! (`#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]`), so no shipped build compiles them.
//! Their wire names follow the types' serde attributes; a field whose Rust type is a JSON value
//! names its TypeScript type with `#[ts(type = "…")]`.
//!
//! Designs, components and relationships are the exception: the engine keeps them as the JSON it
//! was given (unknown fields round-trip), so their TypeScript types name the fields the evaluator
//! reads and leave the rest open, and `js/json-types.ts` writes them by hand. Here they only get a
//! name (`open_json_type!`), which the generated file imports from there.
//!
//! The lists the package exports (`EDIT_OPS`, `ACTION_OPS`, `ENGINE_OPTION_NAMES`, `LIMIT_NAMES`,
//! `CORE_ERROR_CODES`) are generated too, from what the Rust side accepts: the names serde's derived
//! `Deserialize` reads (`serde_names`).

use crate::error::ErrorCode;
use crate::evaluator::{ConnectableDefinition, Delta, Edit, Explanation, Snapshot};
use crate::limits::Limits;
use crate::model::{ActionOp, Component, Design, EvaluationResponse, Relationship};
use crate::options::EngineOptions;
use serde::de::{self, DeserializeOwned, Visitor};
use std::any::TypeId;
use std::collections::BTreeMap;
use std::fmt;
use ts_rs::{Config, TypeVisitor, TS};

/// The hand-written module the generated one imports the open JSON shapes from, as imported.
const JSON_TYPES: &str = "../json-types.js";

/// The TypeScript names `js/json-types.ts` declares that generated declarations may use: the open
/// JSON shapes, and the types `#[ts(type = "…")]` attributes name.
const HAND_WRITTEN: [&str; 8] = [
    "Component",
    "Design",
    "DesignRelationship",
    "EvaluatedDesign",
    "JsonObject",
    "RelationshipDefinition",
    "RelationshipStatus",
    "SelectorItem",
];

/// Gives a Rust type kept as open JSON the name of its hand-written TypeScript type. It has no
/// declaration of its own here (no output path), so it is never generated, only referred to.
macro_rules! open_json_type {
    ($rust:ty => $typescript:literal) => {
        impl TS for $rust {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;

            fn name(_: &Config) -> String {
                $typescript.to_owned()
            }

            fn inline(_: &Config) -> String {
                $typescript.to_owned()
            }
        }
    };
}

// A component, a design: JSON objects whose unknown fields round-trip (`model::Component`,
// `model::Design`); `js/json-types.ts` names the fields the engine reads and allows any other.
open_json_type!(Component => "Component");
open_json_type!(Design => "Design");
// Every `Relationship` the engine returns (in deltas, traces and actions) is one declared in a
// design, which always has an id; definitions cross the boundary as plain JSON values.
open_json_type!(Relationship => "DesignRelationship");

/// The generated module: a header, the declarations (the roots in this order, then the types
/// they use by name), and the lists, each checked at compile time against the type it enumerates.
pub fn declarations() -> String {
    let config = Config::new().with_large_int("number");
    let mut collected = Collected { config: &config, seen: Vec::new(), roots: Vec::new(), used: BTreeMap::new() };
    collected.root::<Edit>();
    collected.root::<Delta>();
    collected.root::<EvaluationResponse>();
    collected.root::<Explanation>();
    collected.root::<ConnectableDefinition>();
    collected.root::<Snapshot>();
    collected.root::<EngineOptions>();
    collected.root::<ErrorCode>();
    collected.root::<ActionOp>();
    let body = collected.into_declarations().join("\n");

    let mut out = String::from(
        "// Generated from the Rust types by scripts/generate-types.sh (src/typescript.rs): do not edit.\n\
         // scripts/test.sh fails when this file differs from what the Rust source generates.\n",
    );
    let used: Vec<&str> = HAND_WRITTEN.iter().copied().filter(|name| names_type(&body, name)).collect();
    out.push_str(&format!("import type {{ {} }} from '{JSON_TYPES}';\n\n", used.join(", ")));
    out.push_str(&body);
    out.push_str(LISTED);
    out.push_str(&list(
        "EDIT_OPS",
        "The `op` of every edit, in the order of the Rust enum (`evaluator::Edit`): the ops the decoder accepts.",
        "Edit['op']",
        Edit::ops(),
    ));
    out.push_str(&list(
        "ACTION_OPS",
        "The wire names of the actions (`model::ActionOp`).",
        "Action['op']",
        serde_names::<ActionOp>(),
    ));
    out.push_str(&list(
        "ENGINE_OPTION_NAMES",
        "The option names the Rust side accepts (it rejects any other).",
        "keyof ResolvedEngineOptions",
        serde_names::<EngineOptions>(),
    ));
    out.push_str(&list(
        "LIMIT_NAMES",
        "The limit names the Rust side accepts (it rejects any other).",
        "keyof ResolvedLimits",
        serde_names::<Limits>(),
    ));
    out.push_str(&list(
        "CORE_ERROR_CODES",
        "Codes of the Rust core (`error::ErrorCode`): the input or the state is at fault.",
        "CoreErrorCode",
        serde_names::<ErrorCode>(),
    ));
    out
}

/// True when `text` uses `name` as a whole identifier.
fn names_type(text: &str, name: &str) -> bool {
    let identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name)
        .any(|(at, _)| !text[..at].ends_with(identifier) && !text[at + name.len()..].starts_with(identifier))
}

/// The helper every list goes through: a list that leaves out a member of its type fails to
/// compile, naming what is missing (`satisfies` alone would only catch a name too many).
const LISTED: &str = "
/** `list`, checked at compile time to name every member of `T` and nothing else. */
function every<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L => list;
}
";

/// One exported list of names, checked against the type `members` at compile time.
fn list(name: &str, doc: &str, members: &str, names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("'{name}'")).collect();
    format!("\n/** {doc} */\nexport const {name} = every<{members}>()([{}]);\n", quoted.join(", "))
}

/// The declarations of the roots given and of every generated type they use, by TypeScript name.
struct Collected<'a> {
    config: &'a Config,
    seen: Vec<TypeId>,
    roots: Vec<String>,
    used: BTreeMap<String, String>,
}

impl Collected<'_> {
    fn root<T: TS + 'static + ?Sized>(&mut self) {
        self.roots.push(T::ident(self.config));
        self.add::<T>();
    }

    fn add<T: TS + 'static + ?Sized>(&mut self) {
        // Types without an output path are primitives, containers and the open JSON shapes:
        // referred to by name, never declared here.
        if T::output_path().is_none() || self.seen.contains(&TypeId::of::<T>()) {
            return;
        }
        self.seen.push(TypeId::of::<T>());
        let declaration = format!("{}export {}\n", T::docs().unwrap_or_default(), T::decl(self.config));
        self.used.insert(T::ident(self.config), declaration);
        T::visit_dependencies(self);
    }

    /// The roots in their order, then the types they use in name order: ts-rs visits a type's
    /// dependencies in an order that changes from one compilation to the next (its derive keeps
    /// them in a hash set), and the generated file must not.
    fn into_declarations(mut self) -> Vec<String> {
        let mut declarations: Vec<String> = self.roots.iter().filter_map(|name| self.used.remove(name)).collect();
        declarations.extend(self.used.into_values());
        declarations
    }
}

impl TypeVisitor for Collected<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>();
    }
}

/// The names serde's derived `Deserialize` of `T` reads: a struct's field names, or an enum's
/// variant names, as they are written in JSON. Serde hands them to the deserializer
/// (`deserialize_struct`'s `fields`, `deserialize_enum`'s `variants`); `Names` answers with them.
pub fn serde_names<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(Names) {
        Err(Captured(names)) => names,
        Ok(_) => &[],
    }
}

/// A deserializer that reads nothing: it fails at once with the names serde gave it.
struct Names;

/// The "error" [`Names`] fails with: the names serde passed (none for any other request).
#[derive(Debug)]
struct Captured(&'static [&'static str]);

impl fmt::Display for Captured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "names {:?}", self.0)
    }
}

impl std::error::Error for Captured {}

impl de::Error for Captured {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Captured(&[])
    }
}

impl<'de> de::Deserializer<'de> for Names {
    type Error = Captured;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Captured> {
        Err(Captured(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        Err(Captured(fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        Err(Captured(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_are_the_wire_names() {
        assert_eq!(serde_names::<Limits>().first(), Some(&"maxComponents"));
        assert_eq!(serde_names::<EngineOptions>().last(), Some(&"limits"));
        let codes = serde_names::<ErrorCode>();
        for code in codes {
            let parsed: ErrorCode = serde_json::from_value(serde_json::json!(code)).expect("a code serde reads");
            assert_eq!(parsed.as_str(), *code);
        }
        assert!(!codes.is_empty());
    }

    #[test]
    fn edit_ops_are_the_ops_serde_reads() {
        let ops = Edit::ops();
        assert_eq!(ops.first(), Some(&"addComponent"));
        for op in ops {
            let edits = serde_json::json!([{ "op": op }]).to_string();
            let error = crate::evaluator::edits_from_json(&edits, &Limits::default()).expect_err("no fields");
            assert!(!error.message.contains("unknown variant"), "{op}: {}", error.message);
        }
    }

    #[test]
    fn action_ops_are_the_wire_ops() {
        let ops = serde_names::<ActionOp>();
        assert!(!ops.is_empty());
        for op in ops {
            let parsed: ActionOp = serde_json::from_value(serde_json::json!(op)).expect("an op serde reads");
            assert_eq!((parsed.as_str(), ActionOp::parse(op)), (*op, Some(parsed)));
        }
    }

    #[test]
    fn snapshot_format_literal_is_the_format_tag() {
        let quoted = format!("\"{}\"", crate::evaluator::SNAPSHOT_FORMAT);
        assert!(declarations().contains(&format!("format: {quoted}")), "SnapshotJson's `format`");
    }

    #[test]
    fn names_type_matches_whole_identifiers_only() {
        assert!(names_type("item: Component, ", "Component"));
        assert!(!names_type("Array<Components>", "Component"));
        assert!(!names_type("MyDesign", "Design"));
    }
}
