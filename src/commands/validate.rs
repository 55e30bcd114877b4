//! `provision validate`: load and check a manifest, call nothing.

use crate::cli::ValidateArgs;
use crate::manifest::Accounts;
use crate::text::plural;
use crate::{Error, Exit, manifest, output};
use std::collections::BTreeSet;

pub fn run(args: ValidateArgs) -> Result<Exit, Error> {
    let m = manifest::load(&args.manifest)?;
    manifest::check_domain_quota(&m, args.domain_quota)?;
    let mut accounts = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut selects = false;
    let mut templates = 0;
    for d in &m.domains {
        match &d.placement.accounts {
            Accounts::Listed(list) => accounts.extend(list.iter()),
            Accounts::Organization(_) => selects = true,
        }
        regions.extend(d.placement.regions.iter().map(String::as_str));
        let stamped = match &d.placement.accounts {
            Accounts::Listed(list) => list.len() > 1 || d.placement.regions.len() > 1,
            Accounts::Organization(_) => true,
        };
        templates += usize::from(stamped || d.name.has_vars());
    }
    let entries = match templates {
        0 => plural(m.domains.len(), "domain", "domains"),
        t if t == m.domains.len() => plural(t, "template", "templates"),
        t => format!(
            "{} and {}",
            plural(m.domains.len() - t, "domain", "domains"),
            plural(t, "template", "templates")
        ),
    };
    let accounts = match (accounts.len(), selects) {
        (0, true) => "accounts from the organisation".to_string(),
        (n, true) => format!(
            "{} and accounts from the organisation",
            plural(n, "listed account", "listed accounts")
        ),
        (n, false) => plural(n, "account", "accounts"),
    };
    let keys = match m.keys.len() {
        0 => String::new(),
        n => format!(", {}", plural(n, "key", "keys")),
    };
    let line = format!(
        "{}: valid — {entries}{keys} over {accounts}, in {}\n",
        output::value(&args.manifest.display().to_string()),
        plural(regions.len(), "Region", "Regions"),
    );
    output::stdout(&line, false);
    Ok(Exit::Success)
}
