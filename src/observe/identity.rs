//! Ask STS who a target's credentials are; anything but the target's own account is refused.

use super::error::TargetProblem;
use crate::aws::Clients;
use crate::call::Environment;
use crate::model::Target;

pub async fn verify_identity(
    env: &Environment,
    clients: &Clients,
    t: &Target,
) -> Result<(), TargetProblem> {
    let key = t.key();
    let actual = env
        .gate
        .read(&key, || async {
            let out = clients.sts.get_caller_identity().send().await?;
            Ok(out.account().unwrap_or_default().to_string())
        })
        .await
        .map_err(|error| TargetProblem::Call {
            target: key.clone(),
            operation: "sts:GetCallerIdentity",
            error,
        })?;
    if t.account == actual.as_str() {
        Ok(())
    } else {
        Err(TargetProblem::WrongAccount {
            target: key,
            actual,
        })
    }
}
