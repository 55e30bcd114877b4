//! The event stream (`--events PATH`): JSON Lines, one event per AWS call attempt and per
//! domain outcome, for CI systems that tail a run. Every line carries the format's name and
//! version and an RFC 3339 UTC time; `schemas/events.schema.json` is generated from these types.

use crate::apply::Outcome;
use crate::aws::ErrorKind;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::LazyLock;

/// The format's name and version, on every line: a consumer that starts reading mid-stream
/// still knows what it reads.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub enum Format {
    #[serde(rename = "provision-events/1")]
    V1,
}

/// One line of the stream.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "provision event")]
pub struct Line {
    pub format: Format,
    /// When it happened: RFC 3339, UTC (`2026-05-04T12:00:00.123Z`).
    #[schemars(extend("format" = "date-time", "pattern" = "Z$"))]
    pub time: String,
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The first line: which command runs, and which provision.
    Start { command: String, version: String },
    /// One attempt of one AWS call, as it ended.
    Call(Call),
    /// One domain's outcome (apply only).
    Domain(Domain),
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Call {
    /// The service as the SDK names it: `codeartifact`, `STS`, `KMS`, `Organizations`.
    pub service: String,
    /// The API operation, e.g. `CreateDomain`.
    pub operation: String,
    /// The account whose pace the call kept (`caller` for the caller's own calls).
    pub account: String,
    pub region: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// What kind of failure, when it failed.
    pub error: Option<ErrorKind>,
    /// AWS's error code, when the service named one.
    pub code: Option<String>,
    /// AWS's id of the request, when the answer carried one.
    pub request_id: Option<String>,
    /// From sending to the answer, in milliseconds.
    pub latency_ms: f64,
    /// 1 for the first attempt of the call; a retry counts on.
    pub attempt: u32,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Domain {
    /// `account/Region/name`.
    pub address: String,
    pub account: String,
    pub region: String,
    pub name: String,
    pub outcome: Outcome,
    /// Why it failed, was skipped or drifted, when it did.
    pub reason: Option<String>,
}

static SCHEMA: LazyLock<serde_json::Value> =
    LazyLock::new(|| schemars::schema_for!(Line).to_value());

/// The JSON Schema of one line, as committed in `schemas/events.schema.json`.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&*SCHEMA).unwrap_or_default();
    text.push('\n');
    text
}
