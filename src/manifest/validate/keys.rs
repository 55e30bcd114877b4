//! The `keys` list: customer managed keys by alias, each merged with `defaults.account` and
//! `defaults.region` and checked; one (account, Region, alias) is declared once.

use std::ops::Range;

use super::defaults::Defaults;
use super::rules::key::declared_alias_error;
use super::rules::tags::MAX_TAGS;
use super::{Checked, Validator, Who};
use crate::manifest::echo::echo;
use crate::manifest::node::Node;
use crate::manifest::schema::Fields;
use crate::manifest::{Accounts, DeclaredKey, Placement};
use crate::model::{Duplicate, duplicates};

/// Where a key's alias lives: the account id (`None`: the caller's), the Region and the alias.
type Address = (Option<String>, String, String);

/// A key's description, as CreateKey takes it.
const MAX_DESCRIPTION: usize = 8192;

impl<'a> Validator<'a> {
    pub(super) fn keys(
        &mut self,
        items: &'a [Node<'a>],
        defaults: &Defaults<'a>,
    ) -> Vec<DeclaredKey> {
        let f = Fields::of(Some("RawKey"));
        let mut addresses = Vec::new();
        let mut out = Vec::new();
        for item in items {
            if item.as_map().is_none() {
                continue; // reported by the schema pass
            }
            let alias_node = f.str(item, "alias");
            let anchor = alias_node.map_or(item.head_span(self.cx.text), |(_, n)| n.span.clone());
            let who = Who {
                what: "key",
                name: alias_node.map(|(a, _)| a),
            };
            let alias = alias_node
                .filter(|(alias, n)| match declared_alias_error(alias) {
                    None => true,
                    Some(reason) => {
                        let p = self
                            .problem("manifest::invalid_key_alias", format!("invalid key alias `{}`: it {reason}", echo(alias)))
                            .label(n.span.clone(), "invalid alias")
                            .help("a declared key is named `alias/` and 1–250 letters, digits, `/`, `_` or `-` (e.g. `alias/codeartifact`); `alias/aws/…` names AWS-managed keys, which cannot be declared");
                        self.push(p);
                        false
                    }
                })
                .map(|(alias, _)| alias);

            let accounts = self.placement_accounts(&f, item, defaults);
            let regions = self.placement_regions(&f, item, defaults, anchor.clone(), who);

            let description = f.str(item, "description").map(|(d, n)| {
                let len = d.chars().count();
                if len > MAX_DESCRIPTION {
                    let p = self
                        .problem(
                            "manifest::key_description_too_long",
                            format!("the description of {who} is {len} characters long"),
                        )
                        .label(n.span.clone(), "too long")
                        .help(format!(
                            "KMS takes descriptions of at most {MAX_DESCRIPTION} characters"
                        ));
                    self.push(p);
                }
                d
            });
            let accounts_ok = match &accounts {
                Checked::Ok(a) => Some(a),
                _ => None,
            };
            let description_ok = description.is_none_or(|d| d.chars().count() <= MAX_DESCRIPTION);
            // Placeholders, filled per account and Region as a domain's tags are.
            let description = match f.str(item, "description") {
                Some((d, n)) if description_ok => self.pattern(d, n, accounts_ok).map(Some),
                _ => Some(None),
            };

            let tags = match f.get(item, "tags") {
                Some((tags_key, t)) => {
                    let tags = self.tag_patterns(t, accounts_ok);
                    if tags.len() > MAX_TAGS {
                        let p = self
                            .problem(
                                "manifest::too_many_tags",
                                format!("{who} has {} tags", tags.len()),
                            )
                            .label(tags_key.span.clone(), format!("{} tags", tags.len()))
                            .help(format!("KMS allows at most {MAX_TAGS} tags per key"));
                        self.push(p);
                    }
                    tags
                }
                None => Default::default(),
            };

            if let (
                Some(alias),
                Checked::Ok(Accounts::Listed(listed)),
                Checked::Ok(regions),
                Some((_, n)),
            ) = (alias, &accounts, &regions, alias_node)
            {
                for acct in listed {
                    for region in regions {
                        let address = (
                            acct.id().map(str::to_string),
                            region.to_string(),
                            alias.to_string(),
                        );
                        addresses.push((address, n.span.clone()));
                    }
                }
            }
            if let (
                Some(alias),
                Checked::Ok(accounts),
                Checked::Ok(regions),
                true,
                Some(description),
            ) = (alias, accounts, regions, description_ok, description)
            {
                out.push(DeclaredKey {
                    alias: alias.to_string(),
                    placement: Placement {
                        accounts,
                        regions: regions.into_iter().map(str::to_string).collect(),
                    },
                    description,
                    alias_span: anchor.clone(),
                    tags,
                    line: self.cx.source.line_col(item.span.start).0,
                });
            }
        }
        self.duplicate_keys(addresses);
        out
    }

    fn duplicate_keys(&mut self, addresses: Vec<(Address, Range<usize>)>) {
        for Duplicate { key, again, first } in duplicates(addresses) {
            let (account, region, alias) = key;
            let where_ = match account {
                Some(id) => format!("account {id}"),
                None => "the caller's account".to_string(),
            };
            let p = self
                .problem("manifest::duplicate_key", format!("key `{}` is declared twice for {where_} in {region}", echo(&alias)))
                .label(again, "declared again here")
                .also(first, "first declared here")
                .help("an alias names one key per account and Region; remove one entry or change its alias, account or region");
            self.push(p);
        }
    }
}
