//! Input checks as the service model constrains them, with the `ValidationException` messages AWS uses.

use crate::error::ApiError;
use crate::service::Call;
use serde_json::{Map, Value};

/// AWS's standard wording for a constraint failure.
fn failed(field: &str, constraint: &str) -> ApiError {
    ApiError::field_validation(format!(
        "1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}"
    ))
}

/// `DomainName`: 2–50 characters, the model's pattern anchored at both ends.
pub fn domain_name(field: &str, value: Option<&str>) -> Result<String, ApiError> {
    let Some(name) = value else {
        return Err(failed(field, "Member must not be null"));
    };
    let len = name.chars().count();
    if !(2..=50).contains(&len) {
        return Err(failed(field, "Member must have length between 2 and 50"));
    }
    let bytes = name.as_bytes();
    let last = bytes[bytes.len() - 1];
    let ok = bytes[0].is_ascii_lowercase()
        && (last.is_ascii_lowercase() || last.is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    if !ok {
        return Err(failed(
            field,
            "Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]{0,48}[a-z0-9]",
        ));
    }
    Ok(name.to_string())
}

/// `domain-owner`: when given, 12 digits, and (no cross-account policies here) the caller's own account.
pub fn owner(call: &Call, field: &str, value: Option<&str>) -> Result<(), ApiError> {
    let Some(owner) = value else { return Ok(()) };
    if owner.len() != 12 || !owner.bytes().all(|b| b.is_ascii_digit()) {
        return Err(failed(
            field,
            "Member must satisfy regular expression pattern: [0-9]{12}",
        ));
    }
    if owner != call.account {
        return Err(ApiError::new(
            403,
            "AccessDeniedException",
            format!(
                "User: {} is not authorized to access a domain owned by {owner}",
                call.caller_arn
            ),
        ));
    }
    Ok(())
}

/// Characters outside Unicode's `C` (control, format, surrogate, private, unassigned) classes,
/// approximated by control characters and the common invisible format characters.
fn is_c_class(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
        || ('\u{e000}'..='\u{f8ff}').contains(&c)
}

pub fn tag_key(field: &str, key: &str) -> Result<(), ApiError> {
    let len = key.chars().count();
    if !(1..=128).contains(&len) {
        return Err(failed(field, "Member must have length between 1 and 128"));
    }
    if key.chars().any(is_c_class) {
        return Err(failed(
            field,
            "Member must satisfy regular expression pattern: \\P{C}+",
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(ApiError::field_validation(format!(
            "Tag key '{key}' uses the reserved prefix 'aws:'"
        )));
    }
    Ok(())
}

/// `TagList` in a JSON body: at most 200 `{key, value}` objects with distinct keys.
pub fn tags(body: &Map<String, Value>, required: bool) -> Result<Vec<(String, String)>, ApiError> {
    let list = match body.get("tags") {
        None | Some(Value::Null) if required => {
            return Err(failed("tags", "Member must not be null"));
        }
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(ApiError::validation(
                "CANNOT_PARSE",
                "`tags` must be a list",
            ));
        }
    };
    if list.len() > 200 {
        return Err(failed(
            "tags",
            "Member must have length less than or equal to 200",
        ));
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(list.len());
    for (i, tag) in list.iter().enumerate() {
        let (Some(key), Some(value)) = (
            tag.get("key").and_then(Value::as_str),
            tag.get("value").and_then(Value::as_str),
        ) else {
            return Err(ApiError::validation(
                "CANNOT_PARSE",
                format!(
                    "tags.{} must be an object with string `key` and `value`",
                    i + 1
                ),
            ));
        };
        tag_key(&format!("tags.{}.member.key", i + 1), key)?;
        if value.chars().count() > 256 {
            return Err(failed(
                &format!("tags.{}.member.value", i + 1),
                "Member must have length less than or equal to 256",
            ));
        }
        if value.chars().any(is_c_class) {
            return Err(failed(
                &format!("tags.{}.member.value", i + 1),
                "Member must satisfy regular expression pattern: \\P{C}*",
            ));
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(ApiError::field_validation(format!(
                "Duplicate tag key '{key}'"
            )));
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}

/// `resourceArn` of a domain in the caller's account and Region → the domain's name.
pub fn domain_arn(call: &Call) -> Result<String, ApiError> {
    let Some(arn) = call.query("resourceArn").filter(|a| !a.is_empty()) else {
        return Err(failed("resourceArn", "Member must not be null"));
    };
    if arn.len() > 1011 || arn.chars().any(char::is_whitespace) {
        return Err(failed(
            "resourceArn",
            "Member must satisfy regular expression pattern: \\S+",
        ));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(ApiError::field_validation(format!("Invalid ARN: {arn}")));
    };
    if *prefix != "arn" || !partition.starts_with("aws") || *service != "codeartifact" {
        return Err(ApiError::field_validation(format!(
            "Invalid CodeArtifact ARN: {arn}"
        )));
    }
    if *region != call.region || *account != call.account {
        return Err(ApiError::new(
            403,
            "AccessDeniedException",
            format!(
                "User: {} is not authorized to access {arn}",
                call.caller_arn
            ),
        ));
    }
    match resource.strip_prefix("domain/") {
        Some(name) => domain_name("resourceArn", Some(name)),
        None => Err(ApiError::not_found(
            "domain",
            arn,
            format!("Resource {arn} does not exist"),
        )),
    }
}

pub fn is_json_object(document: &str) -> bool {
    matches!(
        serde_json::from_str::<Value>(document),
        Ok(Value::Object(_))
    )
}
