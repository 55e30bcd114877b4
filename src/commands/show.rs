//! `provision show`: a saved plan rendered as `plan` renders it, calling nothing.

use crate::cli::ShowArgs;
use crate::{Error, Exit};

pub fn run(args: ShowArgs) -> Result<Exit, Error> {
    // Read as `apply PLAN.json` reads it: the same limits, the same refusals.
    let plan = crate::plan::load(&args.plan)?;
    super::plan::print(&plan, args.format, args.painting, args.shown.detail());
    Ok(Exit::Success)
}
