//! Templates stamped: each manifest domain filled in for each of its accounts × Regions (pure).
//! A stamp that breaks a rule (a name too long once filled in, a tag the account lacks) is a
//! problem at the template's name saying which account and Region produced it.

use super::accounts::Account;
use super::desired::{Desired, DesiredPolicy};
use super::keys::DesiredKey;
use crate::manifest::rules::domain_name::domain_name_error;
use crate::manifest::rules::tags::tag_error;
use crate::manifest::{DeclaredKey, DesiredDomain, Manifest, Problem};
use crate::model::pattern::{Missing, name_part};
use crate::model::{DomainAddress, TagSet, Vars};
use crate::output::echo::echo;
use std::ops::Range;

/// At most this many problems are told per template; a template stamped over a thousand
/// accounts that fails the same way in each would otherwise bury everything else.
const SHOWN_PER_TEMPLATE: usize = 3;

/// Keep the first [`SHOWN_PER_TEMPLATE`] problems one template added (from `before` on) and
/// count the rest in one more, at the template.
pub fn fold(manifest: &Manifest, problems: &mut Vec<Problem>, before: usize, span: Range<usize>) {
    let added = problems.len().saturating_sub(before);
    if added <= SHOWN_PER_TEMPLATE {
        return;
    }
    problems.truncate(before + SHOWN_PER_TEMPLATE);
    let more = added - SHOWN_PER_TEMPLATE;
    problems.push(
        manifest
            .problem(
                "resolve::more_stamped_problems",
                format!(
                    "… and {more} more account{} and Region{} where this template fails",
                    if more == 1 { "" } else { "s" },
                    if more == 1 { "" } else { "s" }
                ),
            )
            .label(span, "this template")
            .help("the problems above show how; fix the template (or narrow its accounts) and plan again"),
    );
}

/// Who a stamp is for, as problems say it.
fn whose(account: &Account<'_>, region: &str) -> String {
    match &account.name {
        Some(n) => format!("account {} ({}) in {region}", echo(n), account.id),
        None => format!("account {} in {region}", account.id),
    }
}

/// A placeholder an account cannot fill, at `span` of the template.
fn missing(
    manifest: &Manifest,
    Missing(var): Missing,
    account: &Account<'_>,
    region: &str,
    span: Range<usize>,
) -> Problem {
    manifest
        .problem(
            "resolve::unfilled_placeholder",
            format!("`{var}` has no value for {}", whose(account, region)),
        )
        .label(span, "in this template")
        .help("tag the account in AWS Organizations, leave it out with `exclude`, or select only accounts that carry the tag (`tags:` in the selector)")
}

/// Stamp the key `k` in `account` × each of its Regions, appending keys or problems. Key tags
/// are checked as domain tags are: a stamped value over 256 characters is a problem.
pub fn stamp_key(
    manifest: &Manifest,
    k: &DeclaredKey,
    account: &Account<'_>,
    out: &mut Vec<DesiredKey>,
    problems: &mut Vec<Problem>,
) {
    for region in &k.placement.regions {
        let vars = Vars {
            account_id: &account.id,
            account_name: account.name.as_deref(),
            region,
            account_tags: account.tags,
        };
        match DesiredKey::stamp(k, &vars) {
            Ok(key) => {
                if let Some((tag, _)) = key.tags.iter().find(|(t, v)| tag_error(t, v).is_some()) {
                    problems.push(
                        manifest
                            .problem(
                                "resolve::invalid_stamped_tag",
                                format!(
                                    "tag `{}` of key `{}` stamped for {} is invalid: its value is over 256 characters or holds a control character",
                                    echo(tag),
                                    echo(&k.alias),
                                    whose(account, region)
                                ),
                            )
                            .label(k.alias_span.clone(), "stamped from this key")
                            .help("tag values are at most 256 characters, without control characters"),
                    );
                } else {
                    out.push(key);
                }
            }
            Err(m) => problems.push(missing(manifest, m, account, region, k.alias_span.clone())),
        }
    }
}

/// Stamp `d` in `account` × each of its Regions, appending domains or problems; `policy` is
/// `d`'s, made concrete once for all its stamps.
pub fn stamp(
    manifest: &Manifest,
    d: &DesiredDomain,
    account: &Account<'_>,
    policy: &Option<DesiredPolicy>,
    out: &mut Vec<Desired>,
    problems: &mut Vec<Problem>,
) {
    for region in &d.placement.regions {
        let vars = Vars {
            account_id: &account.id,
            account_name: account.name.as_deref(),
            region,
            account_tags: account.tags,
        };
        let whose = || whose(account, region);
        let missing = |m| missing(manifest, m, account, region, d.name_span.clone());
        let name = match d.name.fill(&vars, name_part) {
            Ok(n) => n,
            Err(m) => {
                problems.push(missing(m));
                continue;
            }
        };
        if let Some(reason) = domain_name_error(&name) {
            problems.push(
                manifest
                    .problem(
                        "resolve::invalid_stamped_name",
                        format!(
                            "domain name `{}` stamped for {} is invalid: it {reason}",
                            echo(&name),
                            whose()
                        ),
                    )
                    .label(d.name_span.clone(), "stamped from this template")
                    .help("domain names are 2–50 characters of lowercase letters, digits and `-` and start with a letter; filled-in values are lowercased and other characters become `-` (see the README), so shorten the template's written parts or put a letter first"),
            );
            continue;
        }
        let mut tags = TagSet::new();
        let mut ok = true;
        for (key, pattern) in &d.tags {
            let value = if pattern.has_vars() {
                match pattern.fill(&vars, str::to_string) {
                    Ok(v) => v,
                    Err(m) => {
                        problems.push(missing(m));
                        ok = false;
                        continue;
                    }
                }
            } else {
                pattern.to_string()
            };
            if pattern.has_vars() && tag_error(key, &value).is_some() {
                problems.push(
                    manifest
                        .problem(
                            "resolve::invalid_stamped_tag",
                            format!(
                                "tag `{}` stamped for {} is invalid: its value is over 256 characters or holds a control character",
                                echo(key),
                                whose()
                            ),
                        )
                        .label(d.name_span.clone(), "stamped from this template")
                        .help("tag values are at most 256 characters, without control characters"),
                );
                ok = false;
                continue;
            }
            tags.insert(key.clone(), value);
        }
        // Every domain the manifest names carries its ownership tag: what prune trusts later.
        if let Some((key, value)) = &manifest.ownership {
            tags.insert(key.clone(), value.clone());
        }
        if ok {
            out.push(Desired {
                address: DomainAddress::new(account.id.as_str(), region.as_str(), &name),
                encryption_key: d.encryption_key.clone(),
                tags,
                tags_mode: d.tags_mode,
                policy: policy.clone(),
                line: d.line,
            });
        }
    }
}
