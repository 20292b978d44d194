//! A batch whose edits close an alias loop: the engine finds the loop at a design position, but
//! the caller wrote edits, so the error is moved to the edit that closed it.

use super::edit::Edit;
use crate::engine::resolve_aliases;
use crate::error::{Error, ErrorCode, Result};
use crate::incremental::Store;
use crate::model::Design;

/// Applies edit `index` of a batch to `store`, after removing the relationships `rematchOnEdit`
/// drops before it (`rematched`), as the full path of a batch does.
pub(super) fn apply_batch_edit(store: &mut Store, index: usize, edit: &Edit, rematched: &[String]) -> Result<()> {
    for id in rematched {
        if let Some(position) = store.index.relationship(id) {
            store.remove_relationship(position);
        }
    }
    edit.apply(store, &format!("/{index}"))
}

/// `error` with its path at the edit that closed the alias loop it reports, when the loop is in
/// the edited design itself: the first edit after which the edited design loops and before which
/// it does not (found by bisection, so a long batch costs a few copies of the design, and only
/// when it failed). Any other error, or a loop that evaluation created, is returned as it is.
pub(super) fn locate_cycle(before: &Design, edits: &[Edit], rematched: &[Vec<String>], error: Error) -> Error {
    if error.code != ErrorCode::Cycle || edits.is_empty() {
        return error;
    }
    let loops_after = |count: usize| -> Option<bool> {
        let mut store = Store::new(before.clone());
        for (index, edit) in edits.iter().enumerate().take(count) {
            apply_batch_edit(&mut store, index, edit, &rematched[index]).ok()?;
        }
        Some(resolve_aliases(&store.design).is_err_and(|e| e.code == ErrorCode::Cycle))
    };
    if loops_after(edits.len()) != Some(true) {
        return error;
    }
    // Invariant: after `open` edits the design does not loop (the state before the batch never
    // does: it was evaluated); after `closed` edits it does.
    let (mut open, mut closed) = (0, edits.len());
    while closed - open > 1 {
        let middle = open + (closed - open) / 2;
        match loops_after(middle) {
            Some(true) => closed = middle,
            Some(false) => open = middle,
            None => return error,
        }
    }
    let index = closed - 1;
    Error::new(
        ErrorCode::Cycle,
        format!("/{index}/{}", edits[index].subject_field()),
        format!("{} (closed by edit {index})", error.message),
    )
}
