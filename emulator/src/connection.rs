//! One client connection: served by hyper, watched so that it cannot be held open forever.
//!
//! A connection is idle (no request in progress and no bytes of the next one), reading a head
//! (bytes of a request arrived, its handler has not started), or busy (a handler runs; its body
//! read has its own deadline). Idle and head phases have deadlines; on one the connection is
//! dropped, which closes it. hyper's own `header_read_timeout` is not used: hyper starts that
//! clock whenever it waits for a head, keep-alive idle time included, so it cannot tell an idle
//! keep-alive connection (which deserves a long timeout) from a slow head (which does not).

use crate::config::Limits;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// A connection idle for less than this is left alone when the endpoint needs room: it may be
/// a client that just connected and whose request is on its way.
pub const PRESSURE_GRACE: Duration = Duration::from_secs(1);

/// hyper's read buffer per connection at most (its default is about 400 KiB). Request heads
/// are a few KiB; bodies are streamed out of it, so only the total of connections matters.
const READ_BUFFER: usize = 64 << 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle(Instant),
    Head(Instant),
    Busy,
}

/// The phase in one word: its kind in the top two bits, when it began (microseconds after the
/// connection opened) in the rest.
const KIND: u64 = 3 << 62;
const IDLE: u64 = 0;
const HEAD: u64 = 1 << 62;
const BUSY: u64 = 2 << 62;

/// What the watchdog of one connection knows of it. Changing the phase is a store, and reading
/// a request's bytes a load: the watchdog is not woken by them but looks when a deadline could
/// have passed (see `serve`), because waking it on every read and every request cost each
/// request a lock, a notification and a new timer.
struct Watch {
    opened: Instant,
    phase: AtomicU64,
}

impl Watch {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            opened: Instant::now(),
            phase: AtomicU64::new(IDLE),
        })
    }

    fn stamp(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_micros()).unwrap_or(u64::MAX) & !KIND
    }

    // Only the connection's own task reads and writes the phase (hyper calls the reader and
    // the service from within its poll), so relaxed ordering suffices.
    fn set(&self, kind: u64) {
        self.phase.store(kind | self.stamp(), Ordering::Relaxed);
    }

    fn phase(&self) -> Phase {
        let word = self.phase.load(Ordering::Relaxed);
        let since = self.opened + Duration::from_micros(word & !KIND);
        match word & KIND {
            IDLE => Phase::Idle(since),
            HEAD => Phase::Head(since),
            _ => Phase::Busy,
        }
    }

    fn bytes_arrived(&self) {
        let word = self.phase.load(Ordering::Relaxed);
        if word & KIND == IDLE {
            self.set(HEAD);
        }
    }

    /// Marks the connection busy until the returned guard is dropped (the handler is done).
    fn busy(self: &Arc<Self>) -> BusyGuard {
        self.set(BUSY);
        BusyGuard(self.clone())
    }

    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        match self.phase() {
            Phase::Idle(since) => Some(since + limits.idle_timeout),
            Phase::Head(since) => Some(since + limits.header_timeout),
            Phase::Busy => None,
        }
    }

    /// When to look again: the current phase's deadline, or sooner, because a phase that
    /// begins after `now` cannot end before `now` plus the shorter of the two timeouts.
    fn next_look(&self, limits: &Limits, now: Instant) -> Instant {
        let soonest_new = now + limits.idle_timeout.min(limits.header_timeout);
        self.deadline(limits)
            .map_or(soonest_new, |at| at.min(soonest_new))
    }

    fn reclaimable(&self) -> bool {
        matches!(self.phase(), Phase::Idle(since) if since.elapsed() >= PRESSURE_GRACE)
    }
}

/// Serve one accepted connection with `handle` until it ends, a deadline of its phase passes,
/// the endpoint needs room while it is idle (`pressure`), or the endpoint stops (then the
/// request in progress may finish).
pub async fn serve<H, F, E>(
    stream: TcpStream,
    handle: H,
    limits: &Limits,
    pressure: &Notify,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) where
    H: Fn(Request<Incoming>) -> F + Send + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let watch = Watch::new();
    let io = Watched {
        io: TokioIo::new(stream),
        watch: watch.clone(),
    };
    let busy = watch.clone();
    let service = service_fn(move |req| {
        let guard = busy.busy();
        let reply = handle(req);
        async move {
            let reply = reply.await;
            drop(guard);
            reply
        }
    });
    let conn = http1::Builder::new()
        .max_buf_size(READ_BUFFER)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let look = tokio::time::sleep_until(watch.next_look(limits, Instant::now()));
    tokio::pin!(look);
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = stopped.changed() => {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
                return;
            }
            _ = look.as_mut() => {
                let now = Instant::now();
                if watch.deadline(limits).is_some_and(|at| at <= now) {
                    return;
                }
                look.as_mut().reset(watch.next_look(limits, now));
            }
            _ = pressure.notified() => {
                if watch.reclaimable() {
                    return;
                }
            }
        }
    }
}

struct BusyGuard(Arc<Watch>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.set(IDLE);
    }
}

/// The socket as hyper reads it, telling the watch when the bytes of a request start arriving.
struct Watched {
    io: TokioIo<TcpStream>,
    watch: Arc<Watch>,
}

impl Read for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // The cursor hides how much it was filled; a read that returns Ready(Ok) either filled
        // some bytes or hit end of stream, and at end of stream the connection ends anyway.
        let result = Pin::new(&mut this.io).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            this.watch.bytes_arrived();
        }
        result
    }
}

impl Write for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}
