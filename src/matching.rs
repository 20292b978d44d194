//! Kind and model matching (spec §6.1–§6.3): Meshery's unanchored substring/regex `matchName`,
//! selector-item feasibility and deny clauses.

use crate::model::{Component, Relationship, SelectorItem, SelectorSet};
use regex_lite::Regex;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

const REGEX_META: &[char] = &['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$'];

thread_local! {
    /// Compiled patterns; `None` for an invalid regex (which matches nothing).
    static REGEX_CACHE: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// The most a kind or model name pattern may cost once compiled (regex-lite's `size_limit`, in
/// bytes of its program): matching runs in time proportional to the name's length times the
/// program's size, so both are bounded (names by `MAX_NAME_BYTES`). A definition whose pattern is
/// larger is refused when it is decoded (`LIMIT_EXCEEDED`).
pub const MAX_PATTERN_BYTES: usize = 16 * 1024;

fn compile(pattern: &str) -> Result<Regex, regex_lite::Error> {
    regex_lite::RegexBuilder::new(pattern).size_limit(MAX_PATTERN_BYTES).build()
}

/// True for a name pattern that is a valid regex but compiles past `MAX_PATTERN_BYTES`. (An
/// invalid regex matches nothing, as in Meshery; it is not an error.)
pub fn pattern_too_costly(pattern: &str) -> bool {
    pattern.contains(REGEX_META) && compile(pattern).is_err() && Regex::new(pattern).is_ok()
}

/// `matchName(name, pattern)`: `*` matches all; equal strings match; a pattern without regex
/// metacharacters is a substring test (so `Pod` matches `PodTemplate`, and `""` matches all);
/// otherwise an unanchored regex search, where an invalid regex matches nothing.
pub fn match_name(name: &str, pattern: &str) -> bool {
    if pattern == "*" || name == pattern {
        return true;
    }
    if !pattern.contains(REGEX_META) {
        return name.contains(pattern);
    }
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 4096 {
            cache.clear(); // bounded: patterns come from definitions, a few hundred at most
        }
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| compile(pattern).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(name))
    })
}

/// A selector item is feasible for a component when its kind matches and, if it names a model,
/// the model matches too.
pub fn feasible(item: SelectorItem<'_>, component: &Component) -> bool {
    if !match_name(component.kind(), item.kind()) {
        return false;
    }
    let model = item.model_name();
    model.is_empty() || match_name(component.model_name(), model)
}

/// The first `allow.from` item, over the selector sets in order, feasible for `component`.
pub fn feasible_from<'a>(component: &Component, definition: &'a Relationship) -> Option<&'a Value> {
    definition.selectors().flat_map(|set| set.allow_from().iter()).find(|item| feasible(SelectorItem(item), component))
}

/// The first `allow.to` item, over the selector sets in order, feasible for `component`.
pub fn feasible_to<'a>(component: &Component, definition: &'a Relationship) -> Option<&'a Value> {
    definition.selectors().flat_map(|set| set.allow_to().iter()).find(|item| feasible(SelectorItem(item), component))
}

/// How a definition admits a pair of components: the selector set that allows it, its position,
/// and the first allow.from and allow.to items feasible for the pair.
#[derive(Clone, Copy)]
pub struct Admission<'a> {
    pub selector_index: usize,
    pub set: SelectorSet<'a>,
    pub from_item: &'a Value,
    pub to_item: &'a Value,
}

/// `feasibleBetween` with its evidence: the first selector set that allows `from → to` and whose
/// deny clause does not forbid it.
pub fn admission_between<'a>(from: &Component, to: &Component, definition: &'a Relationship) -> Option<Admission<'a>> {
    definition.selectors().enumerate().find_map(|(selector_index, set)| {
        let denied = set.0.get("deny").is_some_and(|d| !d.is_null())
            && set.deny_to().iter().any(|i| feasible(SelectorItem(i), to))
            && set.deny_from().iter().any(|i| feasible(SelectorItem(i), from));
        if denied {
            return None;
        }
        let to_item = set.allow_to().iter().find(|i| feasible(SelectorItem(i), to))?;
        let from_item = set.allow_from().iter().find(|i| feasible(SelectorItem(i), from))?;
        Some(Admission { selector_index, set, from_item, to_item })
    })
}

/// The first selector set that allows `from → to` and whose deny clause does not forbid it.
pub fn feasible_between<'a>(from: &Component, to: &Component, definition: &'a Relationship) -> Option<SelectorSet<'a>> {
    admission_between(from, to, definition).map(|admission| admission.set)
}

/// An item of a deny clause matches a component: kind by `matchName`, and the model check passes
/// when the item has no model, its name is `*` or equal, or `matchName` matches.
fn deny_item_matches(item: SelectorItem<'_>, component: &Component) -> bool {
    if !match_name(component.kind(), item.kind()) {
        return false;
    }
    let Some(model) = item.model() else { return true };
    let name = model.get("name").and_then(Value::as_str).unwrap_or("");
    name == "*" || name == component.model_name() || match_name(component.model_name(), name)
}

/// `isRelationshipDenied`: false without a deny clause or with an empty side; else true when some
/// deny.from item matches `from` and some deny.to item matches `to`.
pub fn is_denied(from: &Component, to: &Component, set: SelectorSet<'_>) -> bool {
    set.has_deny()
        && set.deny_from().iter().any(|i| deny_item_matches(SelectorItem(i), from))
        && set.deny_to().iter().any(|i| deny_item_matches(SelectorItem(i), to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_patterns_are_substring_tests() {
        assert!(match_name("PodTemplate", "Pod"));
        assert!(match_name("ClusterRole", "Role"));
        assert!(match_name("anything", ""));
        assert!(!match_name("Service", "Namespace"));
    }

    #[test]
    fn a_costly_pattern_is_flagged_and_an_ordinary_one_is_not() {
        assert!(pattern_too_costly("x{0,5000}y"));
        assert!(!pattern_too_costly("Deploy.*|StatefulSet|(Cron)?Job"));
        assert!(!pattern_too_costly("("), "an invalid regex is Meshery's no-match, not a limit");
    }

    #[test]
    fn patterns_with_metacharacters_are_unanchored_regexes() {
        assert!(match_name("Deployment", "Deploy.*"));
        assert!(!match_name("ConfigMap", "Deploy.*"));
        assert!(!match_name("ConfigMap", "(")); // invalid regex matches nothing
    }
}
