//! The JSON Schemas of the documents provision reads and writes, generated from their Rust types:
//! the manifest, the saved plan and the report. The copies committed in `schemas/` are checked
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
];

/// The manifest, as written (YAML or TOML): `schemas/manifest.schema.json`.
pub fn manifest() -> String {
    crate::manifest::schema_json()
}

/// A plan saved by `provision plan --out` (`provision-plan/3`): `schemas/plan.schema.json`.
pub fn plan() -> String {
    of::<crate::plan::Plan>()
}

/// A report written by `provision apply --report` (`provision-report/1`):
/// `schemas/report.schema.json`.
pub fn report() -> String {
    of::<crate::report::Report>()
}

/// Pretty JSON Schema (draft 2020-12) of `T`, newline-terminated.
fn of<T: JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    out.push('\n');
    out
}
