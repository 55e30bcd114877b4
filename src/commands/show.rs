//! `provision show`: a saved plan rendered as `plan` renders it, calling nothing.

use crate::cli::{Format, ShowArgs};
use crate::plan::render::{self, HumanOptions};
use crate::{Error, Exit, output};
use std::io::IsTerminal;

pub fn run(args: ShowArgs) -> Result<Exit, Error> {
    // Read as `apply PLAN.json` reads it: the same limits, the same refusals.
    let plan = crate::plan::load(&args.plan)?;
    let color = crate::paint::enabled(args.painting.color, std::io::stdout().is_terminal());
    let text = match args.format {
        Format::Human => render::human(
            &plan,
            &HumanOptions {
                detail: args.shown.detail(),
                color,
            },
        ),
        Format::Json => render::json(&plan),
    };
    output::stdout(&text, color);
    Ok(Exit::Success)
}
