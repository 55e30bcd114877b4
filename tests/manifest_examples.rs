//! The example manifests load, and the YAML and TOML versions agree.

use std::path::Path;

use provision::manifest::{self, AccountRef, Accounts, Credentials, Manifest, TagsMode};

fn example(name: &str) -> Manifest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    match manifest::load(&path) {
        Ok(m) => m,
        Err(e) => panic!("{name} does not load: {:?}", miette::Report::new(e)),
    }
}

/// `line` and the text's digest differ between the two syntaxes; everything else must not.
fn without_lines(mut m: Manifest) -> Manifest {
    for d in &mut m.domains {
        d.line = 0;
        d.name_span = 0..0;
    }
    m.digest.clear();
    m
}

#[test]
fn yaml_and_toml_examples_are_identical() {
    let yaml = example("domains.yaml");
    let toml = example("domains.toml");
    assert_eq!(without_lines(yaml), without_lines(toml));
}

#[test]
fn examples_have_the_expected_shape() {
    let m = example("domains.yaml");
    assert_eq!(m.domains.len(), 12);
    assert_eq!(m.accounts.len(), 3);
    assert!(
        m.accounts
            .iter()
            .all(|a| matches!(a.credentials, Credentials::AssumeRole { .. }))
    );
    let mut regions: Vec<&str> = m
        .domains
        .iter()
        .flat_map(|d| d.placement.regions.iter().map(String::as_str))
        .collect();
    regions.sort_unstable();
    regions.dedup();
    assert_eq!(regions, ["eu-west-1", "us-east-1"]);
    for d in &m.domains {
        assert_eq!(
            d.tags.get("managed-by").map(ToString::to_string).as_deref(),
            Some("provision")
        );
        assert!(matches!(
            d.encryption_key.as_deref(),
            None | Some("alias/aws/codeartifact")
        ));
        assert!(matches!(
            &d.placement.accounts,
            Accounts::Listed(list) if matches!(list[..], [AccountRef::Named { .. }])
        ));
    }
    let prod = &m.domains[0];
    assert_eq!(prod.name.to_string(), "acme-prod");
    assert_eq!(prod.tags_mode, TagsMode::Exact);
    assert_eq!(
        prod.placement.accounts,
        Accounts::Listed(vec![AccountRef::Named {
            name: "platform".into(),
            id: "111122223333".into()
        }])
    );
    // Lines point at the domain entries.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/domains.yaml"),
    )
    .unwrap_or_default();
    for d in &m.domains {
        let line = text.lines().nth(d.line - 1).unwrap_or_default();
        assert!(
            line.contains(&d.name.to_string()),
            "line {} of {}: {line}",
            d.line,
            d.name
        );
    }
}

#[test]
fn examples_also_deserialize_into_the_raw_model() {
    // The model and the validator must agree on the manifest's shape.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let yaml = std::fs::read_to_string(dir.join("domains.yaml")).unwrap_or_default();
    let toml = std::fs::read_to_string(dir.join("domains.toml")).unwrap_or_default();
    let from_yaml: manifest::RawManifest = serde_saphyr::from_str(&yaml).expect("yaml model");
    let from_toml: manifest::RawManifest = toml::from_str(&toml).expect("toml model");
    assert_eq!(from_yaml, from_toml);
}
