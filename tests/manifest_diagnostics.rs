//! Snapshots of the diagnostics people read.
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).

use std::path::Path;

use provision::manifest::{self, ManifestError};

fn render(err: &ManifestError) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(110)
            .with_links(false);
    let mut out = String::new();
    if let Err(e) = handler.render_report(&mut out, err) {
        out.push_str(&format!("<render error: {e}>"));
    }
    out
}

fn load_fixture(name: &str) -> ManifestError {
    // Relative path, as a user would type it, so the snapshot is machine-independent.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = Path::new("tests/fixtures/manifest").join(name);
    let text = std::fs::read_to_string(dir.join(&rel)).unwrap_or_default();
    let format = manifest::Format::from_path(&rel).unwrap_or(manifest::Format::Yaml);
    match manifest::parse_str(&text, &rel.display().to_string(), format) {
        Ok(m) => panic!("{name} should be invalid, got {m:?}"),
        Err(e) => e,
    }
}

fn codes(err: &ManifestError) -> Vec<&'static str> {
    err.problems().iter().map(|p| p.code()).collect()
}

const EXPECTED_CODES: &[&str] = &[
    "manifest::unquoted_account_id",
    "manifest::invalid_domain_name",
    "manifest::unknown_key",
    "manifest::unknown_region",
    "manifest::duplicate_domain",
    "manifest::unknown_account",
    "manifest::key_region_mismatch",
    "manifest::reserved_tag_prefix",
    "manifest::wrong_type",
    "manifest::too_many_tags",
];

#[test]
fn many_problems_yaml() {
    let err = load_fixture("many_problems.yaml");
    assert!(err.is_invalid_input());
    assert_eq!(codes(&err), EXPECTED_CODES);
    insta::assert_snapshot!(render(&err));
}

#[test]
fn many_problems_toml() {
    let err = load_fixture("many_problems.toml");
    assert_eq!(codes(&err), EXPECTED_CODES);
    insta::assert_snapshot!(render(&err));
}

#[test]
fn syntax_errors_yaml() {
    let err = load_fixture("syntax.yaml");
    insta::assert_snapshot!(render(&err));
}

#[test]
fn syntax_errors_toml() {
    let err = load_fixture("syntax.toml");
    insta::assert_snapshot!(render(&err));
}

/// Policy files are read relative to the manifest's directory, here given relative to the
/// package root (the tests' current directory) as a user would, so paths in messages are stable.
#[test]
fn policy_problems() {
    let rel = Path::new("tests/fixtures/manifest/policies.yaml");
    let text = std::fs::read_to_string(rel).expect("fixture");
    let err = manifest::parse_str_in(
        &text,
        &rel.display().to_string(),
        manifest::Format::Yaml,
        rel.parent(),
    )
    .unwrap_err();
    assert!(err.is_invalid_input());
    assert_eq!(
        codes(&err),
        [
            "manifest::unknown_key",
            "manifest::policy_file",
            "manifest::policy_file",
            "manifest::policy_file",
            "manifest::policy_forms",
            "manifest::invalid_value",
        ]
    );
    insta::assert_snapshot!(render(&err));
    // `load` reads them from the manifest's directory too.
    let loaded = manifest::load(rel).unwrap_err();
    assert_eq!(codes(&loaded), codes(&err));
}

#[test]
fn load_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.yaml");
    let err = manifest::load(&missing).unwrap_err();
    // A path that names no file is bad input (exit 3), as a wrong extension is.
    assert!(err.is_invalid_input());
    assert!(err.to_string().contains("missing.yaml"), "{err}");

    let json = dir.path().join("m.json");
    std::fs::write(&json, "{}").expect("write");
    let err = manifest::load(&json).unwrap_err();
    assert!(matches!(err, ManifestError::UnsupportedExtension { .. }));
    assert!(err.is_invalid_input());

    let big = dir.path().join("big.yaml");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(manifest::MAX_MANIFEST_BYTES + 1)
        .expect("set_len");
    let err = manifest::load(&big).unwrap_err();
    assert!(matches!(err, ManifestError::TooLarge { .. }), "{err}");
}
