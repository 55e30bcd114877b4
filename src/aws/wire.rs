//! What the wire said of each request: service, operation, HTTP status and request id. The SDK
//! knows them and provision's code does not, so an interceptor on every client notes them into
//! the slot that the call layer opens around each attempt (a task-local: the SDK runs its
//! interceptors inside the attempt's own future).

use aws_sdk_codeartifact::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// One request as the SDK saw it. Empty when the attempt made no request (credentials that
/// come from a cache, a test's stand-in call).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wire {
    /// The service as the SDK names it: `codeartifact`, `STS`, `KMS`, `Organizations`.
    pub service: Option<String>,
    /// The API operation: `CreateDomain`, `ListTagsForResource`…
    pub operation: Option<String>,
    /// The HTTP status of the answer, when one came.
    pub status: Option<u16>,
    /// AWS's id of the request (`x-amzn-RequestId`), when the answer carried one.
    pub request_id: Option<String>,
}

tokio::task_local! {
    static SLOT: Arc<Mutex<Wire>>;
}

/// The slot of one attempt: opened around its future, read once it ended (or was abandoned,
/// timed out: what was noted until then is kept).
#[derive(Debug, Default)]
pub struct Noted(Arc<Mutex<Wire>>);

impl Noted {
    /// Run `attempt` with this slot open to the interceptor.
    pub fn around<F: Future>(&self, attempt: F) -> impl Future<Output = F::Output> {
        SLOT.scope(Arc::clone(&self.0), attempt)
    }

    /// What the interceptor noted.
    pub fn take(&self) -> Wire {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Notes each request into the current attempt's slot; outside one (a credentials provider's
/// own client) it notes nothing.
#[derive(Debug)]
pub struct Note;

fn note(update: impl FnOnce(&mut Wire)) {
    let _ = SLOT.try_with(|slot| update(&mut slot.lock().unwrap_or_else(|p| p.into_inner())));
}

fn operation(cfg: &ConfigBag, wire: &mut Wire) {
    if let Some(m) = cfg.load::<Metadata>() {
        wire.service = Some(m.service().to_string());
        wire.operation = Some(m.name().to_string());
    }
}

impl Intercept for Note {
    fn name(&self) -> &'static str {
        "provision::wire"
    }

    /// Known before anything is sent: an attempt that times out still says what it was.
    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        note(|wire| operation(cfg, wire));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        note(|wire| {
            operation(cfg, wire);
            if let Some(response) = context.response() {
                wire.status = Some(response.status().as_u16());
                let headers = response.headers();
                wire.request_id = (headers.get("x-amzn-requestid"))
                    .or_else(|| headers.get("x-amz-request-id"))
                    .map(str::to_string);
            }
        });
        Ok(())
    }
}

/// The clients of each service, with the interceptor: every client provision builds is built here.
pub fn codeartifact(config: &aws_config::SdkConfig) -> aws_sdk_codeartifact::Client {
    let conf = aws_sdk_codeartifact::config::Builder::from(config).interceptor(Note);
    aws_sdk_codeartifact::Client::from_conf(conf.build())
}

pub fn kms(config: &aws_config::SdkConfig) -> aws_sdk_kms::Client {
    let conf = aws_sdk_kms::config::Builder::from(config).interceptor(Note);
    aws_sdk_kms::Client::from_conf(conf.build())
}

pub fn sts(config: &aws_config::SdkConfig) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::config::Builder::from(config).interceptor(Note);
    aws_sdk_sts::Client::from_conf(conf.build())
}

pub fn organizations(config: &aws_config::SdkConfig) -> aws_sdk_organizations::Client {
    let conf = aws_sdk_organizations::config::Builder::from(config).interceptor(Note);
    aws_sdk_organizations::Client::from_conf(conf.build())
}
