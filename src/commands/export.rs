//! `provision export`: read every domain of some accounts and Regions and write the manifest
//! that describes them (adoption).

use super::engine::Session;
use crate::cli::ExportArgs;
use crate::export::{self, ExportError};
use crate::manifest::{Format, regions};
use crate::model::{Target, TargetCredentials};
use crate::report::progress::{Progress, Show};
use crate::resolve::{caller_identity, credentials};
use crate::text::plural;
use crate::{Error, Exit, observe, output};

pub async fn run(args: ExportArgs) -> Result<Exit, Error> {
    super::log::init(args.debug);
    let format = check(&args)?;
    if let Some(out) = &args.out {
        output::check_writable(out).map_err(|cause| Error::Write {
            path: out.clone(),
            cause,
        })?;
    }
    let mut session = Session::connect(&args.session, &args.engine, None).await?;
    let result = export_with(&args, &mut session, format).await;
    session.close().await;
    result
}

/// The flags' values, checked before anything is asked; the output's format.
fn check(args: &ExportArgs) -> Result<Format, ExportError> {
    let flag = |flag, value: &str, why: String| ExportError::Flag {
        flag,
        value: value.to_string(),
        why,
    };
    for r in &args.regions {
        if !regions::is_known(r) {
            let hint =
                regions::suggest(r).map_or(String::new(), |s| format!(" (did you mean {s}?)"));
            return Err(flag("--region", r, format!("not an AWS Region{hint}")));
        }
    }
    for a in &args.accounts {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(flag(
                "--account",
                a,
                "an account is given by its 12-digit id".into(),
            ));
        }
    }
    if let Some(name) = &args.role_name
        && (name.is_empty() || name.contains(char::is_whitespace))
    {
        return Err(flag("--role-name", name, "not an IAM role name".into()));
    }
    match &args.out {
        None => Ok(Format::Yaml),
        Some(out) => Format::from_path(out).ok_or_else(|| {
            flag(
                "--out",
                &out.display().to_string(),
                "the extension must be .yaml, .yml or .toml (it picks the format)".into(),
            )
        }),
    }
}

async fn export_with(
    args: &ExportArgs,
    session: &mut Session,
    format: Format,
) -> Result<Exit, Error> {
    let env = &session.env;
    let first = args.regions.first().map_or("us-east-1", String::as_str);
    credentials::check_caller(env, first)
        .await
        .map_err(crate::resolve::ResolveError::from)?;
    let caller = caller_identity(env, first).await?;
    let accounts = match args.accounts.is_empty() {
        true => vec![caller.account.clone()],
        false => args.accounts.clone(),
    };
    let credentials = |id: &str| match &args.role_name {
        Some(name) => TargetCredentials::AssumeRole {
            role_arn: format!("arn:{}:iam::{id}:role/{name}", caller.partition),
            external_id: None,
            session_name: None,
        },
        None => TargetCredentials::Caller,
    };
    let mut targets = Vec::new();
    for id in &accounts {
        for region in &args.regions {
            targets.push(Target {
                account: id.as_str().into(),
                account_name: None,
                region: region.as_str().into(),
                credentials: credentials(id),
            });
        }
    }
    targets.sort();
    targets.dedup();
    session.env.connect(&targets).await;
    // An early error drops it, which stops it too.
    let reading = Progress::observing(Show::pick(args.quiet));
    let live = observe::inventory(&session.env, &targets, &reading).await?;
    reading.finish();
    for (key, blocked) in &live.unreachable {
        output::stderr(
            &format!("× {key}: {}: {}\n", blocked.label(), blocked.message),
            false,
        );
    }
    let exported = export::build(&targets, &live);
    for note in &exported.left_out {
        output::stderr(&format!("! {note}\n"), false);
    }
    let header = format!(
        "Written by `provision export` (provision {}) from {} in {} × {}.\n\
         A plan of this file shows no changes while they stay as they are.",
        env!("CARGO_PKG_VERSION"),
        plural(exported.domains, "domain", "domains"),
        plural(accounts.len(), "account", "accounts"),
        plural(args.regions.len(), "Region", "Regions"),
    );
    let text = export::render(&exported.manifest, format, &header)?;
    match &args.out {
        Some(path) => {
            output::write_file(path, &text).map_err(|cause| Error::Write {
                path: path.clone(),
                cause,
            })?;
            output::stderr(
                &format!(
                    "Exported {} to {}.\n",
                    plural(exported.domains, "domain", "domains"),
                    path.display()
                ),
                false,
            );
        }
        None => output::stdout(&text, false),
    }
    if live.unreachable.is_empty() {
        Ok(Exit::Success)
    } else {
        Err(ExportError::Incomplete {
            targets: live.unreachable.len(),
            written: exported.domains,
        }
        .into())
    }
}
