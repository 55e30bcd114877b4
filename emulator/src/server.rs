//! The HTTP server: accept loop (capped), then per request body → SigV4 → route by service → faults → quota → handler → stats.

use crate::auth;
use crate::config::{Config, Faults};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::journal::JournalError;
use crate::operation::Operation;
use crate::protocol::{JsonService, Protocol, Reply};
use crate::service::{Call, Ctx};
use crate::sigv4::{self, RequestParts};
use crate::state::Store;
use crate::{admin, body, clock, codeartifact, connection, kms, organizations, sts};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

/// How long shutdown waits for in-flight requests.
const DRAIN: Duration = Duration::from_secs(5);

/// The kernel's queue of connections not yet accepted holds at least this many (the kernel
/// caps it at `net.core.somaxconn`).
const MIN_BACKLOG: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "refusing to listen on {0}: the endpoint has no real security; pass --allow-non-loopback to expose it anyway"
    )]
    NonLoopback(SocketAddr),
    // The io::Error is the `source`; repeating it here would print it twice in a cause chain.
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    State(#[from] JournalError),
    #[error("invalid faults: {0}")]
    Faults(String),
    #[error(transparent)]
    Organization(#[from] organizations::OrganizationFileError),
}

/// A running endpoint. Dropping it without `shutdown` leaves the server running until the runtime ends.
pub struct Running {
    addr: SocketAddr,
    seed: u64,
    ctx: Arc<Ctx>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    /// `http://127.0.0.1:PORT`, what `AWS_ENDPOINT_URL` should be set to.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The organisation's management account, when an organisation is served.
    pub fn management_account(&self) -> Option<String> {
        self.ctx.organization.get().map(|o| o.management.clone())
    }

    /// The seed of the fault generator (replay a run with `--seed`).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Change the injected faults of the running endpoint.
    pub fn set_faults(&self, faults: Faults) {
        self.ctx.set_faults(faults);
    }

    /// Stop accepting, let in-flight requests finish (bounded), and return.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Bind and start serving in the background of the current tokio runtime.
pub async fn start(config: Config) -> Result<Running, StartError> {
    if !config.listen.ip().is_loopback() && !config.allow_non_loopback {
        return Err(StartError::NonLoopback(config.listen));
    }
    config.faults.check().map_err(StartError::Faults)?;
    let organization = organizations::load(config.organization.as_deref())?;
    let store = match &config.state {
        Some(dir) => Store::open(dir)?,
        None => Store::in_memory(),
    };
    let seed = config.faults.seed.unwrap_or_else(rand::random);
    let listener = listen(config.listen, config.limits.max_connections).map_err(|source| {
        StartError::Bind {
            addr: config.listen,
            source,
        }
    })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.listen,
        source,
    })?;
    let ctx = Arc::new(Ctx::new(config, store, seed));
    ctx.organization.set(organization);
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(serve(listener, ctx.clone(), stopped));
    Ok(Running {
        addr,
        seed,
        ctx,
        stop,
        task,
    })
}

/// Bind with a listen queue as deep as the connection cap. `TcpListener::bind` asks for 128:
/// a client opening hundreds of connections at once (an SDK pool at high concurrency) then
/// overflows it whenever the accept loop waits its turn on a busy runtime, the kernel drops
/// the overflowing handshakes, and each of those clients waits a second for its SYN to be
/// resent. Over the cap, clients are meant to wait in this queue, so it is at least as long.
fn listen(addr: SocketAddr, max_connections: usize) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As `TcpListener::bind` does: a restarted endpoint can take its port back at once.
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    let backlog = u32::try_from(max_connections.max(MIN_BACKLOG)).unwrap_or(u32::MAX);
    socket.listen(backlog)
}

async fn serve(listener: TcpListener, ctx: Arc<Ctx>, mut stopped: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(ctx.config.limits.max_connections.max(1)));
    // Notified when all slots are taken: idle connections then close to make room.
    let pressure = Arc::new(Notify::new());
    let mut connections = JoinSet::new();
    loop {
        // A slot is taken before accepting. Over the cap, new clients wait in the kernel's listen
        // queue rather than being refused: every open connection is bounded by a timeout and idle
        // ones are reclaimed, so a waiting client gets in soon, and a refused one would see an
        // error it might not retry.
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                pressure.notify_waiters();
                tokio::select! {
                    _ = stopped.changed() => break,
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                    // Ask again: connections that were too recently idle may be reclaimable now.
                    _ = tokio::time::sleep(connection::PRESSURE_GRACE) => {}
                }
                continue;
            }
        };
        tokio::select! {
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let ctx = ctx.clone();
                let pressure = pressure.clone();
                let stopped = stopped.clone();
                connections.spawn(async move {
                    let _slot = slot;
                    let limits = ctx.config.limits.clone();
                    let handler = move |req| handle(ctx.clone(), req);
                    connection::serve(stream, handler, &limits, &pressure, stopped).await;
                });
            }
        }
    }
    let _ = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Returned instead of a response to make hyper close the connection unanswered.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

async fn handle(ctx: Arc<Ctx>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let request_id = ctx.uuid();
    let (parts, body) = req.into_parts();
    let protocol = Protocol::guess(&parts.headers);
    let (body, _held) = match body::read(body, &ctx.config.limits, &ctx.buffered).await {
        Ok(read) => read,
        Err(err) => {
            // The rest of the body is not read: the connection cannot carry another request.
            let mut reply = Reply::error(protocol, &err, &request_id);
            reply.headers.push(("connection", "close".into()));
            return Ok(respond(reply, &request_id));
        }
    };
    if parts.uri.path().starts_with("/_emulator/") {
        let reply = admin::handle(&ctx, &parts.method, parts.uri.path(), &body);
        return Ok(respond(reply, &request_id));
    }
    let reply = match authenticated(&ctx, &parts, &body, &request_id).await? {
        Ok(reply) => reply,
        Err((protocol, err)) => Reply::error(protocol, &err, &request_id),
    };
    Ok(respond(reply, &request_id))
}

