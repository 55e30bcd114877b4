//! The caller's own account, from STS: what a domain that names no account (or a bare id
//! reached with the caller's credentials) resolves against.

use super::error::ResolveError;
use crate::call::Environment;
use crate::model::TargetKey;

/// The caller's account id, asked in `region` through the gate.
pub async fn caller_account(env: &Environment, region: &str) -> Result<String, ResolveError> {
    let sts = aws_sdk_sts::Client::new(&env.connection.caller(region).await);
    // The caller is not a target; its calls are paced under a key of their own.
    let key = TargetKey::new("caller", region);
    env.gate
        .read(&key, || async {
            let out = sts.get_caller_identity().send().await?;
            Ok(out.account().unwrap_or_default().to_string())
        })
        .await
        .map_err(|error| ResolveError::Caller {
            region: region.into(),
            error,
        })
}
