//! The caller's named profile (`--profile`, else `AWS_PROFILE`) and the profiles the shared AWS
//! files define, read as the SDK reads them: a name that is not there is found before any call,
//! instead of surfacing as the last link of the credential chain ("failed to load IMDS session
//! token").

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use std::collections::BTreeSet;

/// A profile people chose, and where they chose it (shown in messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub name: String,
    pub from: &'static str,
}

/// The caller's profile: the flag wins over `AWS_PROFILE`, as in the aws CLI. `None` means the
/// SDK's default (`default`, which may rightly not exist when credentials come from elsewhere).
pub fn chosen(flag: Option<&str>) -> Option<Chosen> {
    if let Some(name) = flag {
        return Some(Chosen {
            name: name.to_string(),
            from: "--profile",
        });
    }
    // `AWS_PROFILE=default` names what the SDK uses anyway, which may rightly not exist.
    std::env::var("AWS_PROFILE")
        .ok()
        .filter(|p| !p.is_empty() && p != "default")
        .map(|name| Chosen {
            name,
            from: "AWS_PROFILE",
        })
}

/// The profile names in `~/.aws/config` and `~/.aws/credentials` (or the files
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name); missing files define none. `None`
/// when a file cannot be parsed: which profiles it defines is then unknown, and the SDK reports
/// the file itself when it reads it.
pub async fn defined() -> Option<BTreeSet<String>> {
    let loaded =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await;
    loaded
        .ok()
        .map(|set| set.profiles().map(str::to_string).collect())
}
