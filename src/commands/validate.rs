//! `provision validate`: load and check a manifest, call nothing.

use crate::cli::ValidateArgs;
use crate::{Error, Exit, manifest};

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
    println!(
        "{}: valid — {} domains in {} accounts and {} Regions",
        args.manifest.display(),
        m.domains.len(),
        accounts,
        regions
    );
    Ok(Exit::Success)
}
