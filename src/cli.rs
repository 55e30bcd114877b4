//! Command-line definitions only (clap): what the user can type, nothing that runs.

use crate::paint::ColorChoice;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Provision AWS CodeArtifact domains declaratively and in batch.
#[derive(Debug, Parser)]
#[command(name = "provision", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where AWS calls go and as whom: the flags of the commands that call AWS (plan, apply,
/// export), and only theirs.
#[derive(Debug, Clone, Args)]
pub struct SessionArgs {
    /// Run against the built-in local endpoint (state under .provision/local/): no AWS account needed.
    #[arg(long, conflicts_with = "endpoint_url")]
    pub local: bool,
    /// Send every AWS call to this endpoint (as AWS_ENDPOINT_URL does).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The caller's named profile (from the AWS config or credentials file), as the aws CLI's
    /// --profile; it wins over AWS_PROFILE.
    #[arg(long, value_name = "NAME", conflicts_with = "local")]
    pub profile: Option<String>,
    /// Allow an endpoint over plain HTTP on another machine (signed requests in clear text).
    #[arg(long)]
    pub allow_insecure_endpoint: bool,
    /// With --local: serve this organisation (AWS Organizations) from a YAML file, and act as its
    /// management account (see `provision emulator --help`).
    #[arg(long, value_name = "FILE", requires = "local")]
    pub organization: Option<PathBuf>,
}

/// Colour: the flag of the commands that print a plan or a report (plan, apply, show).
#[derive(Debug, Clone, Copy, Args)]
pub struct Painting {
    /// Colour in the plan and report: `auto` colours a terminal unless NO_COLOR is set or
    /// TERM=dumb; `always` and `never` decide regardless.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// How much the plan and report say: `-v` everything (unchanged domains, every reason
/// unfolded), `-q` only problems and the summary.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Shown {
    /// Show more: every domain, unchanged ones included, and every reason unfolded; `-vv` also
    /// logs every AWS call, as --debug (where there are calls).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Show less: problems and the summary only; no progress.
    #[arg(short, long)]
    pub quiet: bool,
}

impl Shown {
    /// How much the plan and report say.
    pub fn detail(&self) -> crate::text::Detail {
        use crate::text::Detail;
        match (self.quiet, self.verbose) {
            (true, _) => Detail::Quiet,
            (false, 0) => Detail::Normal,
            (false, _) => Detail::Verbose,
        }
    }
}

/// What a run that calls AWS says: [`Shown`], `--debug`, which also logs every AWS call, and
/// `--events`, the same for machines.
#[derive(Debug, Clone, Default, Args)]
pub struct Verbosity {
    #[command(flatten)]
    pub shown: Shown,
    /// Log every AWS call (service, operation, account, Region, status, request id, latency) to
    /// stderr; RUST_LOG=provision=debug does the same.
    #[arg(long)]
    pub debug: bool,
    /// Write JSON Lines to PATH as the run goes: one event per AWS call and per domain outcome
    /// (format provision-events/1, schemas/events.schema.json).
    #[arg(long, value_name = "PATH")]
    pub events: Option<PathBuf>,
}

impl Verbosity {
    pub fn detail(&self) -> crate::text::Detail {
        self.shown.detail()
    }

    /// `-q`: no progress either.
    pub fn quiet(&self) -> bool {
        self.shown.quiet
    }

    /// `--debug`, or `-vv`: every AWS call logged.
    pub fn logs_calls(&self) -> bool {
        self.debug || self.shown.verbose >= 2
    }
}

