//! The `domains` list: each entry checked, merged with `defaults` and resolved.

use std::collections::BTreeMap;
use std::ops::Range;

use super::defaults::Defaults;
use super::rules::domain_name::domain_name_error;
use super::rules::key::KeyArn;
use super::rules::tags::MAX_TAGS;
use super::{Checked, Validator, Who};
use crate::manifest::echo::echo;
use crate::manifest::node::Node;
use crate::manifest::schema::Fields;
use crate::manifest::{Accounts, DesiredDomain, Placement};
use crate::model::{Duplicate, duplicates};
use crate::text::plural;

/// Where a domain lives, and so what must be unique: the account id (`None`:
/// the caller's, known only at run time), the Region and the name (as written, borrowed
/// from the tree: one allocation an address, not three).
type Address<'a> = (Option<String>, &'a str, &'a str);

impl<'a> Validator<'a> {
    pub(super) fn domains(
        &mut self,
        items: &'a [Node<'a>],
        defaults: &Defaults<'a>,
    ) -> Vec<DesiredDomain> {
        let f = Fields::of(Some("RawDomain"));
        let mut addresses = Vec::with_capacity(items.len());
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if item.as_map().is_none() {
                continue; // reported by the schema pass
            }
            let head = item.head_span(self.cx.text);
            let name_node = f.str(item, "name");
            let anchor = name_node.map_or(head.clone(), |(_, n)| n.span.clone());
            let who = Who {
                what: "domain",
                name: name_node.map(|(n, _)| n),
            };

            let accounts = self.placement_accounts(&f, item, defaults);
            let accounts_ok = match &accounts {
                Checked::Ok(a) => Some(a),
                _ => None,
            };

            let name = name_node.and_then(|(name, n)| {
                let pattern = self.pattern(name, n, accounts_ok)?;
                let valid = if pattern.has_vars() {
                    self.name_template(&pattern, n)
                } else {
                    self.check_name(
                        ("manifest::invalid_domain_name", "domain"),
                        name,
                        domain_name_error(name),
                        n,
                        "domain names are 2–50 characters of lowercase letters, digits and `-`, start with a letter and do not end with `-` (e.g. `acme-prod`)",
                    )
                };
                valid.then_some(pattern)
            });

            let regions = self.placement_regions(&f, item, defaults, anchor.clone(), who);

            // Encryption key: the domain's own, else the default.
            let own_key = f.str(item, "encryption_key");
            let key = match own_key {
                Some((k, n)) => match self.check_key(k, n) {
                    Ok(arn) => Checked::Ok((k, n, arn, false)),
                    Err(()) => Checked::Bad,
                },
                None if f.get(item, "encryption_key").is_some() => Checked::Bad,
                None => match &defaults.key {
                    Some((k, n, arn)) => Checked::Ok((
                        *k,
                        *n,
                        arn.as_ref().map(|a| KeyArn {
                            region: a.region.clone(),
                        }),
                        true,
                    )),
                    None => Checked::Absent,
                },
            };
            let mut key_ok = !matches!(key, Checked::Bad);
            if let (Checked::Ok((_, key_node, Some(arn), inherited)), Checked::Ok(regions)) =
                (&key, &regions)
                && let Some(region) = regions.iter().find(|r| **r != arn.region)
            {
                let mut p = self
                        .problem(
                            "manifest::key_region_mismatch",
                            format!("encryption key of {who} is in {}, but the domain is in {region}", arn.region),
                        )
                        .label(key_node.span.clone(), format!("key in {}", arn.region))
                        .help(format!(
                            "KMS keys are regional and CodeArtifact needs the key in the domain's Region: use a key in {region}{}",
                            if *inherited { " (set `encryption_key` on this domain to override the default)" } else { "" }
                        ));
                if *inherited {
                    p = p.also(anchor.clone(), format!("domain in {region}"));
                }
                self.push(p);
                key_ok = false;
            }

            // Tags: defaults merged with the domain's (domain wins).
            let mut tags_ok = true;
            if let Some(accounts) = accounts_ok {
                for pattern in defaults.tags.values() {
                    tags_ok &= self.fillable(pattern, accounts, anchor.clone());
                }
            }
            // The defaults' one map, unless the domain adds tags of its own.
            let mut tags = defaults.tags.clone();
            let own_tags = f.get(item, "tags");
            if let Some((tags_key, t)) = own_tags {
                let own = self.tag_patterns(t, accounts_ok);
                let own_count = own.len();
                let mut merged = BTreeMap::clone(&defaults.tags);
                merged.extend(own);
                tags = merged.into();
                if tags.len() > MAX_TAGS {
                    let p = self
                        .problem("manifest::too_many_tags", format!("{who} has {} tags after merging `defaults.tags`", tags.len()))
                        .label(tags_key.span.clone(), format!("{} here, {} in total with the defaults", plural(own_count, "tag", "tags"), tags.len()))
                        .help(format!(
                            "AWS allows at most {MAX_TAGS} user tags per domain: `defaults.tags` contributes {}, remove {}",
                            defaults.tags.len(),
                            plural(tags.len() - MAX_TAGS, "tag", "tags")
                        ));
                    self.push(p);
                }
            }

            let tags_mode = Self::tags_mode(f.str(item, "tags_mode"))
                .or(defaults.tags_mode)
                .unwrap_or_default();

            let policy = match f.get(item, "policy") {
                Some((policy_key, p)) => self.policy(who, policy_key, p),
                None => Checked::Absent,
            };

            // Duplicates: (account id or caller, region, name), for names without placeholders
            // (stamped names are compared once stamped).
            if let (
                Some(name),
                Checked::Ok(Accounts::Listed(listed)),
                Checked::Ok(regions),
                Some((written, name_n)),
            ) = (&name, &accounts, &regions, name_node)
                && !name.has_vars()
            {
                // Without placeholders the pattern is its text, `written`.
                for acct in listed {
                    for region in regions {
                        let address = (acct.id().map(str::to_string), *region, written);
                        addresses.push((address, name_n.span.clone()));
                    }
                }
            }

            let policy = match policy {
                Checked::Ok(p) => Some(Some(p)),
                Checked::Absent => Some(None),
                Checked::Bad => None,
            };
            if let (
                Some(name),
                Checked::Ok(accounts),
                Checked::Ok(regions),
                true,
                true,
                Some((_, name_n)),
                Some(policy),
            ) = (name, accounts, regions, key_ok, tags_ok, name_node, policy)
            {
                let encryption_key = match key {
                    Checked::Ok((k, ..)) => Some(k.to_string()),
                    _ => None,
                };
                out.push(DesiredDomain {
                    name,
                    placement: Placement {
                        accounts,
                        regions: regions.into_iter().map(str::to_string).collect(),
                    },
                    encryption_key,
                    tags,
                    tags_mode,
                    policy,
                    // From the line index: counting from the file's start for every
                    // domain made validation quadratic in the number of domains.
                    line: self.cx.source.line_col(item.span.start).0,
                    name_span: name_n.span.clone(),
                });
            }
        }
        self.duplicate_domains(addresses);
        out
    }

    fn duplicate_domains(&mut self, addresses: Vec<(Address<'_>, Range<usize>)>) {
        for Duplicate { key, again, first } in duplicates(addresses) {
            let (account, region, name) = key;
            let where_ = match account {
                Some(id) => format!("account {id}"),
                None => "the caller's account".to_string(),
            };
            let p = self
                .problem("manifest::duplicate_domain", format!("domain `{}` is defined twice for {where_} in {region}", echo(name)))
                .label(again, "defined again here")
                .also(first, "first defined here")
                .help("a domain name is unique per account and Region; remove one entry or change its name, account or region");
            self.push(p);
        }
    }
}
