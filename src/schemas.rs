//! The JSON Schemas of the documents provision reads and writes, generated from their Rust types:
//! the manifest, the saved plan, the report and the event stream. The copies committed in `schemas/` are checked
//! against these by `tests/schemas.rs` (`UPDATE_SCHEMAS=1 cargo test --test schemas` rewrites
//! them). A new document is one function here and one line in [`ALL`].

use schemars::JsonSchema;

/// One committed schema: its file name under `schemas/`, and how it is made.
pub struct Schema {
    pub file: &'static str,
    pub generate: fn() -> String,
}

/// Every schema committed in `schemas/`.
pub const ALL: &[Schema] = &[
    Schema {
        file: "manifest.schema.json",
        generate: manifest,
    },
    Schema {
        file: "plan.schema.json",
        generate: plan,
    },
    Schema {
        file: "report.schema.json",
        generate: report,
    },
    Schema {
        file: "events.schema.json",
        generate: events,
    },
];

/// The manifest, as written (YAML or TOML): `schemas/manifest.schema.json`.
pub fn manifest() -> String {
    crate::manifest::schema_json()
}

/// A plan saved by `provision plan --out` (`provision-plan/4`): `schemas/plan.schema.json`.
pub fn plan() -> String {
    of::<crate::plan::Plan>()
}

/// A report written by `provision apply --report` (`provision-report/1`):
/// `schemas/report.schema.json`.
pub fn report() -> String {
    of::<crate::report::Report>()
}

/// One line of `--events` (`provision-events/1`): `schemas/events.schema.json`.
pub fn events() -> String {
    crate::report::events::schema_json()
}

/// Pretty JSON Schema (draft 2020-12) of `T`, newline-terminated.
fn of<T: JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    out.push('\n');
    out
}
