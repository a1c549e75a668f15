//! In-order streaming over a worker pool: items are processed in parallel,
//! a bounded window at a time, and their results handed on in input order as
//! soon as each one and all before it are done.
//!
//! No thread of its own takes the results: the worker that completes the
//! next item in order hands it, and every later item already back, to the
//! sink itself. A thread taking the results beside `threads` workers meant
//! one more thread than cores, and a wake-up and two context switches per
//! item (33,539 context switches for 13,188 documents on two threads, 7%
//! more CPU time than one thread for the same work). (The tables' own
//! thread, `table_file.rs`, wakes once a chunk (512 KB) of a table, not once an
//! item.)
//!
//! Invariant: at most `window` items are being processed or waiting to be
//! handed on at any time, so memory is bounded by the window, never by the
//! number of items; the results reach `sink` in exactly the order of
//! `items`, one at a time, whatever the thread count.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// What the workers share, behind one mutex.
struct Order<T, E> {
    /// `pending[k]` is the result of item `handed + k`, once it is back.
    pending: VecDeque<Option<T>>,
    /// Items taken off the queue for the sink so far.
    handed: usize,
    /// A worker is handing results to the sink; the others only queue theirs.
    handing: bool,
    /// Workers waiting for the window to move.
    waiting: usize,
    /// The sink failed or something panicked: take no new item.
    stop: bool,
    error: Option<E>,
    panic: Option<Box<dyn Any + Send>>,
}

struct Shared<'s, S, T, E, W, K> {
    items: &'s [S],
    window: usize,
    work: W,
    /// Locked only by the worker that is `handing`, so never contended.
    sink: Mutex<K>,
    /// The items before this one are taken.
    next: &'s AtomicUsize,
    order: Mutex<Order<T, E>>,
    moved: Condvar,
}

/// A poisoned lock only means a panic elsewhere, which `Order::panic`
/// already carries; the state itself is still consistent.
fn lock<X>(m: &Mutex<X>) -> MutexGuard<'_, X> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `work` over every item of `items` on `pool`, at most `window` items
/// in flight, and calls `sink` on the results in input order, on whichever
/// worker completes the next item. `next` counts the items taken (for a
/// thread that reads ahead of the workers); it must start at 0. Stops at
/// the first error of `sink` (after the jobs in flight finish). A panic in
/// `work` or `sink` is resumed on the calling thread.
pub(crate) fn ordered<S, T, E>(
    pool: &rayon::ThreadPool,
    items: &[S],
    window: usize,
    next: &AtomicUsize,
    work: impl Fn(&S) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E>
where
    S: Sync,
    T: Send,
    E: Send,
{
    let shared = Shared {
        items,
        window: window.max(1),
        work,
        sink: Mutex::new(sink),
        next,
        order: Mutex::new(Order {
            pending: VecDeque::with_capacity(window.max(1)),
            handed: 0,
            handing: false,
            waiting: 0,
            stop: false,
            error: None,
            panic: None,
        }),
        moved: Condvar::new(),
    };
    let workers = pool.current_num_threads().min(items.len());
    pool.scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| shared.worker());
        }
    });
    let order = shared.order.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(payload) = order.panic {
        panic::resume_unwind(payload);
    }
    match order.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl<S, T, E, W, K> Shared<'_, S, T, E, W, K>
where
    W: Fn(&S) -> T,
    K: FnMut(T) -> Result<(), E>,
{
    fn worker(&self) {
        loop {
            // Items are taken in input order, so the earliest unfinished item
            // is always in the window and never waits: no deadlock.
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.items.len() {
                return;
            }
            {
                let mut order = lock(&self.order);
                while !order.stop && i >= order.handed + self.window {
                    order.waiting += 1;
                    order = self.moved.wait(order).unwrap_or_else(PoisonError::into_inner);
                    order.waiting -= 1;
                }
                if order.stop {
                    return;
                }
            }
            let result = panic::catch_unwind(AssertUnwindSafe(|| (self.work)(&self.items[i])));
            let mut order = lock(&self.order);
            let value = match result {
                Ok(value) => value,
                Err(payload) => {
                    self.halt(&mut order, Err(payload));
                    return;
                }
            };
            if order.stop {
                return;
            }
            let k = i - order.handed;
            if order.pending.len() <= k {
                order.pending.resize_with(k + 1, || None);
            }
            order.pending[k] = Some(value);
            if !order.handing {
                order.handing = true;
                order = self.hand_on(order);
                order.handing = false;
            }
        }
    }

    /// Hands every result at the front of the queue to the sink, without
    /// holding the queue's lock while the sink runs.
    fn hand_on<'o>(&'o self, mut order: MutexGuard<'o, Order<T, E>>) -> MutexGuard<'o, Order<T, E>> {
        while !order.stop {
            let Some(Some(_)) = order.pending.front() else { break };
            let Some(Some(value)) = order.pending.pop_front() else { break };
            // Counted as handed as it leaves the queue, so that `pending`
            // still starts at item `handed` while the lock is released.
            order.handed += 1;
            if order.waiting > 0 {
                self.moved.notify_all();
            }
            drop(order);
            let result = panic::catch_unwind(AssertUnwindSafe(|| (lock(&self.sink))(value)));
            order = lock(&self.order);
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => self.halt(&mut order, Ok(e)),
                Err(payload) => self.halt(&mut order, Err(payload)),
            }
        }
        order
    }

    /// Stops the stream with the first error or panic.
    fn halt(&self, order: &mut Order<T, E>, cause: Result<E, Box<dyn Any + Send>>) {
        if !order.stop {
            order.stop = true;
            match cause {
                Ok(e) => order.error = Some(e),
                Err(payload) => order.panic = Some(payload),
            }
        }
        order.pending.clear();
        self.moved.notify_all();
    }
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
                    &AtomicUsize::new(0),
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
            &AtomicUsize::new(0),
            |&i| i,
            |i| {
                seen += 1;
                if i == 10 { Err(i) } else { Ok(()) }
            },
        );
        assert_eq!(result, Err(10));
        assert_eq!(seen, 11);
        let empty: Result<(), ()> = ordered(&pool(2), &items[..0], 4, &AtomicUsize::new(0), |&i| i, |_| Ok(()));
        assert_eq!(empty, Ok(()));
    }

    #[test]
    fn a_panic_in_work_or_sink_reaches_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        for threads in [1, 2, 3] {
            let work_panics = panic::catch_unwind(|| {
                let _: Result<(), ()> = ordered(
                    &pool(threads),
                    &items,
                    4,
                    &AtomicUsize::new(0),
                    |&i| if i == 37 { panic!("item 37") } else { i },
                    |_| Ok(()),
                );
            });
            let payload = work_panics.expect_err("the work's panic is resumed");
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"item 37"));
            let sink_panics = panic::catch_unwind(|| {
                let _: Result<(), ()> = ordered(
                    &pool(threads),
                    &items,
                    4,
                    &AtomicUsize::new(0),
                    |&i| i,
                    |i| if i == 50 { panic!("sink 50") } else { Ok(()) },
                );
            });
            let payload = sink_panics.expect_err("the sink's panic is resumed");
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"sink 50"));
        }
    }
}
