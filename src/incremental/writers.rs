//! Which relationships update a component: what a restricted pass needs to resolve the ties at
//! a component it patches without recomputing every relationship that names it.
//!
//! A tie at a component's field is decided among the relationships whose side effects update
//! that field. A relationship whose inputs did not change since it was last computed (its own
//! JSON, its components) updates the same as then. Everything whose inputs change is in the
//! next pass's scope (an edit makes its components and relationships dirty, an applied action
//! makes what it touched dirty, and every relationship of a dirty component is recomputed), so
//! a record refreshed from every relationship a pass computes stays true for the others. A
//! component is recorded the first time a pass looks at all of its writers; until then, and
//! after a rollback, a pass looks at all of them again.

use std::collections::{BTreeSet, HashMap};

/// Per component, the ids of the relationships whose side effects update it (a superset: a
/// deleted relationship counts, its clean-up depends on other relationships).
#[derive(Default)]
pub struct Writers {
    updating: HashMap<String, BTreeSet<String>>,
}

impl Writers {
    /// The relationships recorded as updating `component`; `None` when it is not recorded.
    pub fn of(&self, component: &str) -> Option<&BTreeSet<String>> {
        self.updating.get(component)
    }

    /// Starts recording `component` (all its writers are being computed).
    pub fn start(&mut self, component: &str) {
        self.updating.entry(component.to_owned()).or_default();
    }

    /// Records what a freshly computed relationship updates among the components it names.
    pub fn refresh<'a>(
        &mut self,
        relationship: &str,
        named: impl IntoIterator<Item = &'a str>,
        updates: impl Fn(&str) -> bool,
    ) {
        for component in named {
            let Some(writers) = self.updating.get_mut(component) else { continue };
            if updates(component) {
                if !writers.contains(relationship) {
                    writers.insert(relationship.to_owned());
                }
            } else {
                writers.remove(relationship);
            }
        }
    }

    /// Forgets everything (after a rollback: recorded again on use).
    pub fn clear(&mut self) {
        self.updating.clear();
    }
}
