//! MessagePack of a JSON value as rmp-serde writes it, numbers as MessagePack integers and floats:
//! the reference the snapshot codec is checked against, and how tests craft snapshot bytes that
//! the codec itself would refuse to write.

use relationship_evaluator::values::NativeNumbers;
use serde_json::Value;

pub fn to_msgpack(value: &Value) -> Vec<u8> {
    rmp_serde::to_vec_named(&NativeNumbers(value)).expect("rmp-serde encodes JSON values")
}
