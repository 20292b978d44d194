use super::Store;
use crate::limits::Limits;
use crate::model::Design;
use serde_json::{json, Value};

/// A hub component every one of `count` relationships names, with one leaf per relationship.
fn hub_design(count: usize) -> Design {
    let id = |n: usize| format!("00000000-0000-0000-0000-{n:012}");
    let mut components = vec![json!({"id": id(0), "component": {"kind": "Service"}, "displayName": "hub"})];
    let mut relationships = Vec::new();
    for n in 1..=count {
        components.push(json!({"id": id(n), "component": {"kind": "Deployment"}, "displayName": format!("d{n}")}));
        relationships.push(json!({"id": id(1000 + n), "kind": "edge", "type": "non-binding", "subType": "network",
            "status": "approved", "selectors": [{"allow": {
                "from": [{"id": id(0), "kind": "Service"}], "to": [{"id": id(n), "kind": "Deployment"}]}}]}));
    }
    Design::from_value(
        json!({"id": id(0xd), "components": components, "relationships": relationships}),
        &Limits::default(),
    )
    .expect("design decodes")
}

/// What the index answers for every relationship id and component id, as (id, positions).
fn lookups(store: &Store) -> Vec<(String, Vec<usize>)> {
    let mut answers = Vec::new();
    for relationship in &store.design.relationships {
        answers.push((relationship.id().to_owned(), store.index.relationship(relationship.id()).into_iter().collect()));
    }
    for component in &store.design.components {
        answers.push((component.id().to_owned(), store.index.relationships_of_component(component.id()).to_vec()));
    }
    answers
}

fn ids(store: &Store) -> Vec<String> {
    store.design.relationships.iter().map(|r| r.id().to_owned()).collect()
}

#[test]
fn removing_many_relationships_at_once_keeps_the_order_the_index_and_the_undo_log() {
    let mut store = Store::new(hub_design(40));
    let original: Vec<Value> = store.design.relationships.iter().map(|r| (*r.0).clone()).collect();
    store.begin();
    let mark = store.mark();
    // Past the one-by-one threshold, including the first and the last.
    let removed: Vec<usize> = (0..40).filter(|p| p % 3 != 1).collect();
    store.remove_relationships(&removed);

    let kept: Vec<String> = original
        .iter()
        .enumerate()
        .filter(|(p, _)| p % 3 == 1)
        .map(|(_, r)| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&store), kept);
    assert_eq!(lookups(&store), lookups(&Store::new(store.design.clone())));
    assert_eq!(store.relationships_touched.len(), removed.len());
    for position in &removed {
        let id = original[*position]["id"].as_str().unwrap();
        assert!(store.index.relationship(id).is_none(), "{id} is still indexed");
        assert!(store.relationships_touched[id].before.is_some(), "{id} is not reported as removed");
    }

    store.rollback(mark);
    let restored: Vec<Value> = store.design.relationships.iter().map(|r| (*r.0).clone()).collect();
    assert_eq!(restored, original);
    assert_eq!(lookups(&store), lookups(&Store::new(store.design.clone())));
}

#[test]
fn removing_a_few_relationships_gives_what_removing_many_gives() {
    for removed in [vec![0, 5], (0..17).collect::<Vec<usize>>()] {
        let mut one_by_one = Store::new(hub_design(20));
        for &position in removed.iter().rev() {
            one_by_one.remove_relationship(position);
        }
        let mut at_once = Store::new(hub_design(20));
        at_once.remove_relationships(&removed);
        assert_eq!(ids(&at_once), ids(&one_by_one));
        assert_eq!(lookups(&at_once), lookups(&one_by_one));
    }
}
