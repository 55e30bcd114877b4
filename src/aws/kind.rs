//! What kind of failure a call met: decided once, where an SDK error becomes our error
//! (`error.rs`); the retry owner, the breakers and the executor match on it, never on codes.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Slow down (429, ThrottlingException and kin), also STS throttling behind credentials.
    Throttling,
    /// A service quota is reached (ServiceQuotaExceededException: CodeArtifact's domain count on
    /// CreateDomain, its tag count on TagResource): asking again will not help.
    Quota,
    /// The resource exists already (ConflictException).
    Conflict,
    /// The resource does not exist (ResourceNotFoundException, KMS NotFoundException).
    NotFound,
    /// The credentials may not do this (AccessDenied…).
    AccessDenied,
    /// The service refused the credentials themselves: unknown or expired token, bad signature.
    BadCredentials,
    /// Credentials could not be had (a profile, SSO or AssumeRole failed); nothing was sent.
    Credentials,
    /// The request is malformed or breaks a rule (ValidationException and other 4xx).
    Validation,
    /// The service failed (5xx, InternalServerException…): the request may have been applied.
    Service,
    /// No answer arrived (connection refused, reset, dropped): the request may have been applied.
    Network,
    /// No answer within the time allowed: the request may have been applied.
    Timeout,
    /// Stopped by an interrupt before the call completed.
    Interrupted,
    /// Anything else.
    Other,
}

impl ErrorKind {
    /// The kind of an error the service answered with, from its code and HTTP status.
    pub fn of_service_error(code: &str, status: u16) -> Self {
        match code {
            "ThrottlingException"
            | "Throttling"
            | "ThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "SlowDown"
            | "PriorRequestNotComplete" => Self::Throttling,
            "ServiceQuotaExceededException" => Self::Quota,
            "ConflictException" | "AlreadyExistsException" => Self::Conflict,
            "ResourceNotFoundException"
            | "NotFoundException"
            // Organizations: the caller's account is in no organisation; a unit or account is gone.
            | "AWSOrganizationsNotInUseException"
            | "ParentNotFoundException"
            | "TargetNotFoundException"
            | "AccountNotFoundException" => Self::NotFound,
            c if ACCESS_DENIED.contains(&c) => Self::AccessDenied,
            c if BAD_CREDENTIALS.contains(&c) => Self::BadCredentials,
            "InternalServerException"
            | "InternalFailure"
            | "InternalError"
            | "ServiceUnavailable"
            | "KMSInternalException"
            | "DependencyTimeoutException"
            | "IDPCommunicationError" => Self::Service,
            "RequestTimeout" => Self::Timeout,
            "ValidationException" => Self::Validation,
            // An unknown code says only as much as its status: slow down, the service failed,
            // or the request was refused (final, and no reason to stop the whole target).
            _ => match status {
                429 => Self::Throttling,
                500..=599 => Self::Service,
                400..=499 => Self::Validation,
                _ => Self::Other,
            },
        }
    }

    /// The kind of a credentials failure (an AssumeRole, SSO or profile that failed before the
    /// request was sent), from the words of its error chain: STS throttling the caller is a
    /// throttle; a refusal by STS is final; anything else may be a hiccup worth retrying.
    pub fn of_credentials_failure(chain: &str) -> Self {
        if chain.contains("Throttl") {
            Self::Throttling
        } else if ACCESS_DENIED.iter().any(|c| chain.contains(c)) {
            Self::AccessDenied
        } else if BAD_CREDENTIALS.iter().any(|c| chain.contains(c)) {
            Self::BadCredentials
        } else {
            Self::Credentials
        }
    }

    /// The name people and JSON read.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Throttling => "throttling",
            Self::Quota => "quota",
            Self::Conflict => "conflict",
            Self::NotFound => "not_found",
            Self::AccessDenied => "access_denied",
            Self::BadCredentials => "bad_credentials",
            Self::Credentials => "credentials",
            Self::Validation => "validation",
            Self::Service => "service",
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Interrupted => "interrupted",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Codes of a refusal of what the credentials may do.
const ACCESS_DENIED: &[&str] = &["AccessDeniedException", "AccessDenied"];

/// Codes of a refusal of the credentials themselves.
const BAD_CREDENTIALS: &[&str] = &[
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredTokenException",
    "ExpiredToken",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_then_statuses() {
        let k = ErrorKind::of_service_error;
        assert_eq!(k("ThrottlingException", 429), ErrorKind::Throttling);
        assert_eq!(k("Throttling", 400), ErrorKind::Throttling);
        assert_eq!(k("ServiceQuotaExceededException", 402), ErrorKind::Quota);
        assert_eq!(k("ConflictException", 409), ErrorKind::Conflict);
        assert_eq!(k("NotFoundException", 400), ErrorKind::NotFound);
        assert_eq!(k("ExpiredToken", 403), ErrorKind::BadCredentials);
        assert_eq!(k("InternalServerException", 500), ErrorKind::Service);
        assert_eq!(k("Whatever", 503), ErrorKind::Service);
        assert_eq!(k("Whatever", 429), ErrorKind::Throttling);
        assert_eq!(k("Whatever", 400), ErrorKind::Validation);
        assert_eq!(k("ValidationException", 400), ErrorKind::Validation);
        // Unknown codes are judged by their status only as far as it is unambiguous.
        for status in [402, 403, 404, 409] {
            assert_eq!(k("Whatever", status), ErrorKind::Validation, "{status}");
        }
        assert_eq!(k("Whatever", 302), ErrorKind::Other);
        assert_eq!(k("RequestTimeout", 408), ErrorKind::Timeout);
        assert_eq!(k("AccessDenied", 403), ErrorKind::AccessDenied);
        assert_eq!(k("ResourceNotFoundException", 404), ErrorKind::NotFound);
        assert_eq!(
            k("AWSOrganizationsNotInUseException", 400),
            ErrorKind::NotFound
        );
        assert_eq!(k("IncompleteSignature", 403), ErrorKind::BadCredentials);
        assert_eq!(k("LimitExceededException", 400), ErrorKind::Validation);
    }

    #[test]
    fn credentials_failures_by_their_words() {
        let k = ErrorKind::of_credentials_failure;
        assert_eq!(
            k("sts: ThrottlingException: Rate exceeded"),
            ErrorKind::Throttling
        );
        assert_eq!(
            k("service error: AccessDenied: not allowed"),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            k("SignatureDoesNotMatch: The request signature"),
            ErrorKind::BadCredentials
        );
        assert_eq!(
            k("dispatch failure: connection refused"),
            ErrorKind::Credentials
        );
    }

    #[test]
    fn serialises_as_its_name() {
        assert_eq!(
            serde_json::to_string(&ErrorKind::AccessDenied).unwrap(),
            "\"access_denied\""
        );
        assert_eq!(ErrorKind::NotFound.to_string(), "not_found");
    }
}
