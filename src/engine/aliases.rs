//! `metadata.resolvedAliases` (spec §5): for each alias component, the ancestor that really holds
//! its value and the path there, following chains of aliases of aliases. Chains that loop are an
//! error naming the loop (Meshery recurses until its stack overflows).

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Design, SelectorItem};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// The longest alias chain (aliases of aliases) resolved: each alias's resolved path grows with its
/// chain, so unbounded chains made resolution cubic in time and quadratic in output (4,000
/// aliases: 585 s, 144 MB). Real chains are one or two links long.
pub const MAX_ALIAS_CHAIN: usize = 64;

struct Alias<'a> {
    alias_id: &'a str,
    parent_id: &'a str,
    relationship_id: &'a str,
    reference: Vec<String>,
    position: usize,
}

/// The resolved aliases of a design, keyed by alias component id (snake_case keys, as in
/// Meshery's v1beta1 core type).
pub fn resolve_aliases(design: &Design) -> Result<Map<String, Value>> {
    let mut aliases: Vec<Alias> = Vec::new();
    for (position, relationship) in design.relationships.iter().enumerate() {
        if relationship.sub_type() != "alias" {
            continue;
        }
        let Some(set) = relationship.first_selector() else { continue };
        let (Some(from), Some(to)) = (set.allow_from().first(), set.allow_to().first()) else { continue };
        let (from, to) = (SelectorItem(from), SelectorItem(to));
        let Some(reference) = from.mutated_ref().and_then(|r| r.into_iter().next()) else { continue };
        let (Some(alias_id), Some(parent_id)) = (from.id(), to.id()) else { continue };
        aliases.push(Alias { alias_id, parent_id, relationship_id: relationship.id(), reference, position });
    }
    let mut first_by_alias: HashMap<&str, usize> = HashMap::new();
    for (i, alias) in aliases.iter().enumerate() {
        first_by_alias.entry(alias.alias_id).or_insert(i);
    }
    let component_ids: HashSet<&str> = design.components.iter().map(|c| c.id()).collect();

    let mut resolved = Map::new();
    for alias in &aliases {
        let (parent, path) = resolve_chain(alias, &aliases, &first_by_alias, &component_ids)?;
        // A later alias relationship for the same alias component replaces an earlier one.
        resolved.shift_remove(alias.alias_id);
        resolved.insert(
            alias.alias_id.to_owned(),
            json!({
                "alias_component_id": alias.alias_id,
                "immediate_parent_id": alias.parent_id,
                "immediate_ref_field_path": alias.reference,
                "relationship_id": alias.relationship_id,
                "resolved_parent_id": parent,
                "resolved_ref_field_path": path,
            }),
        );
    }
    Ok(resolved)
}

fn resolve_chain<'a>(
    start: &'a Alias<'a>,
    aliases: &'a [Alias<'a>],
    first_by_alias: &HashMap<&str, usize>,
    component_ids: &HashSet<&str>,
) -> Result<(&'a str, Vec<String>)> {
    let mut current = start;
    let mut path = start.reference.clone();
    // The alias components walked so far, in order, so that a loop can be named in full.
    let mut chain: Vec<&str> = vec![start.alias_id];
    let mut visited: HashSet<&str> = HashSet::from([start.alias_id]);
    loop {
        let parent = current.parent_id;
        let next = first_by_alias.get(parent).filter(|_| component_ids.contains(parent));
        let Some(&next) = next else { return Ok((parent, path)) };
        let next = &aliases[next];
        if !visited.insert(next.alias_id) {
            let entry = chain.iter().position(|id| *id == next.alias_id).unwrap_or(0);
            let mut cycle = chain[entry..].to_vec();
            cycle.push(next.alias_id);
            let lead = if entry == 0 {
                format!("alias chain of component {} loops", start.alias_id)
            } else {
                format!("alias chain of component {} enters a loop", start.alias_id)
            };
            return Err(Error::new(
                ErrorCode::Cycle,
                format!("/relationships/{}", start.position),
                format!("{lead}: {}", cycle.join(" → ")),
            ));
        }
        if chain.len() == MAX_ALIAS_CHAIN {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!("/relationships/{}", start.position),
                format!(
                    "maxAliasChain: the alias chain of component {} is longer than {MAX_ALIAS_CHAIN} links",
                    start.alias_id
                ),
            ));
        }
        chain.push(next.alias_id);
        let mut longer = next.reference.clone();
        longer.extend(path.iter().skip(1).cloned());
        path = longer;
        current = next;
    }
}
