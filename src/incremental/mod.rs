//! Incremental evaluation: re-evaluating only what an edit batch can affect, with exactly the
//! result a full evaluation gives. The full engine stays the reference; this module only narrows
//! which components and relationships each phase visits (see `scoped.rs` for why that is exact)
//! and keeps the design's index up to date instead of rebuilding it.

mod join_index;
mod parent_keys;
mod scoped;
mod store;
mod writers;

pub use scoped::{scoped_pass, Dirty, PassMode, PassOutput};
pub use store::{FirstSeen, Store};
#[cfg(feature = "internals")]
pub use {join_index::JoinIndex, parent_keys::CountedParentKeys, scoped::apply_logged};
