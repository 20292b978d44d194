//! The stateful evaluator: keeps an evaluated design, takes batches of edits, and answers each
//! with a delta. A batch is a transaction: when any edit or the evaluation fails, the state is
//! exactly as before and the error names the edit and field.

mod delta;
mod edit;
mod explain;
mod snapshot;

pub use delta::{diff, touched_by, Delta};
pub use edit::{merge_patch, parse_edits, Edit};
pub use explain::{explain, Comparison, Explanation};
pub use snapshot::{Snapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION};

use crate::engine::{Engine, FlapHistory};
use crate::error::Result;
use crate::model::{parse_definitions, Design, EvaluationResponse, Relationship};
use crate::options::EngineOptions;
use serde_json::Value;
use std::collections::BTreeSet;

/// A design kept evaluated in memory.
pub struct Evaluator {
    engine: Engine,
    design: Design,
    revision: u64,
}

impl Evaluator {
    /// An evaluator over these definitions, holding an empty design at revision 0.
    pub fn new(definitions: Vec<Relationship>, options: EngineOptions) -> Evaluator {
        Evaluator { engine: Engine::new(definitions, options), design: Design::default(), revision: 0 }
    }

    /// Like `new`, from definitions JSON (an array) and options JSON (`""` for defaults).
    pub fn from_json(definitions_json: &str, options_json: &str) -> Result<Evaluator> {
        let options = EngineOptions::from_json(options_json)?;
        options.limits.check_input_size(definitions_json.len())?;
        let definitions: Value = serde_json::from_str(definitions_json).map_err(crate::error::json_error)?;
        Ok(Evaluator::new(parse_definitions(definitions, &options.limits)?, options))
    }

    /// The current (evaluated) design.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The number of successful loads and batches so far.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The registered definitions.
    pub fn definitions(&self) -> &[Relationship] {
        self.engine.definitions()
    }

    /// The options.
    pub fn options(&self) -> &EngineOptions {
        self.engine.options()
    }

    /// Replaces the design and evaluates it.
    pub fn load_design(&mut self, design: Design) -> Result<Delta> {
        let touched = ids_of(&self.design).union_with(ids_of(&design));
        self.commit(design, touched)
    }

    /// Applies a batch of edits, then evaluates. On error nothing changes; the error path starts
    /// with `/<index of the edit>`.
    pub fn apply_edits(&mut self, edits: &[Edit]) -> Result<Delta> {
        let mut working = self.design.clone();
        let mut touched = Touched::default();
        for (i, edit) in edits.iter().enumerate() {
            edit.apply(&mut working, &format!("/{i}"))?;
            touched.components.extend(edit.component_ids().into_iter().map(str::to_owned));
            touched.relationships.extend(edit.relationship_ids().into_iter().map(str::to_owned));
        }
        working.limits_check(&self.engine.options().limits)?;
        self.commit(working, touched)
    }

    /// Replaces the definitions and re-evaluates the design with them.
    pub fn replace_definitions(&mut self, definitions: Vec<Relationship>) -> Result<Delta> {
        let options = self.engine.options().clone();
        let previous = std::mem::replace(&mut self.engine, Engine::new(definitions, options));
        let touched = ids_of(&self.design);
        let design = self.design.clone();
        self.commit(design, touched).inspect_err(|_| self.engine = previous)
    }

    /// A full evaluation of the current design, without changing the state.
    pub fn evaluate(&self) -> Result<EvaluationResponse> {
        Engine::new(self.engine.definitions().to_vec(), self.engine.options().clone()).evaluate(self.design.clone())
    }

    /// Evaluates `design`; on success it becomes the state and the delta against the old state
    /// is returned.
    fn commit(&mut self, design: Design, mut touched: Touched) -> Result<Delta> {
        // Flap history is per evaluation: alternating edits by a person are not flapping.
        *self.engine.flap_history_mut() = FlapHistory::default();
        let response = self.engine.evaluate(design)?;
        for action in &response.actions {
            touched_by(action, &mut touched.components, &mut touched.relationships);
        }
        let mut delta = diff(&self.design, &response.design, &touched.components, &touched.relationships);
        delta.actions = response.actions;
        self.design = response.design;
        self.revision += 1;
        delta.revision = self.revision;
        Ok(delta)
    }

    /// The whole state as a snapshot.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.into(),
            version: SNAPSHOT_VERSION,
            revision: self.revision,
            options: self.engine.options().clone(),
            definitions: self.engine.definitions().iter().map(|d| d.0.clone()).collect(),
            design: self.design.to_value(),
        }
    }

    /// An evaluator identical to the one the snapshot was taken of.
    pub fn restore(snapshot: Snapshot) -> Result<Evaluator> {
        let options = snapshot.options.checked()?;
        let definitions = parse_definitions(Value::Array(snapshot.definitions), &options.limits)
            .map_err(|e| e.under("/definitions"))?;
        let design = Design::from_value(snapshot.design, &options.limits).map_err(|e| e.under("/design"))?;
        Ok(Evaluator { engine: Engine::new(definitions, options), design, revision: snapshot.revision })
    }

    /// Why a relationship of the current design holds.
    pub fn explain(&self, relationship_id: &str) -> Result<Explanation> {
        explain(&self.design, self.engine.definitions(), relationship_id)
    }
}

/// Component and relationship ids whose before/after values are compared for a delta.
#[derive(Default)]
struct Touched {
    components: BTreeSet<String>,
    relationships: BTreeSet<String>,
}

impl Touched {
    fn union_with(mut self, other: Touched) -> Touched {
        self.components.extend(other.components);
        self.relationships.extend(other.relationships);
        self
    }
}

fn ids_of(design: &Design) -> Touched {
    Touched {
        components: design.components.iter().map(|c| c.id().to_owned()).collect(),
        relationships: design.relationships.iter().map(|r| r.id().to_owned()).collect(),
    }
}

impl Design {
    /// Checks the component and relationship counts against the limits (edits can grow a design).
    pub fn limits_check(&self, limits: &crate::limits::Limits) -> Result<()> {
        limits.check_count("maxComponents", "/components", self.components.len(), limits.max_components)?;
        limits.check_count("maxRelationships", "/relationships", self.relationships.len(), limits.max_relationships)
    }
}
