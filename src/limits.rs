//! Caps on input size, with safe defaults. Exceeding one is a `LIMIT_EXCEEDED` error that names
//! the limit; nothing is truncated silently.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// Configurable input limits. The defaults are far above real designs (Meshery's largest catalog
/// designs have a few hundred components) and far below what would exhaust a browser tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Components in one design.
    pub max_components: usize,
    /// Relationships in one design.
    pub max_relationships: usize,
    /// Relationship definitions registered at once.
    pub max_definitions: usize,
    /// Bytes of one JSON input text.
    pub max_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_components: 200_000,
            max_relationships: 1_000_000,
            max_definitions: 100_000,
            max_input_bytes: 512 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Fails with `LIMIT_EXCEEDED` naming `limit` when `count > max`.
    pub fn check_count(&self, limit: &str, path: &str, count: usize, max: usize) -> Result<()> {
        if count > max {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                path,
                format!("{limit}: {count} exceeds the limit of {max}"),
            ));
        }
        Ok(())
    }

    /// Fails when an input text is larger than `maxInputBytes`.
    pub fn check_input_size(&self, bytes: usize) -> Result<()> {
        self.check_count("maxInputBytes", "", bytes, self.max_input_bytes)
    }
}
