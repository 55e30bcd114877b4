//! The create decision as a pure function: from what CreateDomain answered (after retries),
//! whether an answer was lost, what DescribeDomain said and the wanted key, to what is asked
//! next or the domain's verdict. The executor only makes the calls and asks again.

use super::outcome::Outcome;
use crate::aws::{CallError, ErrorKind};
use crate::model::{KeyDrift, key_drift};

/// Everything known so far about one create.
#[derive(Debug, Clone)]
pub struct Facts {
    /// CreateDomain after retries: the new domain's ARN, or the last error.
    pub create: Result<Option<String>, CallError>,
    /// Some attempt got no answer: our create may have been applied.
    pub answer_lost: bool,
    /// What DescribeDomain said, once asked.
    pub described: Option<Presence>,
    /// The manifest's key ARN (`None` = the AWS-managed key).
    pub named_key: Option<String>,
    /// The AWS-managed key's ARN: known from the plan, or once asked (`Ok(None)`: it does not
    /// exist yet).
    pub managed_key: Option<Result<Option<String>, CallError>>,
}

/// What DescribeDomain says of a domain whose create was not plainly answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    Present { arn: Option<String>, key: String },
    Absent,
    Unconfirmed(CallError),
}

/// A call the decision needs answered first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    DescribeDomain,
    /// KMS DescribeKey of `alias/aws/codeartifact` (describing it creates it, as CodeArtifact would).
    ManagedKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Ask(Question),
    Done(Verdict),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Created {
        arn: Option<String>,
    },
    /// There with the wanted key: its tags are reconciled next. `conflict`: CreateDomain said it
    /// exists (reported `already_present`); otherwise our own unanswered create made it.
    Present {
        arn: Option<String>,
        conflict: bool,
    },
    Drifted {
        arn: Option<String>,
        drift: KeyDrift,
    },
    /// Not as wanted, for the reason given: failed, unknown or skipped.
    Ended {
        outcome: Outcome,
        error: CallError,
    },
}

/// The outcome of a call that ended in error: interrupted calls are skipped (or unknown when a
/// write may have landed), everything else failed.
pub fn ended(e: &CallError, answer_lost: bool) -> Verdict {
    let outcome = match e.kind {
        ErrorKind::Interrupted if answer_lost || e.answer_lost => Outcome::Unknown,
        ErrorKind::Interrupted => Outcome::Skipped,
        _ => Outcome::Failed,
    };
    Verdict::Ended {
        outcome,
        error: e.clone(),
    }
}

/// The error, with a message that says what it meant here.
fn saying(e: &CallError, message: impl Into<String>) -> CallError {
    CallError {
        message: message.into(),
        ..e.clone()
    }
}

