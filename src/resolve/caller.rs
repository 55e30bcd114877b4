//! The caller's identity, from STS: what a domain that names no account (or a bare id reached
//! with the caller's credentials) resolves against, and the partition of discovered accounts' roles.

use super::error::ResolveError;
use crate::call::Environment;
use crate::model::TargetKey;

/// Who the caller's credentials act as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
    /// `aws`, `aws-cn`, `aws-us-gov`: from the caller's ARN.
    pub partition: String,
}

impl Caller {
    /// A caller known without asking (tests, and offline resolution).
    pub fn new(account: &str) -> Self {
        Self {
            account: account.to_string(),
            partition: "aws".into(),
        }
    }
}

/// The caller's identity, asked in `region` through the gate.
pub async fn caller_identity(env: &Environment, region: &str) -> Result<Caller, ResolveError> {
    let sts = crate::aws::wire::sts(&env.connection.caller(region).await);
    // The caller is not a target; its calls are paced under a key of their own.
    let key = TargetKey::new("caller", region);
    env.gate
        .read(&key, || async {
            let out = sts.get_caller_identity().send().await?;
            let partition = out
                .arn()
                .and_then(|arn| arn.split(':').nth(1))
                .filter(|p| !p.is_empty())
                .unwrap_or("aws");
            Ok(Caller {
                account: out.account().unwrap_or_default().to_string(),
                partition: partition.to_string(),
            })
        })
        .await
        .map_err(|error| ResolveError::Caller {
            region: region.into(),
            error,
        })
}
