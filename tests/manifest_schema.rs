//! The committed JSON schema must match the one generated from the model.
//!
//! Regenerate with: `UPDATE_SCHEMA=1 cargo test --test manifest_schema`

use std::path::Path;

#[test]
fn committed_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/manifest.schema.json");
    let generated = provision::manifest::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schemas/manifest.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/manifest.schema.json is out of date with src/manifest/model.rs.\n\
         Regenerate it with: UPDATE_SCHEMA=1 cargo test --test manifest_schema"
    );
}

#[test]
fn schema_is_valid_json_with_the_top_level_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&provision::manifest::schema_json()).expect("schema is JSON");
    let properties = schema["properties"].as_object().expect("properties");
    for field in ["version", "defaults", "accounts", "keys", "domains"] {
        assert!(properties.contains_key(field), "{field}");
    }
}
