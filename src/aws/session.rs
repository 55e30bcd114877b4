//! SDK configuration for one (account, Region): the standard credential chain, a profile, or an
//! assumed role; SDK retries off (the call layer owns retries); optional endpoint override.

use super::CallError;
use crate::model::TargetCredentials;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_sdk_codeartifact::config::Credentials;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Where requests go (AWS as configured by the environment, or another endpoint), and the SDK
/// configuration built so far: one per Region for the caller, one AssumeRole per role.
#[derive(Debug)]
pub struct Connection {
    /// `--endpoint-url`, or the embedded endpoint of `--local`. `AWS_ENDPOINT_URL` is read by the SDK itself.
    pub endpoint_url: Option<String>,
    /// Against the embedded endpoint: no AWS credentials exist, so static ones stand in.
    pub local: bool,
    /// The account those stand-in credentials act as for the caller ([`LOCAL_CALLER`] unless set).
    pub local_caller: String,
    /// `--profile`: the caller's named profile (else the SDK reads `AWS_PROFILE`).
    pub profile: Option<String>,
    /// Loading a configuration reads files and builds an HTTP client: once per Region, then
    /// shared (with its connection pool) by every target there.
    callers: Mutex<HashMap<String, SdkConfig>>,
    /// One provider per role for the whole run, shared by the account's Regions.
    roles: Mutex<HashMap<RoleKey, SharedCredentialsProvider>>,
    /// One HTTPS client (TLS configuration and connection pool) for every SDK client.
    http: SharedHttpClient,
}

/// A role as assumed: its ARN, external id and session name.
type RoleKey = (String, Option<String>, Option<String>);

/// Organizations has one endpoint in the `aws` partition, in us-east-1: its clients sign there.
pub const ORGANIZATIONS_REGION: &str = "us-east-1";

/// The account that `--local` uses for the caller (the endpoint's default account).
pub const LOCAL_CALLER: &str = "000000000000";

/// The clients for one (account, Region), each built on first use: a client costs about 10 KB,
/// and most targets never need all three (KMS only where keys are named or read, STS once per
/// account).
#[derive(Debug)]
pub struct Clients {
    config: SdkConfig,
    codeartifact: OnceLock<aws_sdk_codeartifact::Client>,
    kms: OnceLock<aws_sdk_kms::Client>,
    sts: OnceLock<aws_sdk_sts::Client>,
}

impl Clients {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            config: config.clone(),
            codeartifact: OnceLock::new(),
            kms: OnceLock::new(),
            sts: OnceLock::new(),
        }
    }

    pub fn codeartifact(&self) -> &aws_sdk_codeartifact::Client {
        self.codeartifact
            .get_or_init(|| super::wire::codeartifact(&self.config))
    }

    pub fn kms(&self) -> &aws_sdk_kms::Client {
        self.kms.get_or_init(|| super::wire::kms(&self.config))
    }

    pub fn sts(&self) -> &aws_sdk_sts::Client {
        self.sts.get_or_init(|| super::wire::sts(&self.config))
    }

    /// The account the credentials' issuer named, when it named one: STS does in every
    /// AssumeRole answer (the assumed role's ARN). Resolving them is what the first call would
    /// do anyway; nothing is sent to the target.
    pub async fn issued_for(&self) -> Result<Option<String>, CallError> {
        let Some(provider) = self.config.credentials_provider() else {
            return Ok(None);
        };
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| CallError::of_credentials(&e))?;
        Ok(credentials.account_id().map(|a| a.as_str().to_string()))
    }
}

impl Connection {
    pub fn new(endpoint_url: Option<String>, local: bool) -> Self {
        Self {
            endpoint_url,
            local,
            local_caller: String::new(),
            profile: None,
            callers: Mutex::default(),
            roles: Mutex::default(),
            http: super::http::shared_client(),
        }
    }

    fn loader(&self, region: &str) -> aws_config::ConfigLoader {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .http_client(self.http.clone())
            // One attempt: the call layer's retry owner decides, honouring Retry-After.
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
        let mut callers = self.callers.lock().await;
        if let Some(config) = callers.get(region) {
            return config.clone();
        }
        let mut loader = self.loader(region);
        if self.local {
            let caller = if self.local_caller.is_empty() {
                LOCAL_CALLER
            } else {
                &self.local_caller
            };
            loader = loader.credentials_provider(local_credentials(caller));
        } else if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        let config = registering(loader.load().await);
        callers.insert(region.to_string(), config.clone());
        config
    }

