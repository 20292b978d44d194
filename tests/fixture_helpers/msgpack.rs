//! MessagePack of a JSON value as rmp-serde writes it with numbers as MessagePack integers and
//! floats: the reference the snapshot codec is checked against, and how tests craft snapshot
//! bytes that the codec itself would refuse to write. (serde_json keeps numbers as their text
//! here, which serde sees as a map from a private key, so `rmp_serde::to_vec_named(&value)`
//! would write that map instead.) Shared with the unit tests of `src/evaluator/snapshot.rs`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

pub fn to_msgpack(value: &Value) -> Vec<u8> {
    rmp_serde::to_vec_named(&NativeNumbers(value)).expect("rmp-serde encodes JSON values")
}

struct NativeNumbers<'a>(&'a Value);

impl Serialize for NativeNumbers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => serializer.serialize_u64(u),
                (None, Some(i), _) => serializer.serialize_i64(i),
                (None, None, f) => serializer.serialize_f64(f.expect("a number within f64's range")),
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
