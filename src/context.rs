//! What a policy sees while it runs: the design, its index and the engine options, plus the
//! value-reading rules of spec §6.4 (configuration read through resolved aliases).

use crate::error::{Error, ErrorCode};
use crate::index::DesignIndex;
use crate::model::{Component, Design, Relationship};
use crate::options::EngineOptions;
use crate::values::{get_nested, resolve_path, Path};
use serde_json::Value;

/// The fewest relationships one definition may create in one pass, whatever the design's size
/// (`Context::creation_budget`).
pub const MIN_CREATION_BUDGET: usize = 10_000;

/// Relationships one definition may create in one pass per component of the design. Real
/// designs create about 1.6 per component over all definitions (docs/performance.md).
pub const CREATED_PER_COMPONENT: usize = 10;

/// Candidate pairs a join examined (checked in full) and how many of them matched, counted as
/// the policies run. Counting never changes a result; it makes a join that examines far more
/// pairs than it returns visible without a profiler (`tests/join_work.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JoinCounts {
    pub examined: u64,
    pub matched: u64,
}

/// The join work of one (policy, definition) identification in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinWork {
    /// Pass of the evaluation, from 0.
    pub pass: usize,
    pub policy: &'static str,
    /// The definition's id.
    pub definition: String,
    /// `kind/type/subType from→to` of the definition's first selector set, for reports.
    pub label: String,
    /// Components in the design the pass identified in.
    pub components: usize,
    pub counts: JoinCounts,
    /// Candidates the policy returned (before "already exists").
    pub candidates: usize,
}

/// A read-only view of one design state, plus the first budget overflow a policy reported and
/// the join work counted so far.
pub struct Context<'a> {
    pub design: &'a Design,
    pub index: &'a DesignIndex,
    pub options: &'a EngineOptions,
    overflow: std::cell::RefCell<Option<Error>>,
    /// Bytes the patches computed with this context write (`maxPatchBytes`).
    patch_bytes: std::cell::Cell<usize>,
    counts: std::cell::Cell<JoinCounts>,
    work: std::cell::RefCell<Vec<JoinWork>>,
}

