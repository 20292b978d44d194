//! Reading and comparing JSON values the way Meshery's engine does (spec §6.4–§6.5), one idea per
//! file: paths (`path`), equality and the match strategies (`compare`), Go's renderings
//! (`go_format`), the crate's sorts (`sort`), and values for serialisers other than serde_json's
//! (`native_numbers`).

mod compare;
mod go_format;
#[cfg(any(feature = "internals", feature = "boundary-bench"))]
mod native_numbers;
mod path;
mod sort;

pub use compare::*;
pub use go_format::*;
#[cfg(any(feature = "internals", feature = "boundary-bench"))]
pub use native_numbers::NativeNumbers;
pub use path::*;
pub use sort::*;
