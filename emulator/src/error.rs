//! The one error type every operation returns; how each wire protocol spells it is `protocol`'s business.

/// An AWS error as a client parses it: HTTP status, error code, message and the
/// model's extra members (`resourceId`, `resourceType`, `reason`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// Extra members of the error shape, serialised next to `message`.
    pub fields: Vec<(&'static str, String)>,
    /// Seconds for the `Retry-After` header (throttling only).
    pub retry_after: Option<u32>,
    /// `Sender` or `Receiver`, only used by the query protocol's XML.
    pub fault_is_server: bool,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after: None,
            fault_is_server: status >= 500,
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((name, value.into()));
        self
    }

    /// CodeArtifact's ValidationException with its `reason` member.
    pub fn validation(reason: &'static str, message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message).with("reason", reason)
    }

    pub fn field_validation(message: impl Into<String>) -> Self {
        Self::validation("FIELD_VALIDATION_FAILED", message)
    }

    pub fn not_found(resource_type: &'static str, id: &str, message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFoundException", message)
            .with("resourceId", id)
            .with("resourceType", resource_type)
    }

    pub fn conflict(resource_type: &'static str, id: &str, message: impl Into<String>) -> Self {
        Self::new(409, "ConflictException", message)
            .with("resourceId", id)
            .with("resourceType", resource_type)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerException", message)
    }
}
