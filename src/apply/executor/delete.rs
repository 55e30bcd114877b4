//! A retired domain's deletion (`apply --prune`): its ownership tag is read again, so that a
//! domain someone took over since the plan is never deleted, then DeleteDomain. CodeArtifact
//! deletes only a domain without repositories; it answers 409 otherwise, reported as such.

use super::{Call, Done, Run, failed, with_error};
use crate::apply::outcome::{Cause, DomainReport, ErrorInfo, Outcome};
use crate::aws::{CallError, ErrorKind};
use crate::observe::list_tags_once;
use crate::plan::StepKind;

impl Run<'_> {
    pub(super) async fn delete(
        &self,
        call: &Call<'_>,
        tag: &str,
        value: &str,
        mut report: DomainReport,
    ) -> Done {
        let Some(arn) = report.arn.clone() else {
            let e = CallError::new(ErrorKind::Other, "the plan has no ARN for this domain");
            return Done::of(with_error(report, Outcome::Failed, (&e).into()));
        };
        let tags = self.read(call, || list_tags_once(call.clients, &arn)).await;
        report.attempts += tags.attempts;
        match tags.result {
            // Gone already: what the deletion wanted.
            Err(e) if e.kind == ErrorKind::NotFound => return gone(report),
            Err(e) => return failed(report, e),
            Ok(tags) if tags.get(tag).map(String::as_str) != Some(value) => {
                let info = ErrorInfo {
                    kind: Cause::NotOwned,
                    code: None,
                    message: format!(
                        "not deleted: it no longer carries the ownership tag {tag}={value}; add it to the manifest, or tag it again to have it pruned"
                    ),
                };
                return Done::of(with_error(report, Outcome::Failed, info));
            }
            Ok(_) => {}
        }
        let codeartifact = call.clients.codeartifact();
        let address = &call.entry.address;
        let deleted = self
            .write(call, || async {
                codeartifact
                    .delete_domain()
                    .domain(&address.name)
                    .domain_owner(address.account.as_str())
                    .send()
                    .await?;
                Ok(())
            })
            .await;
        report.attempts += deleted.attempts;
        match deleted.result {
            Ok(()) => {
                report.steps.push(StepKind::Delete);
                report.outcome = Outcome::Deleted;
                Done::of(report)
            }
            // A retry after an answer that was lost finds it gone: deleted all the same.
            Err(e) if e.kind == ErrorKind::NotFound => gone(report),
            Err(e) if e.kind == ErrorKind::Conflict => {
                let message = format!(
                    "not deleted: it still holds repositories ({}); CodeArtifact deletes only an empty domain: delete or move its repositories (provision never deletes them), then apply --prune again",
                    e.message
                );
                let info = ErrorInfo::call(&e, message);
                Done::of(with_error(report, Outcome::Failed, info))
            }
            Err(e) => failed(report, e),
        }
    }
}

fn gone(mut report: DomainReport) -> Done {
    report.steps.push(StepKind::Delete);
    report.outcome = Outcome::Deleted;
    Done::of(report)
}
