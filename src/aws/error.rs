//! One error shape for every SDK call: its kind (decided here, once), AWS's code and message,
//! HTTP status, `Retry-After`, and whether no answer came at all.

use super::kind::ErrorKind;
use aws_sdk_codeartifact::error::{ProvideErrorMetadata, SdkError};
use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub kind: ErrorKind,
    /// The service's error code, when the service answered.
    pub code: Option<String>,
    pub message: String,
    pub status: Option<u16>,
    /// From the `Retry-After` header (the Rust SDK ignores it, so it is read here).
    pub retry_after: Option<Duration>,
    /// The request may have been applied although no success came back: no HTTP answer was
    /// read, or the service failed (a 5xx can follow an applied write).
    pub answer_lost: bool,
}

impl CallError {
    /// An error of provision's own making (no service answer behind it).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: None,
            message: message.into(),
            status: None,
            retry_after: None,
            answer_lost: false,
        }
    }

    /// What the service called it, else the kind: the word people see before the message.
    pub fn label(&self) -> &str {
        self.code.as_deref().unwrap_or(self.kind.as_str())
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label(), self.message)
    }
}

impl std::error::Error for CallError {}

type HttpResponse = aws_sdk_codeartifact::config::http::HttpResponse;

impl<E> From<SdkError<E, HttpResponse>> for CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    fn from(err: SdkError<E, HttpResponse>) -> Self {
        match &err {
            SdkError::ServiceError(service) => {
                let raw = service.raw();
                let retry_after = raw
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let e = service.err();
                let status = raw.status().as_u16();
                let code = e.code().unwrap_or("Unknown");
                Self {
                    kind: ErrorKind::of_service_error(code, status),
                    code: Some(code.to_string()),
                    message: e.message().unwrap_or("").to_string(),
                    status: Some(status),
                    retry_after,
                    answer_lost: status >= 500,
                }
            }
            SdkError::TimeoutError(_) => Self {
                answer_lost: true,
                ..Self::new(ErrorKind::Timeout, "the request timed out")
            },
            SdkError::DispatchFailure(d) => {
                let chain = describe_chain(&err);
                if (d.is_other() || d.is_user()) && mentions_credentials(&chain) {
                    // Credentials could not be had: the request was never sent.
                    Self::new(ErrorKind::of_credentials_failure(&chain), chain)
                } else {
                    Self {
                        // A connection that failed may have carried the request first: treating it
                        // as maybe-applied is safe because a retried create is confirmed.
                        answer_lost: true,
                        ..Self::new(ErrorKind::Network, chain)
                    }
                }
            }
            SdkError::ResponseError(_) => Self {
                answer_lost: true,
                ..Self::new(ErrorKind::Network, describe_chain(&err))
            },
            _ => Self::new(ErrorKind::Other, describe_chain(&err)),
        }
    }
}

impl CallError {
    /// Credentials that could not be had (an AssumeRole refused or throttled, a profile that
    /// fails): nothing was sent.
    pub fn of_credentials(e: &(dyn std::error::Error + 'static)) -> Self {
        let chain = describe_chain(e);
        Self::new(ErrorKind::of_credentials_failure(&chain), chain)
    }
}

/// The innermost causes of an error, which is where the SDK keeps the useful words.
fn describe_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.dedup();
    parts.join(": ")
}

fn mentions_credentials(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("credential") || lower.contains("identity")
}
