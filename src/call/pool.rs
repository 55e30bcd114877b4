//! Bounded concurrency over a list of jobs: the one place that decides how many run at once.

use futures::StreamExt;
use std::future::Future;

/// Run `job` for every item, at most `concurrency` at a time; results in input order.
pub async fn bounded<I, T, F, Fut>(items: I, concurrency: usize, job: F) -> Vec<T>
where
    I: IntoIterator,
    F: Fn(I::Item) -> Fut,
    Fut: Future<Output = T>,
{
    let mut indexed: Vec<(usize, T)> = futures::stream::iter(items.into_iter().enumerate())
        .map(|(i, item)| {
            let fut = job(item);
            async move { (i, fut.await) }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn never_more_than_the_bound_and_order_is_kept() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let out = super::bounded(0..50, 4, |i| {
            let (running, peak) = (&running, &peak);
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::task::yield_now().await;
                running.fetch_sub(1, Ordering::SeqCst);
                i * 2
            }
        })
        .await;
        assert_eq!(out, (0..50).map(|i| i * 2).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 4);
    }
}
