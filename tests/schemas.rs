//! Every committed JSON Schema (`schemas/`) must be the one generated from the Rust types
//! (`provision::schemas::ALL`): the manifest, the saved plan, the report.
//!
//! Regenerate them with: `UPDATE_SCHEMAS=1 cargo test --test schemas`

use std::path::Path;

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for schema in provision::schemas::ALL {
        let path = dir.join(schema.file);
        let generated = (schema.generate)();
        if update {
            std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("write {path:?}: {e}"));
            continue;
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != generated {
            stale.push(format!("schemas/{}", schema.file));
        }
    }
    assert!(
        stale.is_empty(),
        "{} out of date with the Rust types.\nRegenerate with: UPDATE_SCHEMAS=1 cargo test --test schemas",
        stale.join(", ")
    );
}

#[test]
fn every_schema_file_is_generated() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .expect("schemas/")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut generated: Vec<String> = provision::schemas::ALL
        .iter()
        .map(|s| s.file.to_owned())
        .collect();
    generated.sort();
    assert_eq!(
        committed, generated,
        "schemas/ holds exactly the generated schemas"
    );
}

fn schema(file: &str) -> serde_json::Value {
    let schema = provision::schemas::ALL
        .iter()
        .find(|s| s.file == file)
        .unwrap_or_else(|| panic!("{file} is generated"));
    serde_json::from_str(&(schema.generate)()).expect("schema is JSON")
}

#[test]
fn the_manifest_schema_has_the_top_level_fields() {
    let schema = schema("manifest.schema.json");
    let properties = schema["properties"].as_object().expect("properties");
    for field in ["version", "defaults", "accounts", "keys", "domains"] {
        assert!(properties.contains_key(field), "{field}");
    }
}

#[test]
fn plan_and_report_schemas_name_their_format_version() {
    let plan = schema("plan.schema.json");
    assert_eq!(
        plan["properties"]["format"]["const"],
        provision::plan::PLAN_FORMAT
    );
    assert_eq!(
        plan["additionalProperties"], false,
        "plans are read strictly"
    );
    let report = schema("report.schema.json");
    assert_eq!(
        report["properties"]["format"]["const"],
        provision::report::REPORT_FORMAT
    );
    // Fields may be added to a report within its version: consumers ignore those they do not know.
    assert!(report.get("additionalProperties").is_none());
}
