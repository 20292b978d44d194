//! Prints the malformed-input corpus of issue #6 (`tests/malformed/corpus.rs`) as JSON on stdout,
//! for the Node test that runs it through the WebAssembly package and the JavaScript engine
//! (`tests/js/node/malformed-corpus.test.mjs`, which runs this example itself). Big inputs are generators, so the output stays under a megabyte.
//!
//! ```text
//! cargo run --example malformed-corpus > target/malformed-corpus.json
//! ```

#[path = "../tests/malformed/corpus.rs"]
mod corpus;
#[path = "../tests/fixture_helpers/mod.rs"]
mod fixture_helpers;

use std::io::Write;

fn main() {
    let mut corpus = corpus::build();
    corpus.fill_digests();
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(corpus.to_json().as_bytes()).expect("stdout");
    stdout.write_all(b"\n").expect("stdout");
}
