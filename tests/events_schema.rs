//! The committed JSON schema of the event stream must match the one generated from its types.
//!
//! Regenerate with: `UPDATE_SCHEMA=1 cargo test --test events_schema`

use std::path::Path;

#[test]
fn committed_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/events.schema.json");
    let generated = provision::report::events::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schemas/events.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/events.schema.json is out of date with src/report/events.rs.\n\
         Regenerate it with: UPDATE_SCHEMA=1 cargo test --test events_schema"
    );
}

#[test]
fn every_line_names_its_format_and_time() {
    let schema: serde_json::Value =
        serde_json::from_str(&provision::report::events::schema_json()).expect("schema is JSON");
    let required = schema["required"].as_array().expect("required");
    for field in ["format", "time"] {
        assert!(required.iter().any(|r| r == field), "{field}: {schema}");
    }
    let text = schema.to_string();
    for event in ["start", "call", "domain"] {
        assert!(text.contains(&format!("\"{event}\"")), "{event}");
    }
}