    /// Whether the caller's chain yields credentials at all, asked once and directly: a chain
    /// with nothing in it is not a hiccup worth the call layer's minutes of backoff.
    pub async fn probe_caller(&self, region: &str) -> Result<(), CallError> {
        let config = self.caller(region).await;
        let Some(provider) = config.credentials_provider() else {
            return Err(CallError::new(
                super::ErrorKind::Credentials,
                "no credentials provider is configured",
            ));
        };
        provider
            .provide_credentials()
            .await
            .map(|_| ())
            .map_err(|e| CallError::of_credentials(&e))
    }

    /// An Organizations client with the caller's own credentials (discovery and the
    /// organisation's id are asked as the caller, never as a target).
    pub async fn organizations(&self) -> aws_sdk_organizations::Client {
        super::wire::organizations(&self.caller(ORGANIZATIONS_REGION).await)
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
                if self.local {
                    // No profiles exist for the embedded endpoint: act as the account directly.
                    let provider = SharedCredentialsProvider::new(local_credentials(account));
                    let base = self.caller(region).await;
                    base.to_builder().credentials_provider(provider).build()
                } else {
                    registering(self.loader(region).profile_name(profile).load().await)
                }
            }
            TargetCredentials::AssumeRole {
                role_arn,
                external_id,
                session_name,
            } => {
                let base = self.caller(region).await;
                let key = (role_arn.clone(), external_id.clone(), session_name.clone());
                let mut roles = self.roles.lock().await;
                let provider = match roles.get(&key) {
                    Some(p) => p.clone(),
                    None => {
                        let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn)
                            .session_name(
                                session_name.clone().unwrap_or_else(|| "provision".into()),
                            )
                            .region(Region::new(region.to_string()));
                        if let Some(id) = external_id {
                            builder = builder.external_id(id);
                        }
                        let role = builder.configure(&base).build().await;
                        let provider = SharedCredentialsProvider::new(OncePerRole::new(role));
                        roles.insert(key, provider.clone());
                        provider
                    }
                };
                base.to_builder().credentials_provider(provider).build()
            }
        }
    }
}

/// Assume a role once and hand the credentials to every client of the account until they are
/// about to expire: the caller's STS quota is spent once per account, not once per Region.
#[derive(Debug)]
struct OncePerRole {
    role: aws_config::sts::AssumeRoleProvider,
    cached: Mutex<Option<Credentials>>,
}

/// Credentials this close to expiry are renewed.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

impl OncePerRole {
    fn new(role: aws_config::sts::AssumeRoleProvider) -> Self {
        Self {
            role,
            cached: Mutex::new(None),
        }
    }
}

impl ProvideCredentials for OncePerRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            // Held across the AssumeRole call: concurrent clients wait for one answer.
            let mut cached = self.cached.lock().await;
            let fresh_enough = |c: &Credentials| {
                c.expiry()
                    .is_none_or(|e| e > SystemTime::now() + RENEW_BEFORE)
            };
            if let Some(c) = cached.as_ref().filter(|c| fresh_enough(c)) {
                return Ok(c.clone());
            }
            let credentials = self.role.provide_credentials().await?;
            register(&credentials);
            *cached = Some(credentials.clone());
            Ok(credentials)
        })
    }
}

/// The embedded endpoint's convention: a 12-digit access key id acts as that account.
fn local_credentials(account: &str) -> Credentials {
    Credentials::new(account, "test", None, None, "provision-local")
}

/// The same configuration, with every credential it hands out kept out of all output.
fn registering(config: SdkConfig) -> SdkConfig {
    match config.credentials_provider() {
        Some(inner) => config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(Registering(inner)))
            .build(),
        None => config,
    }
}

fn register(c: &Credentials) {
    crate::output::register_secret(c.secret_access_key());
    if let Some(token) = c.session_token() {
        crate::output::register_secret(token);
    }
}

/// A credentials provider whose answers are registered as secrets before anyone sees them.
#[derive(Debug)]
struct Registering(SharedCredentialsProvider);

impl ProvideCredentials for Registering {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let credentials = self.0.provide_credentials().await?;
            register(&credentials);
            Ok(credentials)
        })
    }
}
