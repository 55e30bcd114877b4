//! `provision apply`: plan (or load a saved plan), show it, confirm, apply, report.

use super::engine::Session;
use crate::apply::{Events, Settings, apply};
use crate::call::interrupt;
use crate::cli::ApplyArgs;
use crate::manifest::{self, Format as ManifestFormat};
use crate::observe::verify;
use crate::plan::render::{self as plan_render, HumanOptions};
use crate::plan::{Action, Plan};
use crate::report::event_log::EventLog;
use crate::report::progress::{Progress, Show};
use crate::report::since_plan::since_plan;
use crate::report::{Report, notice, render as report_render};
use crate::resolve::resolve;
use crate::{Error, Exit, output};
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub async fn run(args: ApplyArgs) -> Result<Exit, Error> {
    super::log::init(args.verbosity.logs_calls());
    let global = &args.session;
    // Everything that can be checked without a network call is checked first. A saved plan
    // brings its manifest back: the plan is applied only if the manifest still produces it.
    let (saved, manifest) = match ManifestFormat::from_path(&args.input) {
        Some(_) => (None, manifest::load(&args.input)?),
        None => {
            if !args.filter.filter().is_empty() {
                return Err(Error::FilterOnSavedPlan);
            }
            let plan = crate::plan::load(&args.input)?;
            let manifest = manifest::load(Path::new(&plan.manifest))?;
            (Some(plan), manifest)
        }
    };
    manifest::check_domain_quota(&manifest, args.engine.domain_quota)?;
    // Where the reports go is checked now: a path that cannot be written must not be found out
    // after the domains were created.
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty());
    let reports = [args.report.as_deref(), args.report_md.as_deref()];
    for path in reports
        .into_iter()
        .flatten()
        .chain(summary.as_deref().map(Path::new))
    {
        output::check_writable(path).map_err(|cause| Error::ReportPath {
            path: path.to_path_buf(),
            cause,
        })?;
    }
    let events = super::engine::events(args.verbosity.events.as_deref(), "apply")?;
    let mut session = Session::connect(global, &args.engine, events.as_ref()).await?;
    let color = crate::paint::enabled(args.painting.color, std::io::stdout().is_terminal());
    let result = run_with(&args, &mut session, saved, manifest, color, events).await;
    session.close().await;
    result
}

async fn run_with(
    args: &ApplyArgs,
    session: &mut Session,
    saved: Option<Plan>,
    manifest: manifest::Manifest,
    color: bool,
    events: Option<Arc<EventLog>>,
) -> Result<Exit, Error> {
    // An early error drops it, which stops it too.
    let observing = Progress::observing(Show::pick(args.verbosity.quiet()));
    // Of a saved plan: the domains whose target no longer answers (checked again below).
    let mut unreachable_now = None;
    let plan = match saved {
        Some(mut plan) => {
            let resolved = resolve(&session.env, &manifest).await?;
            crate::plan::bind(&args.input, &plan, &manifest, &resolved)?;
            session.env.connect(&plan.targets).await;
            let blocked = verify(&session.env, &plan.targets, &observing).await?;
            let before = plan.count(Action::Unreachable);
            plan.block(&blocked);
            unreachable_now = Some(plan.count(Action::Unreachable) - before);
            plan
        }
        None => {
            session
                .plan(&args.input, &manifest, &args.filter.filter(), &observing)
                .await?
        }
    };
    observing.finish();
    let shown = HumanOptions {
        detail: args.verbosity.detail(),
        color,
    };
    output::stdout(&plan_render::human(&plan, &shown), color);
    if plan.changes_anything(args.prune) && !args.auto_approve {
        let deletes = match args.prune {
            true => plan.count(Action::Delete),
            false => 0,
        };
        confirm(deletes)?;
    }
    let total = plan.reported().count();
    let progress = Arc::new(Progress::applying(
        total as u64,
        Show::pick(args.verbosity.quiet()),
    ));
    let settings = Settings {
        max_failures: args.max_failures,
        prune: args.prune,
    };
    let (trigger, stop) = interrupt::channel();
    let grace = Duration::from_secs(args.grace);
    let notices = Arc::clone(&progress);
    let listener = tokio::spawn(interrupt::listen(trigger, grace, move |level| {
        notices.notice(&notice::interrupted(level, grace));
    }));
    let mut watchers: Vec<&dyn Events> = vec![progress.as_ref()];
    if let Some(events) = &events {
        watchers.push(events.as_ref());
    }
    let started = std::time::SystemTime::now();
    let applied = apply(&plan, &session.env, &settings, &watchers, &stop).await;
    progress.finish();
    listener.abort();
    let report = Report::new(applied, &plan, started);
    output::stdout(
        &format!(
            "\n{}",
            report_render::text(&report, args.verbosity.detail(), color)
        ),
        color,
    );
    if let Some(text) = unreachable_now.and_then(|n| since_plan(&report, n)) {
        output::stdout(&text, color);
    }
    if report.interrupted {
        output::stderr(notice::RERUN, false);
    }
    if let Some(path) = &args.report {
        write(path, &report_render::json(&report))?;
    }
    let markdown = report_render::markdown(&report);
    if let Some(path) = &args.report_md {
        write(path, &markdown)?;
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        let path = Path::new(&summary);
        output::append_file(path, &markdown).map_err(|cause| Error::Write {
            path: path.to_path_buf(),
            cause,
        })?;
    }
    Ok(if report.interrupted {
        Exit::Interrupted
    } else if report.is_success() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// Ask on the terminal; without one, refuse rather than guess. Deletions are named in the
/// question: they cannot be undone.
fn confirm(deletes: usize) -> Result<(), Error> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::NeedsApproval);
    }
    let warning = match deletes {
        0 => String::new(),
        n => format!(
            " This DELETES {} (--prune).",
            crate::text::plural(n, "domain", "domains")
        ),
    };
    output::stderr(
        &format!("\nApply these changes?{warning} Only 'yes' is accepted: "),
        false,
    );
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|cause| Error::Read {
            path: "<stdin>".into(),
            cause,
        })?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Error::Declined)
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    output::write_file(path, text).map_err(|cause| Error::Write {
        path: path.to_path_buf(),
        cause,
    })
}