/// What plan and apply are limited to, as Terraform's `-target` (each repeatable; a domain passes
/// when it matches one value of every flag given).
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only this account (its id, or its name in the manifest or the organisation).
    #[arg(long = "account", value_name = "NAME|ID")]
    pub accounts: Vec<String>,
    /// Only this Region.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Only domains whose name matches this glob (`*` any characters, `?` one).
    #[arg(long = "domain", value_name = "GLOB")]
    pub domains: Vec<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> crate::model::Filter {
        crate::model::Filter {
            accounts: self.accounts.clone(),
            regions: self.regions.clone(),
            domains: self.domains.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a manifest without calling AWS; every problem is reported at once.
    Validate(ValidateArgs),
    /// Observe what exists and show what apply would change (read-only).
    Plan(PlanArgs),
    /// Create missing domains and correct tags, concurrently, then report.
    Apply(ApplyArgs),
    /// Write a manifest from the domains that exist in some accounts and Regions (adoption): a
    /// plan of it shows no changes.
    Export(ExportArgs),
    /// Show a plan saved by `provision plan --out`, calling nothing.
    Show(ShowArgs),
    /// Run a local AWS endpoint (CodeArtifact domains, STS, KMS) until interrupted.
    Emulator(EmulatorArgs),
    /// Print a shell completion script (e.g. `provision completions bash > /etc/bash_completion.d/provision`).
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Regions to read (repeat the flag or separate with commas).
    #[arg(
        long = "region",
        value_name = "REGION",
        required = true,
        value_delimiter = ','
    )]
    pub regions: Vec<String>,
    /// Accounts to read, by 12-digit id (repeat or separate with commas); default: the caller's.
    #[arg(long = "account", value_name = "ID", value_delimiter = ',')]
    pub accounts: Vec<String>,
    /// Reach each --account by assuming this role in it (e.g. OrganizationAccountAccessRole);
    /// without it, with the caller's credentials.
    #[arg(long, value_name = "NAME", requires = "accounts")]
    pub role_name: Option<String>,
    /// Write here; the extension (.yaml, .yml, .toml) picks the format. Default: YAML on stdout.
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Log every AWS call to stderr, as plan's --debug (RUST_LOG too).
    #[arg(long)]
    pub debug: bool,
    /// No progress on stderr (it shows the accounts and Regions read of the total).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write provision.1 and one provision-COMMAND.1 per command here instead of printing
    /// provision.1 (e.g. `provision man --dir /usr/local/share/man/man1`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The manifest (.yaml, .yml or .toml).
    pub manifest: PathBuf,
    /// Domains allowed per (account, Region), as for plan and apply: more in one is a problem.
    #[arg(long, value_name = "N", default_value_t = crate::plan::quota::DEFAULT_DOMAIN_QUOTA, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub domain_quota: u32,
}

/// Requests in flight by default. At organisation scale a run is bound by round trips: about
/// 14 000 calls for 10 000 domains over 1 000 accounts, at 50-150 ms each, take 5-6 s at 256 in
/// flight and 3-5 s at 512, and no faster at 1 024 on a 2-core runner (the client's CPU binds
/// there) while memory grows with what is in flight (BENCHMARKS.md). Each target's own rates
/// (`--rate`, `--read-rate`) stay far below AWS's quotas whatever this is.
pub const DEFAULT_CONCURRENCY: u32 = 512;

/// How hard to push AWS; shared by plan (reads) and apply (writes).
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// Requests in flight at once, over all accounts and Regions (each target is also held to
    /// its own rates).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,
    /// Write requests per second per (account, Region); AWS allows about 100 per account.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rate: u32,
    /// Read requests per second per (account, Region); AWS allows about 800 per account.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub read_rate: u32,
    /// Domains allowed per (account, Region): CodeArtifact's quota is 10 unless raised through
    /// Service Quotas. A target whose existing plus planned domains exceed it creates none.
    #[arg(long, value_name = "N", default_value_t = crate::plan::quota::DEFAULT_DOMAIN_QUOTA, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub domain_quota: u32,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The manifest (.yaml, .yml or .toml).
    pub manifest: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Save the plan as JSON, to apply it exactly later (`provision apply PLAN`).
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
    /// Exit 0 when there is nothing to change, 2 when there are changes (1 on a failure, 3 on
    /// invalid input, as without it).
    #[arg(long)]
    pub detailed_exitcode: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub painting: Painting,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A manifest (.yaml, .yml, .toml) or a plan saved by `provision plan --out` (.json).
    pub input: PathBuf,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub auto_approve: bool,
    /// Write the report as JSON.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Write the report as Markdown (also appended to $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "PATH")]
    pub report_md: Option<PathBuf>,
    /// With a manifest (a saved plan keeps the filter it was made with).
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub verbosity: Verbosity,
    /// Stop starting new work once more than N (or N% of the) domains have failed; the rest are skipped.
    #[arg(long, value_name = "N|N%")]
    pub max_failures: Option<crate::call::breaker::MaxFailures>,
    /// Delete the domains the plan shows as `- delete`: not in the manifest, carrying its
    /// `ownership` tag (read again just before). Without it they are kept and reported so.
    #[arg(long)]
    pub prune: bool,
    /// After the first Ctrl-C/SIGTERM, how long in-flight calls may take before the run stops at once.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub grace: u64,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub painting: Painting,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan saved by `provision plan --out PLAN.json`.
    pub plan: PathBuf,
    /// Output format on stdout (`json` is the saved plan as `plan --format json` prints it).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub painting: Painting,
    #[command(flatten)]
    pub shown: Shown,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    #[command(flatten)]
    pub config: provision_emulator::Config,
}

/// How a plan or report is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}
