//! In-order streaming over a worker pool: items are processed in parallel,
//! a bounded window at a time, and their results handed on in input order as
//! soon as each one and all before it are done.
//!
//! Invariant: at most `window` items are being processed or waiting to be
//! handed on at any time, so memory is bounded by the window, never by the
//! number of items; the results reach `sink` in exactly the order of
//! `items`, whatever the thread count.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;

/// Runs `work` over every item of `items` on `pool`, at most `window` items
/// in flight, and calls `sink` on the results in input order, on the calling
/// thread. Stops at the first error of `sink` (after the jobs in flight
/// finish). A panic in `work` is resumed on the calling thread.
pub(crate) fn ordered<S, T, E>(
    pool: &rayon::ThreadPool,
    items: &[S],
    window: usize,
    work: impl Fn(&S) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    S: Sync,
    T: Send,
{
    let window = window.max(1);
    let work = &work;
    let (tx, rx) = mpsc::channel::<(usize, std::thread::Result<T>)>();
    pool.in_place_scope(|scope| {
        let spawn = |i: usize| {
            let tx = tx.clone();
            scope.spawn(move |_| {
                let result = panic::catch_unwind(AssertUnwindSafe(|| work(&items[i])));
                // The receiver is gone only when the sink failed: the result
                // is not wanted any more.
                let _ = tx.send((i, result));
            });
        };
        let mut next = 0;
        while next < items.len() && next < window {
            spawn(next);
            next += 1;
        }
        // `pending[k]` is the result of item `done + k`, once it is back.
        let mut pending: VecDeque<Option<T>> = VecDeque::with_capacity(window);
        let mut done = 0;
        while done < items.len() {
            // Every job spawned and not yet received holds a sender, and so
            // does this thread: `recv` cannot fail here.
            let Ok((i, result)) = rx.recv() else { break };
            let value = match result {
                Ok(value) => value,
                Err(payload) => panic::resume_unwind(payload),
            };
            let k = i - done;
            if pending.len() <= k {
                pending.resize_with(k + 1, || None);
            }
            pending[k] = Some(value);
            while let Some(Some(_)) = pending.front() {
                if let Some(Some(value)) = pending.pop_front() {
                    sink(value)?;
                }
                done += 1;
                if next < items.len() {
                    spawn(next);
                    next += 1;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pool(threads: usize) -> rayon::ThreadPool {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool,
            Err(e) => panic!("thread pool: {e}"),
        }
    }

    #[test]
    fn results_come_in_input_order_within_the_window() {
        let items: Vec<u64> = (0..500).collect();
        for threads in [1, 2, 4] {
            for window in [1, 3, 16] {
                let in_flight = AtomicUsize::new(0);
                let most = AtomicUsize::new(0);
                let mut seen = Vec::new();
                let result: Result<(), ()> = ordered(
                    &pool(threads),
                    &items,
                    window,
                    |&i| {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        // Uneven work, so later items often finish first.
                        let mut x = i;
                        for _ in 0..(i * 7919 % 2000) {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        }
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        (i, x)
                    },
                    |(i, _)| {
                        seen.push(i);
                        Ok(())
                    },
                );
                assert_eq!(result, Ok(()));
                assert_eq!(seen, items, "threads {threads}, window {window}");
                assert!(most.load(Ordering::SeqCst) <= window);
            }
        }
    }

    #[test]
    fn a_sink_error_stops_the_stream() {
        let items: Vec<u32> = (0..100).collect();
        let mut seen = 0;
        let result = ordered(
            &pool(2),
            &items,
            4,
            |&i| i,
            |i| {
                seen += 1;
                if i == 10 { Err(i) } else { Ok(()) }
            },
        );
        assert_eq!(result, Err(10));
        assert_eq!(seen, 11);
        let empty: Result<(), ()> = ordered(&pool(2), &items[..0], 4, |&i| i, |_| Ok(()));
        assert_eq!(empty, Ok(()));
    }
}
