//! `provision plan`: observe, diff, render; optionally save the plan for an exact apply.

use super::engine::Session;
use crate::cli::{Format, Painting, PlanArgs};
use crate::plan::render::{self, HumanOptions};
use crate::plan::{Action, Plan};
use crate::report::progress::{Progress, Show};
use crate::text::Detail;
use crate::{Error, Exit, manifest, output};
use std::io::IsTerminal;

pub async fn run(args: PlanArgs) -> Result<Exit, Error> {
    super::log::init(args.verbosity.logs_calls());
    let global = &args.session;
    let manifest = manifest::load(&args.manifest)?;
    manifest::check_domain_quota(&manifest, args.engine.domain_quota)?;
    let events = super::engine::events(args.verbosity.events.as_deref(), "plan")?;
    let mut session = Session::connect(global, &args.engine, events.as_ref()).await?;
    let observing = Progress::observing(Show::pick(args.verbosity.quiet()));
    let plan = session
        .plan(&args.manifest, &manifest, &args.filter.filter(), &observing)
        .await;
    observing.finish();
    session.close().await;
    let plan = plan?;
    if let Some(out) = &args.out {
        output::write_file(out, &render::json(&plan)).map_err(|cause| Error::Write {
            path: out.clone(),
            cause,
        })?;
    }
    print(&plan, args.format, args.painting, args.verbosity.detail());
    let unreachable = plan.count(Action::Unreachable);
    if unreachable > 0 {
        return Err(Error::Unreachable {
            domains: unreachable,
        });
    }
    let unusable = plan.count(Action::UnusableKey);
    if unusable > 0 {
        return Err(Error::UnusableKey { domains: unusable });
    }
    let over: Vec<_> = plan
        .entries
        .iter()
        .filter(|e| e.action() == Action::OverQuota)
        .map(|e| e.address.target())
        .collect();
    if !over.is_empty() {
        let targets = over.iter().collect::<std::collections::BTreeSet<_>>().len();
        return Err(Error::OverQuota {
            domains: over.len(),
            targets,
        });
    }
    Ok(match (args.detailed_exitcode, plan.has_changes()) {
        (true, true) => Exit::Changes,
        _ => Exit::Success,
    })
}

/// The plan on stdout as `format` says: what `plan` prints, and `show` of a saved plan.
pub(super) fn print(plan: &Plan, format: Format, painting: Painting, detail: Detail) {
    let color = crate::paint::enabled(painting.color, std::io::stdout().is_terminal());
    let text = match format {
        Format::Human => render::human(plan, &HumanOptions { detail, color }),
        Format::Json => render::json(plan),
    };
    output::stdout(&text, color);
}
