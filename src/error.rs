//! The one error type of the evaluator: a stable code, a message for people and the JSON path
//! (RFC 6901 pointer) of the field that caused it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable, machine-readable error codes. The same strings are used by the wasm boundary and the
/// TypeScript layer, so callers can branch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "CoreErrorCode"))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The input is not syntactically valid JSON (or YAML where accepted).
    InvalidJson,
    /// An object of the input names the same key twice; the path is the second one.
    DuplicateKey,
    /// A field has the wrong JSON type (e.g. a number where a string is required).
    InvalidType,
    /// A required field is absent.
    MissingField,
    /// Two components or two relationships share an id.
    DuplicateId,
    /// An edit or an option names a component or relationship that does not exist.
    UnknownId,
    /// A parent chain or an alias chain loops back on itself.
    Cycle,
    /// A configured size limit (components, relationships, depth, string size, passes) was exceeded.
    LimitExceeded,
    /// The same sequence of actions keeps alternating between evaluations (Meshery's
    /// `meshery-server-1378`).
    Flapping,
    /// A snapshot could not be read (truncated, corrupt, or of an unsupported version).
    InvalidSnapshot,
    /// The option object holds an unknown option or a bad value.
    InvalidOption,
    /// An invariant of the evaluator itself failed; this is a bug, reported instead of a panic.
    Internal,
    /// A panic happened earlier in this WebAssembly instance; its memory can no longer be trusted,
    /// so every call fails until the instance is replaced.
    Poisoned,
    /// Meshery's contract was asked to evaluate before `init` gave it definitions.
    NotInitialized,
}

impl ErrorCode {
    /// The code as it appears on the wire (`"INVALID_TYPE"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "INVALID_JSON",
            ErrorCode::DuplicateKey => "DUPLICATE_KEY",
            ErrorCode::InvalidType => "INVALID_TYPE",
            ErrorCode::MissingField => "MISSING_FIELD",
            ErrorCode::DuplicateId => "DUPLICATE_ID",
            ErrorCode::UnknownId => "UNKNOWN_ID",
            ErrorCode::Cycle => "CYCLE",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::Flapping => "FLAPPING",
            ErrorCode::InvalidSnapshot => "INVALID_SNAPSHOT",
            ErrorCode::InvalidOption => "INVALID_OPTION",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::Poisoned => "POISONED",
            ErrorCode::NotInitialized => "NOT_INITIALIZED",
        }
    }
}

/// An evaluation error: `code` for programs, `message` for people, `path` (a JSON pointer such as
/// `/components/3/id`, empty for the whole input) for the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub path: String,
}

impl Error {
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), path: path.into() }
    }

    /// The same error, with `prefix` put in front of its path (used when a nested decoder reports
    /// a path relative to its own value).
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = format!("{prefix}{}", self.path);
        self
    }

    /// The error as the JSON object `{"code", "message", "path"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{\"code\":\"INTERNAL\"}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code.as_str(), self.message)
        } else {
            write!(f, "{} at {}: {}", self.code.as_str(), self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Result type of the evaluator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON-pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Maps a JSON syntax error to `INVALID_JSON` (or `LIMIT_EXCEEDED` for serde_json's nesting
/// limit), with the line and column in the message.
pub fn json_error(error: serde_json::Error) -> Error {
    let message = error.to_string();
    if message.starts_with("recursion limit exceeded") {
        return Error::new(
            ErrorCode::LimitExceeded,
            "",
            format!("maxDepth: the input nests 128 levels or deeper ({message})"),
        );
    }
    Error::new(ErrorCode::InvalidJson, "", message)
}
