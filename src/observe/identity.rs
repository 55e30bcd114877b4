//! Ask STS who a target's credentials are; anything but the target's own account is refused.
//! Asked once per account and way in: an account's targets in several Regions share the answer.
//! Role credentials already name their account, as STS issued them; others are asked with
//! GetCallerIdentity.

use super::error::TargetProblem;
use crate::aws::{CallError, Clients};
use crate::call::Environment;
use crate::model::{Target, TargetCredentials};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

type Answer = Arc<OnceCell<Result<String, CallError>>>;

/// The answers of one observation, by account and credentials.
#[derive(Default)]
pub struct Identities(Mutex<HashMap<(String, TargetCredentials), Answer>>);

impl Identities {
    pub async fn verify(
        &self,
        env: &Environment,
        clients: &Clients,
        t: &Target,
    ) -> Result<(), TargetProblem> {
        let key = t.key();
        let answer = {
            let mut asked = self.0.lock().unwrap_or_else(|p| p.into_inner());
            let place = (t.account.to_string(), t.credentials.clone());
            asked.entry(place).or_default().clone()
        };
        let actual = answer
            .get_or_init(|| async {
                env.gate
                    .read(&key, || async {
                        // A role's credentials name their account (STS said so when it issued
                        // them): asking again would cost every account one more call.
                        if matches!(t.credentials, TargetCredentials::AssumeRole { .. })
                            && let Some(account) = clients.issued_for().await?
                        {
                            return Ok(account);
                        }
                        let out = clients.sts().get_caller_identity().send().await?;
                        Ok(out.account().unwrap_or_default().to_string())
                    })
                    .await
            })
            .await
            .clone()
            .map_err(|error| TargetProblem::Call {
                target: key.clone(),
                operation: match t.credentials {
                    TargetCredentials::AssumeRole { .. } => "sts:AssumeRole",
                    _ => "sts:GetCallerIdentity",
                },
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
}
