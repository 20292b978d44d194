//! Snapshots of an evaluator: MessagePack (compact, for persistence and worker restarts) and JSON
//! (readable, for export), both versioned so an old snapshot is read or refused, never misread.

use crate::error::{Error, ErrorCode, Result};
use crate::options::EngineOptions;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Identifies our snapshots among other MessagePack or JSON documents.
pub const SNAPSHOT_FORMAT: &str = "meshery-relationship-evaluator/snapshot";
/// The snapshot layout this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// Everything an evaluator needs to continue exactly where it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    pub revision: u64,
    pub options: EngineOptions,
    pub definitions: Vec<Value>,
    pub design: Value,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// MessagePack nesting allowed in a snapshot (the design's own JSON is limited to 128 as well).
const MAX_MSGPACK_DEPTH: usize = 128;

fn decode_msgpack<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> std::result::Result<T, rmp_serde::decode::Error> {
    let mut decoder = rmp_serde::Deserializer::from_read_ref(bytes);
    decoder.set_max_depth(MAX_MSGPACK_DEPTH);
    T::deserialize(&mut decoder)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidSnapshot, "", message)
}

fn check_header(header: Header) -> Result<()> {
    if header.format.as_deref() != Some(SNAPSHOT_FORMAT) {
        return Err(invalid("not an evaluator snapshot (missing or wrong format tag)"));
    }
    match header.version {
        Some(SNAPSHOT_VERSION) => Ok(()),
        Some(version) => Err(invalid(format!(
            "snapshot version {version} is not supported (this build reads version {SNAPSHOT_VERSION})"
        ))),
        None => Err(invalid("snapshot has no version")),
    }
}

impl Snapshot {
    /// MessagePack bytes (maps with field names, so the header can be read alone).
    pub fn to_msgpack(&self) -> Vec<u8> {
        rmp_serde::to_vec_named(self).unwrap_or_default()
    }

    /// Reads MessagePack bytes: the header first, then the body of a supported version. Nesting
    /// is capped like JSON input's (128 levels), so hostile bytes cannot exhaust the stack.
    pub fn from_msgpack(bytes: &[u8]) -> Result<Snapshot> {
        let header: Header = decode_msgpack(bytes).map_err(|e| invalid(format!("unreadable snapshot: {e}")))?;
        check_header(header)?;
        decode_msgpack(bytes).map_err(|e| invalid(format!("corrupt snapshot: {e}")))
    }

    /// JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads JSON text.
    pub fn from_json(text: &str) -> Result<Snapshot> {
        let value: Value = serde_json::from_str(text).map_err(crate::error::json_error)?;
        let header: Header = serde_json::from_value(value.clone()).map_err(|e| invalid(format!("unreadable snapshot: {e}")))?;
        check_header(header)?;
        serde_json::from_value(value).map_err(|e| invalid(format!("corrupt snapshot: {e}")))
    }
}
