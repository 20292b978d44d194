//! Writes the seed corpora of the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) from the
//! fixtures at run time, so no copy of a fixture is ever committed.
//!
//! ```text
//! cargo run --example fuzz_seeds -- <output dir>
//! ```
//! Writes `<output dir>/<target>/<seed>` for the targets `evaluate_design`, `edit_batches` and
//! `snapshot_restore`, replacing earlier seeds of the same name.

mod synthetic;

use relationship_evaluator::model::{Design, Relationship};
use relationship_evaluator::{EngineOptions, Evaluator};
use serde_json::Value;
use std::path::{Path, PathBuf};
use synthetic::{load_definitions, DEFAULT_SEED};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/meshery");

fn write(folder: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(folder).unwrap_or_else(|e| panic!("cannot create {}: {e}", folder.display()));
    let path = folder.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The fixture designs as compact JSON, by file stem, in name order.
fn fixture_designs() -> Vec<(String, String)> {
    let folder = Path::new(FIXTURES).join("designs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().replace('.', "-");
            (stem, value.to_string())
        })
        .collect()
}

/// `design \0 definitions \0 options`, the input layout of the `evaluate_design` target.
fn evaluate_input(design: &str, definitions: Option<&str>, options: Option<&str>) -> Vec<u8> {
    let mut bytes = design.as_bytes().to_vec();
    for part in [definitions, options].into_iter().flatten() {
        bytes.push(0);
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

fn evaluate_design_seeds(folder: &Path, designs: &[(String, String)], definitions: &[Relationship]) {
    let all: Vec<&Value> = definitions.iter().map(|d| &*d.0).collect();
    let all = serde_json::to_string(&all).expect("definitions serialize");
    for (name, design) in designs {
        write(folder, name, &evaluate_input(design, None, None));
        write(folder, &format!("{name}+definitions"), &evaluate_input(design, Some(&all), None));
        write(
            folder,
            &format!("{name}+options"),
            &evaluate_input(design, Some("[]"), Some(r#"{"returnDiffOnly":true,"maxPasses":2}"#)),
        );
    }
    // The smallest design with one definition at a time: small inputs that still exercise
    // definition parsing and every policy.
    if let Some((name, design)) = designs.iter().min_by_key(|(_, design)| design.len()) {
        for (i, definition) in definitions.iter().enumerate() {
            let one = Value::Array(vec![(*definition.0).clone()]).to_string();
            write(folder, &format!("{name}+definition-{i:02}"), &evaluate_input(design, Some(&one), None));
        }
    }
}

/// The structured input of `edit_batches` is decoded by `arbitrary`, so any bytes are a valid
/// input; a few deterministic pseudo-random ones (splitmix64) start it off with several
/// components and batches instead of the empty input.
fn edit_batches_seeds(folder: &Path) {
    let mut state = DEFAULT_SEED;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for (i, size) in [64usize, 128, 256, 512, 1024, 2048].into_iter().enumerate() {
        let bytes: Vec<u8> = (0..size).map(|_| next() as u8).collect();
        write(folder, &format!("random-{i}"), &bytes);
    }
}

fn snapshot_seeds(folder: &Path, designs: &[(String, String)], definitions: &[Relationship]) {
    let write_snapshots = |name: &str, evaluator: &Evaluator| {
        let snapshot = evaluator.snapshot();
        write(folder, &format!("{name}.msgpack"), &snapshot.to_msgpack());
        write(folder, &format!("{name}.json"), snapshot.to_json().as_bytes());
    };
    write_snapshots("empty", &Evaluator::new(Vec::new(), EngineOptions::default()));

    // Small, so mutations are cheap: a generated design under the namespace definitions and one
    // network definition only.
    let inventory = definitions.iter().filter(|d| d.is("hierarchical", "parent", Some("inventory")));
    let network = definitions.iter().find(|d| d.is("edge", "non-binding", Some("network")));
    let few: Vec<Relationship> = inventory.chain(network).cloned().collect();
    let mut small = Evaluator::new(few, EngineOptions::default());
    let design = Design::from_value(synthetic::design(8, DEFAULT_SEED), &Default::default()).expect("generated design");
    small.load_design(design).expect("generated design evaluates");
    write_snapshots("small", &small);

    for (name, design) in designs {
        let mut evaluator = Evaluator::new(definitions.to_vec(), EngineOptions::default());
        let loaded = Design::from_json(design, &Default::default()).and_then(|design| evaluator.load_design(design));
        if loaded.is_ok() {
            write_snapshots(name, &evaluator);
        }
    }
}

fn main() {
    let Some(output) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fuzz_seeds <output dir>");
        std::process::exit(2);
    };
    let definitions = load_definitions(&Path::new(FIXTURES).join("relationships/kubernetes")).expect("definitions");
    let designs = fixture_designs();
    evaluate_design_seeds(&output.join("evaluate_design"), &designs, &definitions);
    edit_batches_seeds(&output.join("edit_batches"));
    snapshot_seeds(&output.join("snapshot_restore"), &designs, &definitions);
}
