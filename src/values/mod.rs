//! Reading and comparing JSON values the way Meshery's engine does (spec §6.4–§6.5), one idea per
//! file: paths (`path`), equality and the match strategies (`compare`), Go's renderings
//! (`go_format`), and the crate's sorts (`sort`).

mod compare;
mod go_format;
mod path;
mod sort;

pub use compare::*;
pub use go_format::*;
pub use path::*;
pub use sort::*;
