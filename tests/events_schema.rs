//! The event stream's JSON schema says what every line carries (`tests/schemas.rs` keeps the
//! committed copy up to date).

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
