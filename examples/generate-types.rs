//! Prints the npm package's TypeScript declarations generated from the Rust types
//! (`relationship_evaluator::typescript`). Run it through `scripts/generate-types.sh`, which turns
//! on the `typescript` feature it needs, formats the output and writes it to
//! `js/generated/types.ts` (or, with `--check`, fails when that file differs).

use std::io::Write;

fn main() {
    let declarations = relationship_evaluator::typescript::declarations();
    std::io::stdout().lock().write_all(declarations.as_bytes()).expect("stdout");
}
