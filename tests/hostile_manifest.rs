//! Hostile manifests through the real binary (`provision validate`, no network):
//! each pins a defect of the issue "Hostile input and secrets" so it cannot come back.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Outcome {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

fn validate(path: &Path) -> Outcome {
    validate_with(path, &[])
}

fn validate_with(path: &Path, args: &[&str]) -> Outcome {
    let start = Instant::now();
    let out = support::provision()
        .arg("validate")
        .arg(path)
        .args(args)
        .output()
        .expect("run provision");
    Outcome {
        code: out.status.code(),
        // Lossy: a raw control byte must show up in the assertions, not fail the decoding.
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write manifest");
    path
}

/// Rejected as invalid input (exit 3), not a panic (101) nor an I/O error (1).
#[track_caller]
fn assert_invalid(o: &Outcome) {
    assert_eq!(o.code, Some(3), "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

#[test]
fn labels_past_column_65535_render_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let spaces = " ".repeat(70_000);
    let cases = [
        (
            "spaces.yaml",
            format!(
                "version: 1\ndefaults: {{ region: us-east-1 }}\ndomains: [{spaces}{{ name: BAD }}]\n"
            ),
            "spaces.yaml:3:70019",
        ),
        (
            "spaces.toml",
            format!(
                "version = 1\ndefaults = {{ region = \"us-east-1\" }}\ndomains = [{spaces}{{ name = \"BAD\" }}]\n"
            ),
            "spaces.toml:3:70021",
        ),
        (
            "key.yaml",
            format!(
                "version: 1\ndomains: [{{ {}: 1, name: ab }}]\n",
                "k".repeat(1 << 20)
            ),
            "key.yaml:2:",
        ),
        (
            "key.toml",
            format!(
                "version = 1\ndomains = [{{ {} = 1, name = \"ab\" }}]\n",
                "k".repeat(1 << 20)
            ),
            "key.toml:2:",
        ),
        (
            "aliases.yaml",
            format!(
                "version: 1\nx: &a BAD\ndomains: [{}]\n",
                vec!["*a"; 200_000].join(", ")
            ),
            "aliases.yaml:3:",
        ),
    ];
    for (name, text, location) in cases {
        let o = validate(&write(&dir, name, text));
        assert_invalid(&o);
        // The location is in the message, the over-long line is not printed.
        assert!(o.stderr.contains(location), "{name}: {}", o.stderr);
        assert!(o.stderr.len() < 4_000, "{name}: {} bytes", o.stderr.len());
    }
}

#[test]
fn many_problems_are_bounded_in_number_size_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("version: 1\ndefaults: { region: us-east-1 }\ndomains:\n");
    for _ in 0..9_000 {
        text.push_str(&format!("  - {{ name: {} }}\n", "X".repeat(1_000)));
    }
    let o = validate(&write(&dir, "many.yaml", &text));
    assert_invalid(&o);
    assert!(
        o.stderr.contains("many.yaml: 9000 problems"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.stderr.matches("manifest::invalid_domain_name").count(),
        50
    );
    assert!(o.stderr.contains("… and 8950 more problems not shown"));
    // 9 MB in, well under 1 MB out (it was 145 MB), and no name quoted whole.
    assert!(o.stderr.len() < 1 << 20, "{} bytes", o.stderr.len());
    assert!(
        o.stderr.contains("X…`: it is 1000 characters long"),
        "{}",
        o.stderr
    );
    assert!(o.elapsed < Duration::from_secs(30), "{:?}", o.elapsed);
}

#[test]
fn validation_is_linear_in_the_number_of_domains() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("version: 1\ndefaults: { region: us-east-1 }\ndomains:\n");
    for i in 0..40_000 {
        text.push_str(&format!("  - {{ name: d{i:07} }}\n"));
    }
    // All in the caller's account and Region: a quota that admits them.
    let o = validate_with(
        &write(&dir, "big.yaml", &text),
        &["--domain-quota", "100000"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    // Quadratic, this took over 3 minutes in a debug build; linear, about 2 s.
    assert!(o.elapsed < Duration::from_secs(30), "{:?}", o.elapsed);
}

#[test]
fn an_organisation_near_the_size_limit_is_admitted() {
    // 170 000 domains over 17 000 accounts, 10.4 MB: the parser's default budget refused
    // 100 000 domains ("budget breached: Nodes { nodes: 250001 }").
    let dir = tempfile::tempdir().unwrap();
    let text = support::scale::manifest(17_000, 10);
    let limit = provision::manifest::MAX_MANIFEST_BYTES as usize;
    assert!(
        (limit - limit / 50..=limit).contains(&text.len()),
        "{} bytes",
        text.len()
    );
    let o = validate(&write(&dir, "org.yaml", &text));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    // About 3 s in a debug build.
    assert!(o.elapsed < Duration::from_secs(30), "{:?}", o.elapsed);
}

#[test]
fn terminal_escapes_are_refused_and_never_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let evil = r#""main\e[2K\e[1A\e]0;T\a""#;
    let cases = [
        // The account name of the issue: it passed `validate`.
        format!(
            "version: 1\naccounts:\n  {evil}: {{ id: \"111122223333\" }}\ndomains:\n  - {{ name: ab, region: us-east-1, account: {evil} }}\n"
        ),
        // Values that were already refused, but echoed raw.
        format!(
            "version: 1\ndomains:\n  - {{ name: {evil}, region: {evil}, tags: {{ {evil}: {evil} }} }}\n"
        ),
        format!("version: 1\n{evil}: 1\ndomains: []\n"),
    ];
    for (i, text) in cases.iter().enumerate() {
        let o = validate(&write(&dir, &format!("evil{i}.yaml"), text));
        assert_invalid(&o);
        assert!(
            !o.stderr.contains(['\u{1b}', '\u{7}']),
            "raw control character in: {:?}",
            o.stderr
        );
        assert!(o.stderr.contains("\\u{1b}"), "{}", o.stderr);
    }
    let o = validate(&write(&dir, "evil0.yaml", &cases[0]));
    assert!(
        o.stderr.contains("manifest::invalid_account_name"),
        "{}",
        o.stderr
    );
}

#[test]
fn invalid_utf8_is_invalid_input_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let o = validate(&write(
        &dir,
        "latin1.yaml",
        b"version: 1\ndomains:\n  - { name: caf\xe9 }\n",
    ));
    assert_invalid(&o);
    assert!(o.stderr.contains("manifest::invalid_utf8"), "{}", o.stderr);
    assert!(o.stderr.contains("latin1.yaml:3:16"), "{}", o.stderr);
}

#[test]
fn control_characters_are_refused_in_every_value_that_reaches_aws() {
    let dir = tempfile::tempdir().unwrap();
    let role = "arn:aws:iam::111122223333:role/R";
    // `{}` is replaced by a string with a control character, written with the
    // format's own escapes.
    let yaml = [
        "domains:\n  - { name: \"a{}b\", region: us-east-1 }".to_string(),
        "domains:\n  - { name: ab, region: us-east-1, tags: { \"k{}\": v } }".into(),
        "domains:\n  - { name: ab, region: us-east-1, tags: { k: \"v{}\" } }".into(),
        "domains:\n  - { name: ab, region: us-east-1, encryption_key: \"alias/k{}\" }".into(),
        "accounts:\n  \"a{}\": { id: \"111122223333\" }\ndomains: []".into(),
        "accounts:\n  a: { id: \"111122223333\", role_arn: \"arn:aws:iam::111122223333:role/R{}\" }\ndomains: []".into(),
        "accounts:\n  a: { id: \"111122223333\", profile: \"p{}\" }\ndomains: []".into(),
        format!("accounts:\n  a: {{ id: \"111122223333\", role_arn: \"{role}\", external_id: \"xx{{}}\" }}\ndomains: []"),
        format!("accounts:\n  a: {{ id: \"111122223333\", role_arn: \"{role}\", session_name: \"xx{{}}\" }}\ndomains: []"),
    ];
    for (i, body) in yaml.iter().enumerate() {
        for escape in ["\\a", "\\x1b", "\\u0007", "\\t"] {
            let text = format!("version: 1\n{}\n", body.replace("{}", escape));
            let o = validate(&write(&dir, &format!("c{i}.yaml"), &text));
            assert_invalid(&o);
        }
    }
    let toml = [
        "[[domains]]\nname = \"a{}b\"\nregion = \"us-east-1\"",
        "[[domains]]\nname = \"ab\"\nregion = \"us-east-1\"\ntags = { \"k{}\" = \"v\" }",
        "[[domains]]\nname = \"ab\"\nregion = \"us-east-1\"\ntags = { k = \"v{}\" }",
        "domains = []\n[accounts.\"a{}\"]\nid = \"111122223333\"",
        "domains = []\n[accounts.a]\nid = \"111122223333\"\nprofile = \"p{}\"",
    ];
    for (i, body) in toml.iter().enumerate() {
        for escape in ["\\u0007", "\\u001b", "\\t"] {
            let text = format!("version = 1\n{}\n", body.replace("{}", escape));
            let o = validate(&write(&dir, &format!("c{i}.toml"), &text));
            assert_invalid(&o);
        }
    }
}

#[test]
fn alias_bombs_are_still_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", [p.as_str(); 10].join(", ")));
    }
    text.push_str("domains: *a11\n");
    let o = validate(&write(&dir, "laughs.yaml", &text));
    assert_invalid(&o);
    assert!(o.stderr.contains("manifest::syntax"), "{}", o.stderr);
    assert!(o.elapsed < Duration::from_secs(10), "{:?}", o.elapsed);
}
