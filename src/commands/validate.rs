//! `provision validate`: load and check a manifest, call nothing.

use crate::cli::ValidateArgs;
use crate::text::plural;
use crate::{Error, Exit, manifest, output};

pub fn run(args: ValidateArgs) -> Result<Exit, Error> {
    let m = manifest::load(&args.manifest)?;
    let accounts = m
        .domains
        .iter()
        .map(|d| &d.account)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let regions = m
        .domains
        .iter()
        .map(|d| d.region.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let line = format!(
        "{}: valid — {} in {} and {}\n",
        output::value(&args.manifest.display().to_string()),
        plural(m.domains.len(), "domain", "domains"),
        plural(accounts, "account", "accounts"),
        plural(regions, "Region", "Regions"),
    );
    output::stdout(&line, false);
    Ok(Exit::Success)
}
