//! Which accounts a selector chooses from the fetched organisation (pure): the units it names
//! (and those below), their ACTIVE accounts carrying every tag asked, minus the excluded ones;
//! the others it reaches are skipped, with their state.

use super::tree::{OrgAccount, OrgTree};
use crate::manifest::{Manifest, Problem, Selector};
use crate::output::echo::echo;
use std::collections::BTreeSet;

/// The units a selector reaches, or a problem for each unit that is not in the organisation.
pub fn units(
    tree: &OrgTree,
    selector: &Selector,
    manifest: &Manifest,
) -> Result<Vec<String>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for s in &selector.ous {
        match tree.find(&s.unit) {
            Ok(id) => out.extend(tree.below(id, selector.recursive)),
            Err(possible) => {
                let help = if possible.is_empty() {
                    "name a unit by its path of names from the root (`Root/Workloads`) or by its id"
                        .to_string()
                } else {
                    let mut names: Vec<&str> = possible;
                    names.sort_unstable();
                    format!(
                        "the units there are: {}",
                        names
                            .iter()
                            .map(|n| format!("`{}`", echo(n)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                problems.push(
                    manifest
                        .problem(
                            "resolve::unknown_ou",
                            format!(
                                "organizational unit `{}` is not in organisation {}",
                                echo(&s.unit.to_string()),
                                tree.id
                            ),
                        )
                        .label(s.span.clone(), "not found")
                        .help(help),
                );
            }
        }
    }
    if problems.is_empty() {
        out.sort_unstable();
        out.dedup();
        Ok(out)
    } else {
        Err(problems)
    }
}

/// What a selector chose.
#[derive(Debug, Default)]
pub struct Chosen<'a> {
    /// ACTIVE, matching, not excluded; sorted by id.
    pub accounts: Vec<&'a OrgAccount>,
    /// Reached but not ACTIVE.
    pub skipped: Vec<&'a OrgAccount>,
}

/// The accounts of `selector` (its units already listed in `tree`).
pub fn choose<'a>(
    tree: &'a OrgTree,
    selector: &Selector,
    units: &[String],
    manifest: &Manifest,
) -> Result<Chosen<'a>, Vec<Problem>> {
    let mut seen = BTreeSet::new();
    let reached: Vec<&OrgAccount> = units
        .iter()
        .filter_map(|u| tree.accounts.get(u))
        .flatten()
        .filter(|a| seen.insert(a.id.as_str()))
        .collect();
    let mut problems = Vec::new();
    for e in &selector.exclude {
        if !reached
            .iter()
            .any(|a| a.id == e.account || a.name == e.account)
        {
            problems.push(
                manifest
                    .problem(
                        "resolve::unknown_excluded_account",
                        format!(
                            "`{}` is excluded, but no account of the selected units has that name or id",
                            echo(&e.account)
                        ),
                    )
                    .label(e.span.clone(), "not among the selected accounts")
                    .help("fix the name or id, or remove it from `exclude`"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let excluded = |a: &OrgAccount| {
        selector
            .exclude
            .iter()
            .any(|e| e.account == a.id || e.account == a.name)
    };
    let tagged = |a: &OrgAccount| {
        selector.tags.iter().all(|(k, v)| {
            tree.tags
                .get(&a.id)
                .and_then(|t| t.get(k))
                .is_some_and(|have| have == v)
        })
    };
    let mut chosen = Chosen::default();
    for a in reached.into_iter().filter(|a| !excluded(a) && tagged(a)) {
        if a.is_active() {
            chosen.accounts.push(a);
        } else {
            chosen.skipped.push(a);
        }
    }
    chosen.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    chosen.skipped.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Excluded, Format, OuRef, OuSelector, parse_str};
    use crate::resolve::organization::tree::Unit;
    use std::collections::BTreeMap;

    /// Root → Workloads → Sandbox; two accounts in Workloads, two in Sandbox (one suspended).
    fn tree() -> OrgTree {
        let mut t = OrgTree {
            id: "o-1".into(),
            management_account: "100000000000".into(),
            root: "r-1".into(),
            ..OrgTree::default()
        };
        let unit = |name: &str, parent: Option<&str>, children: &[&str]| Unit {
            name: name.into(),
            parent: parent.map(str::to_string),
            children: children.iter().map(|c| c.to_string()).collect(),
        };
        t.units.insert("r-1".into(), unit("Root", None, &["ou-w"]));
        t.units
            .insert("ou-w".into(), unit("Workloads", Some("r-1"), &["ou-s"]));
        t.units
            .insert("ou-s".into(), unit("Sandbox", Some("ou-w"), &[]));
        let account = |id: &str, name: &str, state: &str| OrgAccount {
            id: id.into(),
            name: name.into(),
            state: state.into(),
        };
        t.accounts.insert(
            "ou-w".into(),
            vec![
                account("1", "prod", "ACTIVE"),
                account("2", "dev", "ACTIVE"),
            ],
        );
        t.accounts.insert(
            "ou-s".into(),
            vec![
                account("3", "play", "SUSPENDED"),
                account("4", "lab", "ACTIVE"),
            ],
        );
        for (id, env) in [("1", "prod"), ("2", "dev"), ("3", "dev"), ("4", "prod")] {
            t.tags.insert(
                id.into(),
                BTreeMap::from([("env".to_string(), env.to_string())]),
            );
        }
        t
    }

    fn selector(
        path: &[&str],
        recursive: bool,
        tags: &[(&str, &str)],
        exclude: &[&str],
    ) -> Selector {
        Selector {
            ous: vec![OuSelector {
                unit: OuRef::Path(path.iter().map(|p| p.to_string()).collect()),
                span: 0..0,
            }],
            recursive,
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            exclude: exclude
                .iter()
                .map(|e| Excluded {
                    account: e.to_string(),
                    span: 0..0,
                })
                .collect(),
        }
    }

    fn ids(chosen: &[&OrgAccount]) -> Vec<String> {
        chosen.iter().map(|a| a.id.clone()).collect()
    }

    #[test]
    fn units_tags_states_and_excludes() {
        let m = parse_str("version: 1\ndomains: []\n", "m.yaml", Format::Yaml).expect("manifest");
        let t = tree();
        let pick = |s: &Selector| {
            let units = units(&t, s, &m).expect("units");
            let c = choose(&t, s, &units, &m).expect("chosen");
            (ids(&c.accounts), ids(&c.skipped))
        };
        // Recursive by default: Sandbox's accounts too; the suspended one is skipped.
        assert_eq!(
            pick(&selector(&["Workloads"], true, &[], &[])),
            (vec!["1".into(), "2".into(), "4".into()], vec!["3".into()])
        );
        assert_eq!(
            pick(&selector(&["Workloads"], false, &[], &[])),
            (vec!["1".into(), "2".into()], vec![])
        );
        // The tag filter comes before the state: a suspended account it would not choose is not
        // reported skipped.
        assert_eq!(
            pick(&selector(&[], true, &[("env", "prod")], &[])),
            (vec!["1".into(), "4".into()], vec![])
        );
        assert_eq!(
            pick(&selector(&[], true, &[("env", "dev")], &["dev"])),
            (vec![], vec!["3".into()])
        );
        // An exclude that names no reached account, and a unit that does not exist, are problems.
        let s = selector(&["Workloads"], false, &[], &["play"]);
        let u = units(&t, &s, &m).expect("units");
        assert!(choose(&t, &s, &u, &m).is_err());
        assert!(units(&t, &selector(&["Workload"], true, &[], &[]), &m).is_err());
    }
}
