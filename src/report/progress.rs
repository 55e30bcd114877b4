//! Progress on stderr while plan and apply run: a bar redrawn in place on a terminal; without
//! one (or with TERM=dumb) a status line every few seconds, for CI logs; nothing with `-q`.
//! The words come from `status`; this file decides when and where they are shown.

use super::status;
use crate::apply::{DomainReport, Events, Outcome};
use crate::aws::CallError;
use crate::model::{DomainAddress, TargetKey};
use crate::observe::Watch;
use crate::output;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// A bar redrawn in place (stderr is a terminal that understands escape sequences).
    Bar,
    /// A status line every [`STATUS_EVERY`], and none for a run that ends sooner.
    Lines,
    /// Nothing (`-q`).
    Off,
}

impl Show {
    /// What suits stderr as it is: `-q` silences; a terminal gets a bar unless TERM=dumb.
    pub fn pick(quiet: bool) -> Self {
        if quiet {
            Show::Off
        } else if std::io::stderr().is_terminal() && !crate::paint::dumb_terminal() {
            Show::Bar
        } else {
            Show::Lines
        }
    }
}

/// How often a status line is written without a terminal: often enough that a CI log shows a
/// run is alive, rarely enough that a long run's log stays readable.
pub const STATUS_EVERY: Duration = Duration::from_secs(5);

/// The latest domains in flight that the bar names.
const NAMED_IN_FLIGHT: usize = 3;

/// One stage's progress (observing targets, or applying domains), shared by every task.
pub struct Progress {
    state: Arc<State>,
    view: View,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Observe,
    Apply,
}

/// What the stage has done so far; read by whoever draws.
struct State {
    stage: Stage,
    started: Instant,
    /// `None` while observe does not yet know its targets (they are being resolved).
    total: Mutex<Option<u64>>,
    done: AtomicU64,
    failed: AtomicU64,
    /// Domains with a call sent, oldest first (apply).
    in_flight: Mutex<Vec<DomainAddress>>,
    /// The latest retry, shown until the next event.
    note: Mutex<String>,
}

enum View {
    Bar(ProgressBar),
    Lines(Mutex<Option<Ticker>>),
    Off,
}

/// The thread that writes a status line every [`STATUS_EVERY`] until told to stop.
struct Ticker {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

/// `wide_msg`: the message is cut to the terminal's width, so the bar stays one line.
const TEMPLATE: &str = "{elapsed:>4} [{bar:20.cyan/blue}] {wide_msg}";

/// A poisoned lock only means another task panicked mid-update; what it holds is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Progress {
    /// The observation of targets (their number is told by [`Watch::begin`]).
    pub fn observing(show: Show) -> Self {
        Self::new(Stage::Observe, None, show)
    }

    /// The application of `total` domains.
    pub fn applying(total: u64, show: Show) -> Self {
        Self::new(Stage::Apply, Some(total), show)
    }

    fn new(stage: Stage, total: Option<u64>, show: Show) -> Self {
        let state = Arc::new(State {
            stage,
            started: Instant::now(),
            total: Mutex::new(total),
            done: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            in_flight: Mutex::new(Vec::new()),
            note: Mutex::new(String::new()),
        });
        let view = match show {
            Show::Off => View::Off,
            Show::Bar => View::Bar(bar(total)),
            Show::Lines => View::Lines(Mutex::new(Some(ticker(Arc::clone(&state))))),
        };
        let progress = Self { state, view };
        progress.redraw();
        progress
    }

    /// A line for people while the run goes on (an interrupt's consequences): above the bar
    /// when there is one, else plainly on stderr.
    pub fn notice(&self, text: &str) {
        match &self.view {
            View::Bar(bar) => bar.println(output::clean(text, false)),
            View::Lines(_) | View::Off => output::stderr(&format!("{text}\n"), false),
        }
    }

    /// Clear the bar, or stop the status lines, so what follows prints on a clean screen.
    pub fn finish(&self) {
        match &self.view {
            View::Bar(bar) => bar.finish_and_clear(),
            View::Lines(ticker) => {
                if let Some(t) = lock(ticker).take() {
                    // The thread may be writing a line: it is waited for, so nothing interleaves.
                    let _ = t.stop.send(());
                    let _ = t.thread.join();
                }
            }
            View::Off => {}
        }
    }

    /// The bar's message follows the state; the status lines read it when their time comes.
    fn redraw(&self) {
        if let View::Bar(bar) = &self.view {
            // indicatif draws the bar itself: what it is given must already be clean.
            bar.set_message(output::clean(&self.state.bar_message(), false));
        }
    }

    fn advance(&self) {
        self.state.done.fetch_add(1, Ordering::Relaxed);
        if let View::Bar(bar) = &self.view {
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    /// An error that ends the run early must not leave a thread writing status lines.
    fn drop(&mut self) {
        self.finish();
    }
}

fn bar(total: Option<u64>) -> ProgressBar {
    let style = ProgressStyle::with_template(TEMPLATE)
        .expect("the template is a constant and valid")
        .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(Some(total.unwrap_or(0)), ProgressDrawTarget::stderr())
        .with_style(style);
    // A steady tick keeps `{elapsed}` moving while every task waits on a slow or throttled call.
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn ticker(state: Arc<State>) -> Ticker {
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        // A message or a dropped sender both mean the stage is over.
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(STATUS_EVERY) {
            output::stderr(&format!("{}\n", state.line()), false);
        }
    });
    Ticker { stop, thread }
}

impl State {
    /// The status line: where the stage is.
    fn line(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let total = *lock(&self.total);
        match self.stage {
            Stage::Observe => status::observing(total, done),
            Stage::Apply => status::applying(
                total.unwrap_or(0),
                done,
                self.failed.load(Ordering::Relaxed),
                self.started.elapsed(),
            ),
        }
    }

