//! Ctrl-C and SIGTERM during apply: the first asks to stop starting work and let in-flight calls
//! finish (bounded by a grace period); the second (or the end of the grace) stops at once.

use std::time::Duration;
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Running,
    /// Start nothing new, retry nothing; let calls already sent finish.
    Soft,
    /// Abandon in-flight calls now.
    Hard,
}

/// Cheap to clone; every task watches the same level.
#[derive(Clone)]
pub struct Interrupt {
    rx: watch::Receiver<Level>,
}

/// The sending side, held by whoever listens for signals (and by tests).
pub struct Trigger {
    tx: watch::Sender<Level>,
}

pub fn channel() -> (Trigger, Interrupt) {
    let (tx, rx) = watch::channel(Level::Running);
    (Trigger { tx }, Interrupt { rx })
}

impl Trigger {
    /// Raise the level one step; returns the new level.
    pub fn escalate(&self) -> Level {
        let mut now = Level::Running;
        self.tx.send_modify(|l| {
            *l = match *l {
                Level::Running => Level::Soft,
                _ => Level::Hard,
            };
            now = *l;
        });
        now
    }

    pub fn hard(&self) {
        self.tx.send_replace(Level::Hard);
    }
}

impl Interrupt {
    /// An interrupt that never fires (plan, tests).
    pub fn never() -> Self {
        channel().1
    }

    pub fn level(&self) -> Level {
        *self.rx.borrow()
    }

    /// Resolves once the level reaches `at_least` (never, if the trigger is gone first).
    pub async fn reached(&self, at_least: Level) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|l| *l >= at_least).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Listen for SIGINT/SIGTERM: the first signal is a soft stop and starts the grace period,
/// after which (or at the second signal) the stop is hard. The caller aborts it when done.
pub fn listen(
    trigger: Trigger,
    grace: Duration,
    on_signal: impl Fn(Level),
) -> impl std::future::Future<Output = ()> {
    // Registered now, not when the task is first polled (on the one-thread runtime that waits
    // for the caller's first pause), and once: a signal between the two waits is kept.
    let signals = Signals::new();
    async move {
        let Ok(mut signals) = signals else {
            return;
        };
        signals.next().await;
        on_signal(trigger.escalate());
        tokio::select! {
            _ = signals.next() => {}
            _ = tokio::time::sleep(grace) => {}
        }
        trigger.hard();
        on_signal(Level::Hard);
    }
}

/// SIGINT and SIGTERM as one stream.
struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn escalates_soft_then_hard() {
        let (trigger, interrupt) = channel();
        assert_eq!(interrupt.level(), Level::Running);
        assert_eq!(trigger.escalate(), Level::Soft);
        interrupt.reached(Level::Soft).await;
        assert_eq!(trigger.escalate(), Level::Hard);
        interrupt.reached(Level::Hard).await;
        assert_eq!(interrupt.level(), Level::Hard);
    }
}