pub fn decide(f: &Facts) -> Decision {
    let e = match &f.create {
        Ok(arn) => return Decision::Done(Verdict::Created { arn: arn.clone() }),
        Err(e) => e,
    };
    let conflict = e.kind == ErrorKind::Conflict;
    let maybe_applied = f.answer_lost && e.kind != ErrorKind::Interrupted;
    if !conflict && !maybe_applied {
        return Decision::Done(ended(e, f.answer_lost));
    }
    // Already there (another run's, or ours from an attempt whose answer was lost), or maybe
    // there (the last answers were lost): DescribeDomain says which.
    let (arn, live_key) = match &f.described {
        None => return Decision::Ask(Question::DescribeDomain),
        Some(Presence::Present { arn, key }) => (arn, key),
        Some(Presence::Absent) if !conflict => return Decision::Done(ended(e, f.answer_lost)),
        Some(Presence::Absent) => {
            let error = saying(e, "the domain conflicted, then was gone: run apply again");
            return Decision::Done(Verdict::Ended {
                outcome: Outcome::Failed,
                error,
            });
        }
        Some(Presence::Unconfirmed(d)) => {
            let outcome = if conflict {
                Outcome::Failed
            } else {
                Outcome::Unknown
            };
            let message = format!("could not confirm whether it exists: {}", d.message);
            return Decision::Done(Verdict::Ended {
                outcome,
                error: saying(d, message),
            });
        }
    };
    let managed = match (&f.named_key, &f.managed_key) {
        (Some(_), _) => None,
        (None, None) => return Decision::Ask(Question::ManagedKey),
        (None, Some(Ok(m))) => m.as_deref(),
        (None, Some(Err(k))) => {
            let message = format!(
                "present, but its encryption key could not be checked: {}",
                k.message
            );
            return Decision::Done(Verdict::Ended {
                outcome: Outcome::Failed,
                error: saying(k, message),
            });
        }
    };
    let arn = arn.clone();
    match key_drift(f.named_key.as_deref(), managed, live_key) {
        Some(drift) => Decision::Done(Verdict::Drifted { arn, drift }),
        None => Decision::Done(Verdict::Present { arn, conflict }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:codeartifact:us-east-1:111122223333:domain/d";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";
    const MANAGED: &str = "arn:aws:kms:us-east-1:111122223333:key/managed";

    fn err(kind: ErrorKind) -> CallError {
        CallError::new(kind, "m")
    }

    fn facts(create: Result<Option<String>, CallError>, answer_lost: bool) -> Facts {
        Facts {
            create,
            answer_lost,
            described: None,
            named_key: None,
            managed_key: Some(Ok(Some(MANAGED.into()))),
        }
    }

    fn present(key: &str) -> Option<Presence> {
        Some(Presence::Present {
            arn: Some(ARN.into()),
            key: key.into(),
        })
    }

    fn outcome(d: Decision) -> Outcome {
        match d {
            Decision::Done(Verdict::Ended { outcome, .. }) => outcome,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_plain_success_is_created() {
        let d = decide(&facts(Ok(Some(ARN.into())), false));
        assert_eq!(
            d,
            Decision::Done(Verdict::Created {
                arn: Some(ARN.into())
            })
        );
    }

    #[test]
    fn a_plain_failure_fails_without_asking() {
        let d = decide(&facts(Err(err(ErrorKind::AccessDenied)), false));
        assert_eq!(outcome(d), Outcome::Failed);
    }

    #[test]
    fn an_interrupt_skips_or_is_unknown_when_a_write_may_have_landed() {
        assert_eq!(
            outcome(decide(&facts(Err(err(ErrorKind::Interrupted)), false))),
            Outcome::Skipped
        );
        assert_eq!(
            outcome(decide(&facts(Err(err(ErrorKind::Interrupted)), true))),
            Outcome::Unknown
        );
    }

    #[test]
    fn a_conflict_asks_describe_then_is_already_present_with_the_right_key() {
        let mut f = facts(Err(err(ErrorKind::Conflict)), false);
        assert_eq!(decide(&f), Decision::Ask(Question::DescribeDomain));
        f.described = present(MANAGED);
        assert_eq!(
            decide(&f),
            Decision::Done(Verdict::Present {
                arn: Some(ARN.into()),
                conflict: true
            })
        );
    }

    #[test]
    fn a_conflict_after_a_lost_answer_is_still_already_present() {
        let mut f = facts(Err(err(ErrorKind::Conflict)), true);
        f.described = present(MANAGED);
        assert!(matches!(
            decide(&f),
            Decision::Done(Verdict::Present { conflict: true, .. })
        ));
    }

    #[test]
    fn a_lost_answer_with_retries_exhausted_lets_describe_decide() {
        let lost = CallError {
            answer_lost: true,
            ..err(ErrorKind::Network)
        };
        let mut f = facts(Err(lost), true);
        assert_eq!(decide(&f), Decision::Ask(Question::DescribeDomain));
        f.described = present(MANAGED);
        assert!(matches!(
            decide(&f),
            Decision::Done(Verdict::Present {
                conflict: false,
                ..
            })
        ));
        f.described = Some(Presence::Absent);
        assert_eq!(outcome(decide(&f)), Outcome::Failed);
        f.described = Some(Presence::Unconfirmed(err(ErrorKind::Service)));
        assert_eq!(outcome(decide(&f)), Outcome::Unknown);
    }

    #[test]
    fn a_conflict_then_gone_or_unconfirmed_fails() {
        let mut f = facts(Err(err(ErrorKind::Conflict)), false);
        f.described = Some(Presence::Absent);
        assert_eq!(outcome(decide(&f)), Outcome::Failed);
        f.described = Some(Presence::Unconfirmed(err(ErrorKind::Service)));
        assert_eq!(outcome(decide(&f)), Outcome::Failed);
    }

    #[test]
    fn a_present_domain_with_another_key_is_drift() {
        let mut f = facts(Err(err(ErrorKind::Conflict)), false);
        f.named_key = Some(KEY.into());
        f.described = present(MANAGED);
        let Decision::Done(Verdict::Drifted { drift, .. }) = decide(&f) else {
            panic!("{:?}", decide(&f));
        };
        assert_eq!(drift.wanted.as_deref(), Some(KEY));
        assert_eq!(drift.live, MANAGED);
    }

    #[test]
    fn the_managed_key_is_asked_only_when_the_plan_did_not_know_it() {
        let mut f = facts(Err(err(ErrorKind::Conflict)), false);
        f.managed_key = None;
        f.described = present(MANAGED);
        assert_eq!(decide(&f), Decision::Ask(Question::ManagedKey));
        f.named_key = Some(MANAGED.into());
        assert!(matches!(
            decide(&f),
            Decision::Done(Verdict::Present { .. })
        ));
        f.named_key = None;
        f.managed_key = Some(Err(err(ErrorKind::AccessDenied)));
        let Decision::Done(Verdict::Ended { outcome, error }) = decide(&f) else {
            panic!();
        };
        assert_eq!(outcome, Outcome::Failed);
        assert_eq!(error.kind, ErrorKind::AccessDenied);
    }
}
