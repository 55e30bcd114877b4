//! GetDomainPermissionsPolicy: a domain's policy and its revision (none is a state, not an error).

use super::live::LivePolicy;
use crate::aws::{CallError, Clients, ErrorKind};
use crate::call::Environment;
use crate::model::Target;

/// The policy of domain `name` in `t`, through the gate (observe's reads); `None` when it has none.
pub async fn get_policy(
    env: &Environment,
    clients: &Clients,
    t: &Target,
    name: &str,
) -> Result<Option<LivePolicy>, CallError> {
    let result = env
        .gate
        .read(&t.key(), || async {
            let out = clients
                .codeartifact()
                .get_domain_permissions_policy()
                .domain(name)
                .domain_owner(t.account.as_str())
                .send()
                .await?;
            Ok(out.policy().map(|p| LivePolicy {
                revision: p.revision().map(str::to_string),
                document: p.document().unwrap_or_default().to_string(),
            }))
        })
        .await;
    match result {
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        other => other,
    }
}