type Outcome = Result<Reply, (Protocol, ApiError)>;

async fn authenticated(
    ctx: &Ctx,
    parts: &hyper::http::request::Parts,
    body: &Bytes,
    request_id: &str,
) -> Result<Outcome, Dropped> {
    let now = clock::now_f64();
    let guessed = Protocol::guess(&parts.headers);
    let raw = RequestParts {
        method: parts.method.as_str(),
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query(),
        headers: &parts.headers,
        body,
    };
    // Until the signature verifies, the account is only what the client claims: a refusal is
    // counted under its error code alone, or anyone could grow the stats without bound.
    let refuse = |protocol: Protocol, err: ApiError| {
        ctx.stats.refused(err.code);
        Ok(Err((protocol, err)))
    };
    let claim = match sigv4::parse_claim(&raw) {
        Ok(c) => c,
        Err(e) => return refuse(guessed, auth::auth_error(guessed, &e)),
    };
    let Some(protocol) = Protocol::for_service(&claim.service) else {
        let err = ApiError::new(
            400,
            "UnknownServiceException",
            format!(
                "This endpoint serves codeartifact, kms, organizations and sts, not `{}`",
                claim.service
            ),
        );
        return refuse(guessed, err);
    };
    let identity = match auth::identify(ctx, &claim, protocol, now as i64) {
        Ok(i) => i,
        Err(e) => return refuse(protocol, e),
    };
    if let Err(e) = sigv4::verify(
        &raw,
        &claim,
        &identity.secret,
        now as i64,
        &ctx.signing_keys,
    ) {
        return refuse(protocol, auth::auth_error(protocol, &e));
    }
    let call = Call {
        account: identity.account,
        caller_arn: identity.arn,
        caller_user_id: identity.user_id,
        region: claim.region,
        method: &parts.method,
        path: percent_encoding::percent_decode_str(parts.uri.path())
            .decode_utf8_lossy()
            .into_owned(),
        query: parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
        headers: &parts.headers,
        body,
        request_id,
        now,
    };
    let op = match operation(protocol, &call) {
        Ok(op) => op,
        Err(e) => return Ok(Err((protocol, e))),
    };
    let second = now as i64;
    let record =
        |outcome: &'static str| ctx.stats.record(&call.account, second, op.name(), outcome);
    let (fault, latency) = ctx.faults.decide(&call.account);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let early = match fault {
        Fault::Deny => Some(protocol.access_denied(format!(
            "User: {} is not authorized to perform: {}:{} (account denied by the emulator)",
            call.caller_arn,
            claim.service,
            op.name()
        ))),
        Fault::Throttle { retry_after } => Some(protocol.throttled(retry_after)),
        Fault::ServerError => Some(protocol.server_fault()),
        Fault::DropBefore => {
            record("dropped-before-write");
            return Err(Dropped);
        }
        Fault::None | Fault::DropAfter => None,
    };
    // The request-rate quotas are CodeArtifact's; STS and KMS have their own, far higher ones.
    let early = early.or_else(|| {
        (protocol == Protocol::RestJson && !ctx.limiter.admit(&call.account, op.kind(), second))
            .then(|| protocol.throttled(1))
    });
    let result = match early {
        Some(e) => Err(e),
        None => dispatch(ctx, &call, op),
    };
    if fault == Fault::DropAfter {
        // Only a call that succeeded counts as a write dropped after applying; one that failed
        // is counted apart, so that error codes in the stats are those clients received.
        match &result {
            Ok(_) => record("dropped-after-write"),
            Err(_) => record("dropped-after-error"),
        }
        return Err(Dropped);
    }
    match &result {
        Ok(_) => record("ok"),
        Err(e) => record(e.code),
    }
    Ok(result.map_err(|e| (protocol, e)))
}

/// The operation a request names, resolved once; everything after works with the enum.
fn operation(protocol: Protocol, call: &Call) -> Result<Operation, ApiError> {
    Ok(match protocol {
        Protocol::RestJson => {
            Operation::CodeArtifact(codeartifact::operation(call.method, &call.path)?)
        }
        Protocol::Json(JsonService::Kms) => Operation::Kms(kms::operation(call.headers)?),
        Protocol::Json(JsonService::Organizations) => {
            Operation::Organizations(organizations::operation(call.headers)?)
        }
        Protocol::Query => Operation::Sts(sts::operation(&call.form())?),
    })
}

fn dispatch(ctx: &Ctx, call: &Call, op: Operation) -> Result<Reply, ApiError> {
    match op {
        Operation::CodeArtifact(op) => codeartifact::handle(ctx, call, op),
        Operation::Kms(op) => kms::handle(ctx, call, op),
        Operation::Organizations(op) => organizations::handle(ctx, call, op),
        Operation::Sts(op) => sts::handle(ctx, call, op),
    }
}

fn respond(reply: Reply, request_id: &str) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .header("x-amzn-requestid", request_id)
        .header("x-amz-request-id", request_id);
    for (name, value) in &reply.headers {
        builder = builder.header(*name, value);
    }
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| {
            // Only a header value with a newline can fail here; answer without the extras.
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}
