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
    for a in reached.into_iter().filter(|a| !excluded(a)) {
        if !a.is_active() {
            chosen.skipped.push(a);
        } else if tagged(a) {
            chosen.accounts.push(a);
        }
    }
    chosen.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    chosen.skipped.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(chosen)
}