    /// The status line, what is in flight and the latest retry.
    fn bar_message(&self) -> String {
        let mut parts = vec![self.line()];
        let working = {
            let in_flight = lock(&self.in_flight);
            // Names only: the line is short, and the account and Region rarely needed there.
            let latest: Vec<String> = (in_flight.iter().rev().take(NAMED_IN_FLIGHT))
                .map(|a| a.name.clone())
                .collect();
            status::working_on(in_flight.len(), &latest)
        };
        parts.push(working);
        parts.push(lock(&self.note).clone());
        parts.retain(|p| !p.is_empty());
        parts.join(" · ")
    }
}

impl Watch for Progress {
    fn begin(&self, targets: usize) {
        *lock(&self.state.total) = Some(targets as u64);
        if let View::Bar(bar) = &self.view {
            bar.set_length(targets as u64);
        }
        self.redraw();
    }

    fn observed(&self, _target: &TargetKey) {
        self.advance();
        self.redraw();
    }
}

impl Events for Progress {
    fn sending(&self, address: &DomainAddress) {
        // Only the bar names them: status lines and `-q` spend nothing on it.
        if !matches!(self.view, View::Bar(_)) {
            return;
        }
        {
            let mut in_flight = lock(&self.state.in_flight);
            if in_flight.contains(address) {
                return;
            }
            in_flight.push(address.clone());
        }
        self.redraw();
    }

    /// Shown until the next event.
    fn retrying(&self, address: &DomainAddress, error: &CallError, wait: Duration) {
        *lock(&self.state.note) = format!(
            "{address}: {}, retrying in {:.1} s",
            error.label(),
            wait.as_secs_f64()
        );
        self.redraw();
    }

    fn finished(&self, report: &DomainReport) {
        lock(&self.state.in_flight).retain(|a| *a != report.address);
        if report.outcome == Outcome::Failed {
            self.state.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.advance();
        self.redraw();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn assert_send_sync<T: Send + Sync>() {}

    fn throttle() -> CallError {
        CallError {
            code: Some("ThrottlingException".into()),
            ..CallError::new(crate::aws::ErrorKind::Throttling, "slow down")
        }
    }

    fn address(name: &str) -> DomainAddress {
        DomainAddress::new("111122223333", "us-east-1", name)
    }

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<Progress>();
    }

    #[test]
    fn off_keeps_count_and_shows_nothing() {
        let p = Progress::applying(3, Show::Off);
        assert!(matches!(p.view, View::Off));
        let a = address("c");
        p.started(&a);
        p.sending(&a);
        p.retrying(&a, &throttle(), Duration::from_millis(300));
        p.finished(&DomainReport::new(&a, Outcome::Created));
        assert!(
            p.state
                .line()
                .starts_with("applying: 1/3 domains done, 0 failed")
        );
        p.finish();
    }

    #[test]
    fn in_flight_means_sent_and_not_finished() {
        // Not a terminal under test, so indicatif draws nothing; the state is still kept.
        let p = Progress::applying(4, Show::Bar);
        let (a, b, c) = (address("a"), address("b"), address("c"));
        // Started but waiting for a slot: not in flight.
        p.started(&a);
        p.started(&b);
        p.started(&c);
        assert!(!p.state.bar_message().contains("working on"));
        p.sending(&a);
        p.sending(&b);
        p.sending(&a);
        p.retrying(&b, &throttle(), Duration::from_millis(1500));
        assert_eq!(
            p.state.bar_message(),
            "applying: 0/4 domains done, 0 failed · working on 2: b, a · 111122223333/us-east-1/b: ThrottlingException, retrying in 1.5 s"
        );
        p.finished(&DomainReport::new(&a, Outcome::Failed));
        assert!(
            p.state
                .bar_message()
                .starts_with("applying: 1/4 domains done, 1 failed"),
            "{}",
            p.state.bar_message()
        );
        assert!(p.state.bar_message().contains("working on 1: "));
        p.finish();
    }

    #[test]
    fn counts_across_threads() {
        let p = Arc::new(Progress::applying(4, Show::Bar));
        let handles: Vec<_> = [
            Outcome::Created,
            Outcome::Created,
            Outcome::Failed,
            Outcome::Unchanged,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let p = Arc::clone(&p);
            std::thread::spawn(move || {
                let a = address(&format!("d{i}"));
                p.started(&a);
                p.sending(&a);
                p.finished(&DomainReport::new(&a, o));
            })
        })
        .collect();
        for h in handles {
            h.join().unwrap();
        }
        let View::Bar(bar) = &p.view else {
            panic!("a bar was asked for")
        };
        assert_eq!(bar.position(), 4);
        assert!(
            p.state
                .line()
                .starts_with("applying: 4/4 domains done, 1 failed")
        );
        assert!(lock(&p.state.in_flight).is_empty());
        p.finish();
        assert!(bar.is_finished());
    }

    #[test]
    fn observing_learns_its_total() {
        let p = Progress::observing(Show::Lines);
        assert_eq!(p.state.line(), "resolving the targets");
        p.begin(2);
        p.observed(&TargetKey::new("111122223333", "us-east-1"));
        assert_eq!(p.state.line(), "observing: 1/2 targets");
        // Stops the status lines' thread at once (no line: the stage ended within 5 s).
        let started = Instant::now();
        p.finish();
        assert!(started.elapsed() < STATUS_EVERY);
    }
}
