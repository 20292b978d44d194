//! A JSON value for serialisers other than serde_json's. serde_json keeps numbers as their text
//! (`arbitrary_precision`), which serde sees as a map from a private key; MessagePack encoders and
//! JS-value converters would write that map. `NativeNumbers` hands them integers and floats.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Serialises the value with each number as `u64`, `i64` or `f64` (the nearest double; a number
/// past a double's range is an error, since no such serialiser can hold it).
pub struct NativeNumbers<'a>(pub &'a Value);

impl Serialize for NativeNumbers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => serializer.serialize_u64(u),
                (None, Some(i), _) => serializer.serialize_i64(i),
                (None, None, Some(f)) => serializer.serialize_f64(f),
                (None, None, None) => {
                    Err(serde::ser::Error::custom(format!("the number {n} is past a double's range")))
                }
            },
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                items.iter().try_for_each(|item| seq.serialize_element(&NativeNumbers(item)))?;
                seq.end()
            }
            Value::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                entries.iter().try_for_each(|(key, value)| map.serialize_entry(key, &NativeNumbers(value)))?;
                map.end()
            }
            other => other.serialize(serializer),
        }
    }
}
