//! KMS DescribeKey: what a key reference resolves to, and whether CodeArtifact can use it.

use super::live::KeyState;
use crate::aws::{CallError, Clients, ErrorKind};
use crate::call::Environment;
use crate::model::TargetKey;

/// DescribeKey through the gate (observe's reads).
pub async fn describe_key(
    env: &Environment,
    clients: &Clients,
    key: &TargetKey,
    key_ref: &str,
) -> Result<KeyState, CallError> {
    env.gate
        .read(key, || describe_key_once(clients, key_ref))
        .await
}

/// One DescribeKey call, its answer as a key state (a missing key is a state, not an error).
pub async fn describe_key_once(clients: &Clients, key_ref: &str) -> Result<KeyState, CallError> {
    let result: Result<_, CallError> = clients
        .kms()
        .describe_key()
        .key_id(key_ref)
        .send()
        .await
        .map_err(Into::into);
    match result {
        Ok(out) => {
            let Some(meta) = out.key_metadata() else {
                return Ok(KeyState::NotFound);
            };
            let arn = meta.arn().unwrap_or_default().to_string();
            let spec = meta
                .key_spec()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
            let usage = meta
                .key_usage()
                .map(|u| u.as_str())
                .unwrap_or("ENCRYPT_DECRYPT");
            if spec == "SYMMETRIC_DEFAULT" && usage == "ENCRYPT_DECRYPT" {
                Ok(KeyState::Symmetric { arn })
            } else {
                Ok(KeyState::Unusable {
                    arn,
                    spec: format!("{spec}/{usage}"),
                })
            }
        }
        Err(e) if e.kind == ErrorKind::NotFound => Ok(KeyState::NotFound),
        Err(e) => Err(e),
    }
}
