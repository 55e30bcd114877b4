//! SDK configuration for one (account, Region): the standard credential chain, a profile, or an
//! assumed role; SDK retries off (the apply module owns retries); optional endpoint override.

use crate::plan::TargetCredentials;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_codeartifact::config::Credentials;
use std::time::Duration;

/// Where requests go: AWS as configured by the environment, or another endpoint.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// `--endpoint-url`, or the embedded endpoint of `--local`. `AWS_ENDPOINT_URL` is read by the SDK itself.
    pub endpoint_url: Option<String>,
    /// Against the embedded endpoint: no AWS credentials exist, so static ones stand in.
    pub local: bool,
}

/// The account that `--local` uses for the caller (the endpoint's default account).
pub const LOCAL_CALLER: &str = "000000000000";

/// The clients for one (account, Region).
#[derive(Clone, Debug)]
pub struct Clients {
    pub codeartifact: aws_sdk_codeartifact::Client,
    pub kms: aws_sdk_kms::Client,
    pub sts: aws_sdk_sts::Client,
}

impl Clients {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            codeartifact: aws_sdk_codeartifact::Client::new(config),
            kms: aws_sdk_kms::Client::new(config),
            sts: aws_sdk_sts::Client::new(config),
        }
    }
}

impl Connection {
    fn loader(&self, region: &str) -> aws_config::ConfigLoader {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            // One attempt: the apply module's retry owner decides, honouring Retry-After.
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            );
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader
    }

    /// The caller's own configuration (the standard chain, or the local stand-in).
    pub async fn caller(&self, region: &str) -> SdkConfig {
        let mut loader = self.loader(region);
        if self.local {
            loader = loader.credentials_provider(local_credentials(LOCAL_CALLER));
        }
        loader.load().await
    }

    /// The configuration that acts in `account` as its credentials say.
    pub async fn target(
        &self,
        credentials: &TargetCredentials,
        account: &str,
        region: &str,
    ) -> SdkConfig {
        match credentials {
            TargetCredentials::Caller => self.caller(region).await,
            TargetCredentials::Profile { profile } => {
                let loader = self.loader(region);
                if self.local {
                    // No profiles exist for the embedded endpoint: act as the account directly.
                    loader
                        .credentials_provider(local_credentials(account))
                        .load()
                        .await
                } else {
                    loader.profile_name(profile).load().await
                }
            }
            TargetCredentials::AssumeRole {
                role_arn,
                external_id,
                session_name,
            } => {
                let base = self.caller(region).await;
                let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn)
                    .session_name(session_name.clone().unwrap_or_else(|| "provision".into()))
                    .region(Region::new(region.to_string()));
                if let Some(id) = external_id {
                    builder = builder.external_id(id);
                }
                let provider = builder.configure(&base).build().await;
                self.loader(region)
                    .credentials_provider(provider)
                    .load()
                    .await
            }
        }
    }
}

/// The embedded endpoint's convention: a 12-digit access key id acts as that account.
fn local_credentials(account: &str) -> Credentials {
    Credentials::new(account, "test", None, None, "provision-local")
}
