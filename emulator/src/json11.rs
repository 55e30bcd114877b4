//! Reading JSON 1.1 requests (KMS, Organizations): the operation `X-Amz-Target` names, and the
//! body's members with the type checks the services' deserialisers make.

use crate::error::ApiError;
use serde_json::{Map, Value};

/// The operation `X-Amz-Target` names after `prefix`, or the answer to one not served here.
pub fn operation<T>(
    headers: &hyper::http::HeaderMap,
    prefix: &str,
    named: impl FnOnce(&str) -> Option<T>,
) -> Result<T, ApiError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    target.strip_prefix(prefix).and_then(named).ok_or_else(|| {
        ApiError::new(
            400,
            "UnknownOperationException",
            format!("Operation {target} is not supported by this endpoint"),
        )
    })
}

/// The JSON body: a member of the wrong JSON type is a `SerializationException`, `null` is
/// the same as absent.
pub struct Input(Map<String, Value>);

pub fn serialization(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "SerializationException", message)
}

impl Input {
    pub fn parse(body: &[u8]) -> Result<Self, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(Map::new()));
        }
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(serialization("The request body must be a JSON object")),
            Err(e) => Err(serialization(format!("Malformed JSON request body: {e}"))),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn str(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(serialization(format!("{name} must be a string"))),
        }
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| serialization(format!("{name} must be an integer"))),
        }
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(serialization(format!("{name} must be a boolean"))),
        }
    }
}

/// Pagination tokens are opaque to clients; one names the last item returned (not an offset),
/// so that a page stays correct when items are added or removed between requests.
pub fn encode_token(last: &str) -> String {
    format!("{TOKEN_PREFIX}{}", hex::encode(last))
}

/// The last item a token names; `None` for anything this endpoint did not hand out.
pub fn decode_token(token: &str) -> Option<String> {
    let bytes = hex::decode(token.strip_prefix(TOKEN_PREFIX)?).ok()?;
    String::from_utf8(bytes).ok()
}

const TOKEN_PREFIX: &str = "v1.";
