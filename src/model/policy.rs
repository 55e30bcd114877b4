//! Domain permission policies: the rules the manifest, the diff and apply share. A policy is a
//! JSON object; two documents are the same policy when they parse to the same value (key order
//! and whitespace do not matter), and a policy is shown and sent in one canonical form.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// What `share_with_organization` grants the organisation (`publish` may come later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationShare {
    Read,
}

impl OrganizationShare {
    /// The policy document this share stands for in the organisation `organization_id`.
    pub fn document(self, organization_id: &str) -> Value {
        match self {
            OrganizationShare::Read => organization_read(organization_id),
        }
    }
}

/// CodeArtifact's limit on a policy document (`policyDocument`: 1..7168 characters).
pub const MAX_POLICY_BYTES: usize = 7168;

/// What `share_with_organization: read` grants every principal of the organisation.
pub const ORGANIZATION_READ_ACTIONS: [&str; 5] = [
    "codeartifact:DescribeDomain",
    "codeartifact:GetAuthorizationToken",
    "codeartifact:GetRepositoryEndpoint",
    "codeartifact:ListRepositoriesInDomain",
    "codeartifact:ReadFromRepository",
];

/// The document `share_with_organization: read` stands for: read access for principals whose
/// `aws:PrincipalOrgID` is `organization_id`.
pub fn organization_read(organization_id: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReadForTheOrganization",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ORGANIZATION_READ_ACTIONS,
            "Resource": "*",
            "Condition": { "StringEquals": { "aws:PrincipalOrgID": organization_id } }
        }]
    })
}

/// Pretty JSON with every object's keys sorted: how a policy is sent, saved in a plan and shown.
pub fn canonical(document: &Value) -> String {
    serde_json::to_string_pretty(&sorted(document)).unwrap_or_default()
}

/// The canonical form of a document's text, or `None` when it is not JSON.
pub fn canonical_text(document: &str) -> Option<String> {
    serde_json::from_str::<Value>(document)
        .ok()
        .map(|v| canonical(&v))
}

/// Whether two documents are the same policy: equal as JSON values. A text that is not JSON
/// equals only the very same text.
pub fn same_policy(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<Value>(a),
        serde_json::from_str::<Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The value with its objects' keys in order, whatever map serde_json was built with.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sorted(&map[k]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"x"}]}"#;
        let b = "{\n  \"Statement\": [ { \"Action\": \"x\",\n \"Effect\": \"Allow\" } ],\n  \"Version\": \"2012-10-17\"\n}";
        assert!(same_policy(a, b));
        assert_eq!(canonical_text(a), canonical_text(b));
    }

    #[test]
    fn values_and_list_order_do_matter() {
        let a = r#"{"Action":["a","b"]}"#;
        assert!(!same_policy(a, r#"{"Action":["b","a"]}"#));
        assert!(!same_policy(a, r#"{"Action":["a","c"]}"#));
        assert!(!same_policy("not json", "not  json"));
        assert!(same_policy("not json", "not json"));
    }

    #[test]
    fn canonical_form_sorts_keys_at_every_level() {
        let v: Value = serde_json::from_str(r#"{"b":{"z":1,"a":2},"a":[{"y":1,"x":2}]}"#).unwrap();
        assert_eq!(
            canonical(&v),
            "{\n  \"a\": [\n    {\n      \"x\": 2,\n      \"y\": 1\n    }\n  ],\n  \"b\": {\n    \"a\": 2,\n    \"z\": 1\n  }\n}"
        );
    }

    #[test]
    fn the_organization_shorthand_names_the_organization_and_fits() {
        let text = canonical(&organization_read("o-abc123"));
        assert!(
            text.contains("\"aws:PrincipalOrgID\": \"o-abc123\""),
            "{text}"
        );
        assert!(text.contains("codeartifact:ReadFromRepository"));
        assert!(text.len() <= MAX_POLICY_BYTES);
    }
}
