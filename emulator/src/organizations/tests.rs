//! The organisation file's checks and the ids it yields, without HTTP.

use super::*;

const EXAMPLE: &str = r#"
management_account: "111111111111"
accounts: [ { id: "111111111111", name: management } ]
ous:
  - name: Workloads
    accounts:
      - { id: "222222222222", name: team-a, state: ACTIVE, tags: { env: prod } }
    ous: [ { name: Sandbox, accounts: [ { id: "333333333333", name: play, state: SUSPENDED } ] } ]
"#;

fn err(yaml: &str) -> String {
    Organization::from_yaml(yaml).unwrap_err()
}

#[test]
fn ids_follow_the_models_patterns_and_are_stable() {
    let org = Organization::from_yaml(EXAMPLE).unwrap();
    assert!(org.id.len() == 12 && org.id.starts_with("o-"), "{}", org.id);
    assert!(is_root_id(&org.root.id), "{}", org.root.id);
    let workloads = &org.ous[org.root.ous[0]];
    assert!(is_ou_id(&workloads.id), "{}", workloads.id);
    // The OU id carries the root's suffix, as AWS's do.
    assert!(
        workloads
            .id
            .starts_with(&format!("ou-{}-", &org.root.id[2..]))
    );
    assert_eq!(
        workloads.path,
        format!("{}/{}/{}/", org.id, org.root.id, workloads.id)
    );
    let again = Organization::from_yaml(EXAMPLE).unwrap();
    assert_eq!((&org.id, &org.root.id), (&again.id, &again.root.id));
    assert_eq!(workloads.id, again.ous[again.root.ous[0]].id);

    let play = org.account("333333333333").unwrap();
    assert_eq!(play.state.as_str(), "SUSPENDED");
    assert_eq!(play.state.status(), "SUSPENDED");
    assert_eq!(
        play.arn,
        format!(
            "arn:aws:organizations::111111111111:account/{}/333333333333",
            org.id
        )
    );
    assert_eq!(play.email, "aws+333333333333@example.com");
    assert_eq!(org.management_account().joined_method.as_str(), "INVITED");
    assert_eq!(org.account("222222222222").unwrap().tags["env"], "prod");
}

#[test]
fn the_example_file_loads() {
    let org = Organization::from_yaml(include_str!("../../../examples/organization.yaml")).unwrap();
    assert_eq!(org.accounts.len(), 7);
    assert_eq!(
        org.account("777777777777").unwrap().state,
        file::State::Suspended
    );
}

#[test]
fn another_management_account_is_another_organisation() {
    let other = Organization::from_yaml(&EXAMPLE.replace("111111111111", "999999999999")).unwrap();
    let org = Organization::from_yaml(EXAMPLE).unwrap();
    assert_ne!(org.id, other.id);
    assert_ne!(org.ous[0].id, other.ous[0].id);
}

#[test]
fn unquoted_ids_are_read_as_numbers() {
    let org = Organization::from_yaml(
        "management_account: 111111111111\naccounts: [ { id: 111111111111, name: m } ]\n",
    )
    .unwrap();
    assert_eq!(org.management, "111111111111");
    // A leading zero makes YAML read something else: the message says to quote the id.
    let zero = err("management_account: 012345678901\naccounts: []\n");
    assert!(zero.contains("quote"), "{zero}");
}

#[test]
fn bad_files_are_refused_with_the_reason() {
    assert!(err("management_account: \"1\"\n").contains("12 digits"));
    assert!(
        err("management_account: \"111111111111\"\n").contains("must be listed"),
        "the management account belongs to its organisation"
    );
    let unknown = err("management_account: \"111111111111\"\nacounts: []\n");
    assert!(unknown.contains("acounts"), "{unknown}");
    let dup = err(r#"
management_account: "111111111111"
accounts: [ { id: "111111111111", name: m } ]
ous: [ { name: A, accounts: [ { id: "111111111111", name: again } ] } ]
"#);
    assert!(
        dup.contains("listed twice") && dup.contains("OU A"),
        "{dup}"
    );
    let state = err(r#"
management_account: "111111111111"
accounts: [ { id: "111111111111", name: m, state: GONE } ]
"#);
    assert!(state.contains("GONE"), "{state}");
    let siblings = err(r#"
management_account: "111111111111"
accounts: [ { id: "111111111111", name: m } ]
ous: [ { name: A }, { name: A } ]
"#);
    assert!(siblings.contains("unique"), "{siblings}");
    let email = err(r#"
management_account: "111111111111"
accounts: [ { id: "111111111111", name: m, email: nobody } ]
"#);
    assert!(email.contains("email"), "{email}");
    let deep = "management_account: \"111111111111\"\naccounts: [ { id: \"111111111111\", name: m } ]\nous: [ { name: a, ous: [ { name: b, ous: [ { name: c, ous: [ { name: d, ous: [ { name: e, ous: [ { name: f } ] } ] } ] } ] } ] } ]\n";
    assert!(err(deep).contains("5 levels"), "{}", err(deep));
}

#[test]
fn a_thousand_accounts_are_indexed() {
    let mut yaml = String::from(
        "management_account: \"100000000000\"\naccounts: [ { id: \"100000000000\", name: m } ]\nous:\n",
    );
    for ou in 0..10 {
        yaml.push_str(&format!("  - name: ou{ou}\n    accounts:\n"));
        for n in 0..100 {
            yaml.push_str(&format!(
                "      - {{ id: \"{}\", name: a{n} }}\n",
                200_000_000_000u64 + (n * 10 + ou) as u64
            ));
        }
    }
    let org = Organization::from_yaml(&yaml).unwrap();
    assert_eq!(org.accounts.len(), 1001);
    assert!(org.accounts.windows(2).all(|w| w[0].id < w[1].id));
    for &i in &org.root.ous {
        let ou = &org.ous[i];
        assert_eq!(ou.accounts.len(), 100);
        assert!(ou.accounts.windows(2).all(|w| w[0] < w[1]), "sorted by id");
    }
}

#[test]
fn id_patterns() {
    assert!(is_ou_id("ou-ab12-abcdefgh"));
    assert!(!is_ou_id("ou-ab12-abcdefg"));
    assert!(!is_ou_id("ou-AB12-abcdefgh"));
    assert!(is_root_id("r-ab12") && !is_root_id("r-ab1"));
    assert!(is_policy_id("p-FullAWSAccess") && !is_policy_id("p-x"));
}
