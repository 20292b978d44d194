//! Prints a generated Kubernetes design of N components (`examples/synthetic/`) as
//! JSON on stdout, for benchmarks outside Rust (e.g. `benches/js/wasm-boundary.mjs`).
//!
//! ```text
//! cargo run --release --example generate-design -- 10000 [--seed 42] > design.json
//! ```

mod synthetic;

use synthetic::DEFAULT_SEED;

fn main() {
    let mut size = None;
    let mut seed = DEFAULT_SEED;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).expect("--seed <u64>"),
            n => size = Some(n.replace(['_', ','], "").parse::<usize>().expect("a component count")),
        }
    }
    let design = synthetic::design(size.expect("usage: generate-design N [--seed S]"), seed);
    println!("{}", serde_json::to_string(&design).expect("serialisable"));
}
