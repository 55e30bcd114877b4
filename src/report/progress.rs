//! Progress bars on stderr while apply runs; silent (every method a no-op) when stderr is not a terminal.

use crate::apply::{Events, Outcome};
use crate::aws::CallError;
use crate::model::DomainAddress;
use crate::output;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Shared by every apply task through an `Arc`; `ProgressBar` is itself a cheap, thread-safe handle.
pub struct Progress {
    inner: Option<Bars>,
}

struct Bars {
    bar: ProgressBar,
    /// Counts per outcome, indexed as `Outcome::ALL`.
    counts: [AtomicU64; Outcome::ALL.len()],
    /// The latest transient event (a domain started, a retry wait); replaced by the next one.
    note: Mutex<String>,
}

const TEMPLATE: &str = "{elapsed:>4} [{bar:30.cyan/blue}] {pos}/{len} {msg}";

impl Progress {
    /// Bars on stderr only when `enabled` (the caller passes `stderr().is_terminal()`);
    /// otherwise every method is a no-op.
    pub fn new(total: u64, enabled: bool) -> Self {
        if !enabled {
            return Self { inner: None };
        }
        let style = ProgressStyle::with_template(TEMPLATE)
            .expect("the template is a constant and valid")
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style);
        // A steady tick keeps `{elapsed}` moving while every task waits on a slow or throttled call.
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            inner: Some(Bars {
                bar,
                counts: Default::default(),
                note: Mutex::new(String::new()),
            }),
        }
    }

    /// A line for people while the run goes on (an interrupt's consequences): above the bar
    /// when there is one, else plainly on stderr.
    pub fn notice(&self, text: &str) {
        match &self.inner {
            Some(b) => b.bar.println(output::clean(text, false)),
            None => output::stderr(&format!("{text}\n"), false),
        }
    }

    /// Clear the bars so the report prints on a clean screen.
    pub fn finish(&self) {
        if let Some(b) = &self.inner {
            b.bar.finish_and_clear();
        }
    }
}

impl Events for Progress {
    fn started(&self, address: &DomainAddress) {
        if let Some(b) = &self.inner {
            b.note(address.to_string());
        }
    }

    /// Shown until the next event.
    fn retrying(&self, address: &DomainAddress, error: &CallError, wait: Duration) {
        if let Some(b) = &self.inner {
            b.note(format!(
                "{address}: {}, retrying in {:.1} s",
                error.label(),
                wait.as_secs_f64()
            ));
        }
    }

    /// The bar advances and the counts update.
    fn finished(&self, address: &DomainAddress, outcome: Outcome) {
        if let Some(b) = &self.inner {
            let i = Outcome::ALL
                .iter()
                .position(|o| *o == outcome)
                .expect("ALL holds every outcome");
            b.counts[i].fetch_add(1, Ordering::Relaxed);
            b.bar.inc(1);
            b.note(format!("{address}: {}", outcome.key().replace('_', " ")));
        }
    }
}

impl Bars {
    fn note(&self, note: String) {
        // A poisoned lock only means another task panicked mid-update; the text is still usable.
        let mut current = self.note.lock().unwrap_or_else(|e| e.into_inner());
        *current = note;
        // indicatif draws the bar itself: what it is given must already be clean.
        self.bar
            .set_message(output::clean(&message(&self.counts, &current), false));
    }
}

/// `3 created · 1 failed · <latest event>`: only the outcomes met so far, to keep the line short.
fn message(counts: &[AtomicU64; Outcome::ALL.len()], note: &str) -> String {
    let mut parts: Vec<String> = Outcome::ALL
        .iter()
        .zip(counts)
        .filter_map(|(o, n)| {
            let n = n.load(Ordering::Relaxed);
            (n > 0).then(|| format!("{n} {}", o.key().replace('_', " ")))
        })
        .collect();
    if !note.is_empty() {
        parts.push(note.to_owned());
    }
    parts.join(" · ")
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

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<Progress>();
    }

    #[test]
    fn disabled_is_a_no_op() {
        let p = Progress::new(3, false);
        assert!(p.inner.is_none());
        let a = DomainAddress::new("111122223333", "us-east-1", "c");
        p.started(&a);
        p.retrying(&a, &throttle(), Duration::from_millis(300));
        p.finished(&a, Outcome::Created);
        p.finish();
    }

    #[test]
    fn enabled_counts_across_threads() {
        // Not a terminal under test, so indicatif draws nothing; the state is still kept.
        let p = Arc::new(Progress::new(4, true));
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
                let address = DomainAddress::new("111122223333", "us-east-1", &format!("d{i}"));
                p.started(&address);
                p.retrying(&address, &throttle(), Duration::from_millis(1500));
                p.finished(&address, o);
            })
        })
        .collect();
        for h in handles {
            h.join().unwrap();
        }
        let bars = p.inner.as_ref().unwrap();
        assert_eq!(bars.bar.position(), 4);
        assert_eq!(
            message(&bars.counts, ""),
            "2 created · 1 unchanged · 1 failed"
        );
        p.finish();
        assert!(bars.bar.is_finished());
    }

    #[test]
    fn retry_note_reads_well() {
        let counts: [AtomicU64; Outcome::ALL.len()] = Default::default();
        counts[0].store(2, Ordering::Relaxed);
        assert_eq!(
            message(&counts, "x: ThrottlingException, retrying in 1.5 s"),
            "2 created · x: ThrottlingException, retrying in 1.5 s"
        );
    }
}