impl<'a> Context<'a> {
    pub fn new(design: &'a Design, index: &'a DesignIndex, options: &'a EngineOptions) -> Self {
        Context {
            design,
            index,
            options,
            overflow: std::cell::RefCell::new(None),
            patch_bytes: std::cell::Cell::new(0),
            counts: std::cell::Cell::new(JoinCounts::default()),
            work: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// Counts `examined` candidate pairs checked in full by a join, `matched` of which held.
    pub fn count_pairs(&self, examined: usize, matched: usize) {
        let mut counts = self.counts.get();
        counts.examined += examined as u64;
        counts.matched += matched as u64;
        self.counts.set(counts);
    }

    /// The pairs counted since this context was made.
    pub fn join_counts(&self) -> JoinCounts {
        self.counts.get()
    }

    /// Records the work of one (policy, definition) identification.
    pub fn record_join_work(&self, work: JoinWork) {
        self.work.borrow_mut().push(work);
    }

    /// The work recorded so far, emptied.
    pub fn take_join_work(&self) -> Vec<JoinWork> {
        std::mem::take(&mut self.work.borrow_mut())
    }

    /// How many relationships one definition may create in this pass: `CREATED_PER_COMPONENT`
    /// per component (at least `MIN_CREATION_BUDGET`), never past `maxRelationships` in all.
    /// Bounds the memory and output of a pair join that matches everything with everything
    /// (K Services x K Deployments sharing one selector: K^2 relationships).
    pub fn creation_budget(&self) -> usize {
        let scaled = self.design.components.len().saturating_mul(CREATED_PER_COMPONENT).max(MIN_CREATION_BUDGET);
        scaled.min(self.options.limits.max_relationships.saturating_sub(self.design.relationships.len()))
    }

    /// Records that `definition` would create more than `creation_budget()` relationships (the
    /// first report wins); the pass then fails with it.
    pub fn report_overflow(&self, definition: &Relationship) {
        let mut slot = self.overflow.borrow_mut();
        if slot.is_none() {
            let budget = self.creation_budget();
            *slot = Some(Error::new(
                ErrorCode::LimitExceeded,
                "",
                format!(
                    "relationships created: definition {} ({}) would create more than {budget} relationships in one pass \
                     ({CREATED_PER_COMPONENT} per component, at least {MIN_CREATION_BUDGET}, within maxRelationships)",
                    definition.id(),
                    definition.layer_key()
                ),
            ));
        }
    }

    /// Counts the bytes `relationship` writes into component `mutated` with one patch. False
    /// once the pass's patches would write more than `maxPatchBytes` in all: the overflow is
    /// recorded (the first wins, naming the relationship, its definition's layer and the
    /// component) and the caller stops computing patches, so the values are never copied.
    pub fn charge_patch(&self, relationship: &Relationship, mutated: &str, value: &Value) -> bool {
        let limit = self.options.limits.max_patch_bytes;
        let bytes = json_bytes(value);
        let total = self.patch_bytes.get().saturating_add(bytes);
        self.patch_bytes.set(total);
        if total <= limit {
            return true;
        }
        let mut slot = self.overflow.borrow_mut();
        if slot.is_none() {
            let path =
                self.index.relationship(relationship.id()).map(|p| format!("/relationships/{p}")).unwrap_or_default();
            *slot = Some(Error::new(
                ErrorCode::LimitExceeded,
                path,
                format!(
                    "maxPatchBytes: relationship {} ({}) would write {bytes} bytes into component {mutated}, \
                     bringing what patches write in this pass to {total} bytes, past the limit of {limit}",
                    relationship.id(),
                    relationship.layer_key()
                ),
            ));
        }
        false
    }

    /// The overflow a policy reported, if any.
    pub fn take_overflow(&self) -> Option<Error> {
        self.overflow.borrow_mut().take()
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&'a Component> {
        self.index.component(id).map(|p| &self.design.components[p])
    }

    /// The component at a position of the design.
    pub fn component_at(&self, position: usize) -> &'a Component {
        &self.design.components[position]
    }

    /// The relationship with this id.
    pub fn relationship(&self, id: &str) -> Option<&'a Relationship> {
        self.index.relationship(id).map(|p| &self.design.relationships[p])
    }

    /// A component's configuration; an alias component reads it inside its parent.
    pub fn config(&self, component: &'a Component) -> Option<&'a Value> {
        if let Some((parent, path)) = self.index.alias_parent(component.id()) {
            return get_nested(&self.design.components[*parent].0, path);
        }
        component.configuration()
    }

    /// `valueAt(path, component)`: `configuration…` paths read the (alias-aware) configuration,
    /// other paths the component's JSON document; an empty path reads nothing.
    pub fn value_at(&self, path: &[String], component: &'a Component) -> Option<&'a Value> {
        match path.split_first() {
            None => None,
            Some((first, rest)) if first == "configuration" => self.config(component).and_then(|c| get_nested(c, rest)),
            Some(_) => component.field(path),
        }
    }

    /// `path` with its first `_` resolved against the component's own JSON (spec §6.4).
    pub fn resolve(&self, path: &[String], component: &Component) -> Path {
        resolve_path(path, &component.0)
    }

    /// The non-null value at `path` after resolving `_`, without building the resolved path when
    /// there is no `_` (the hot path of matching).
    pub fn resolved_value(&self, path: &[String], component: &'a Component) -> Option<&'a Value> {
        if path.iter().any(|s| s == "_") {
            return self.resolved_value_at(path, component).1;
        }
        self.value_at(path, component).filter(|v| !v.is_null())
    }

    /// `value_at` after resolving `_` (Meshery's fix in flight, meshery/meshery#21623).
    pub fn resolved_value_at(&self, path: &[String], component: &'a Component) -> (Path, Option<&'a Value>) {
        let resolved = self.resolve(path, component);
        let value = self.value_at(&resolved, component).filter(|v| !v.is_null());
        (resolved, value)
    }
}

/// The length of `value` as compact JSON, without building the text.
fn json_bytes(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a Value into a sink that never fails cannot fail.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}
