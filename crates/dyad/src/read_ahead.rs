//! Reading ahead of the workers, for a corpus that is not in the page cache.
//!
//! A worker that opens a file the kernel has not cached waits for the disk,
//! one small file at a time: over a corpus read from disk, one thread took
//! 12.0 s for what takes 5.1 s cached (`/tmp/c230`, 230 MB, 60,359 files).
//! A thread of its own keeps up to [`AHEAD`] files ahead of the workers and
//! asks the kernel to start reading each file it finds uncached
//! ([`dyad_ingest::prefetch`]), so that the disk works while the workers do.
//!
//! On a cached corpus it costs next to nothing: it is dormant, and looks at
//! [`SAMPLED`] files ahead of the workers once every [`DORMANT_POLL`]. It
//! becomes active when one of them is not cached, and dormant again after
//! [`CALM`] files in a row that were. It never changes what is read, only
//! when the kernel reads it, so the tables are the same with it or without.
//!
//! The policy ([`Policy`]) is apart from the thread, and tested on its own.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::Duration;

use dyad_ingest::{Prefetch, Source};

/// How many files ahead of the workers the thread reads at most: enough to
/// keep the disk busy for a millisecond or more at a time, little enough
/// (about half a megabyte of an average corpus) that the page cache keeps
/// them until they are read.
pub(crate) const AHEAD: usize = 128;

/// How far ahead of the workers, and how many files, a dormant thread looks.
const SAMPLE_FROM: usize = 16;
pub(crate) const SAMPLED: usize = 4;

/// How long a dormant thread sleeps between looks.
pub(crate) const DORMANT_POLL: Duration = Duration::from_millis(20);

/// How long an active thread that is [`AHEAD`] files ahead first sleeps.
/// Each later nap is halved or doubled, within [`NAPS`], so that the
/// workers take about half of `AHEAD` meanwhile: a thread that woke every
/// millisecond to read a few files preempted the worker of a one-thread
/// run some 7,400 times over 230 MB (`perf record -e sched:sched_switch`).
const FIRST_NAP: Duration = Duration::from_millis(1);
const NAPS: (Duration, Duration) = (Duration::from_micros(250), Duration::from_millis(16));

/// Cached files in a row after which an active thread turns dormant.
pub(crate) const CALM: usize = 256;

/// What the thread does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Look at source `i`, and read it ahead if it is not cached.
    Probe(usize),
    /// Sleep this long (or until woken), then ask again.
    Sleep(Duration),
    /// The workers have taken every source.
    Finish,
}

/// When and what to read ahead, given where the workers are.
#[derive(Debug)]
pub(crate) struct Policy {
    /// Reading ahead, as opposed to dormant.
    active: bool,
    /// The next source an active thread looks at.
    at: usize,
    /// Cached files in a row, while active.
    cached_run: usize,
    /// While dormant: the first source of the look under way, and how many
    /// of its sources are left to look at.
    sample: (usize, usize),
    /// While dormant: the last step was the sleep before a look.
    slept: bool,
    /// While active: how long the thread sleeps when it is `AHEAD` files
    /// ahead, and where the workers were when it last began to.
    nap: Duration,
    napped_at: Option<usize>,
}

impl Default for Policy {
    /// Dormant, about to sleep before its first look.
    fn default() -> Policy {
        Policy { active: false, at: 0, cached_run: 0, sample: (0, 0), slept: false, nap: FIRST_NAP, napped_at: None }
    }
}

impl Policy {
    /// The next step, when the workers have taken sources `..next` of
    /// `len`.
    pub(crate) fn step(&mut self, next: usize, len: usize) -> Step {
        if next >= len {
            return Step::Finish;
        }
        if self.active {
            if let Some(from) = self.napped_at.take() {
                let taken = next.saturating_sub(from);
                if taken < AHEAD / 4 {
                    self.nap = (self.nap * 2).min(NAPS.1);
                } else if taken > AHEAD * 3 / 4 {
                    self.nap = (self.nap / 2).max(NAPS.0);
                }
            }
            // A source the workers have taken is being read already.
            self.at = self.at.max(next);
            if self.at >= len || self.at >= next + AHEAD {
                self.napped_at = Some(next);
                return Step::Sleep(self.nap);
            }
            self.at += 1;
            return Step::Probe(self.at - 1);
        }
        if self.sample.1 == 0 {
            // A look, after a sleep, just ahead of where the workers are
            // when it starts.
            self.slept = !self.slept;
            if self.slept {
                return Step::Sleep(DORMANT_POLL);
            }
            self.sample = (next + SAMPLE_FROM, SAMPLED);
        }
        let (from, left) = self.sample;
        let i = from + SAMPLED - left;
        self.sample.1 -= 1;
        if i >= len { self.step(next, len) } else { Step::Probe(i) }
    }

    /// What the last [`Step::Probe`] found.
    pub(crate) fn probed(&mut self, found: Prefetch) {
        match (self.active, found) {
            (_, Prefetch::Unknown) => {}
            (true, Prefetch::Cached) => {
                self.cached_run += 1;
                if self.cached_run >= CALM {
                    *self = Policy::default();
                }
            }
            (true, Prefetch::Started) => self.cached_run = 0,
            (false, Prefetch::Cached) => {}
            (false, Prefetch::Started) => {
                // The rest of the look is moot: read ahead from the
                // workers' position on.
                *self = Policy { active: true, ..Policy::default() };
            }
        }
    }
}

/// Reads ahead of the workers, who have taken sources `..next`, until they
/// have taken them all or `done` is set (wake the thread after setting it).
/// Each probe is `probe(source)`: [`dyad_ingest::prefetch`] in the pipeline.
pub(crate) fn run(sources: &[Source], next: &AtomicUsize, done: &AtomicBool, probe: impl Fn(&Source) -> Prefetch) {
    let mut policy = Policy::default();
    while !done.load(Ordering::Relaxed) {
        match policy.step(next.load(Ordering::Relaxed), sources.len()) {
            Step::Probe(i) => policy.probed(probe(&sources[i])),
            Step::Sleep(d) => std::thread::park_timeout(d),
            Step::Finish => return,
        }
    }
}

/// Runs `work` beside a thread that reads ahead of it, `next` being the
/// sources `work` has taken; the thread is stopped when `work` returns or
/// panics. A thread that cannot be started changes nothing but the speed
/// over an uncached corpus.
pub(crate) fn beside<R>(sources: &[Source], next: &AtomicUsize, work: impl FnOnce() -> R) -> R {
    /// Stops the thread, also when `work` unwinds.
    struct Stop<'a> {
        done: &'a AtomicBool,
        thread: Option<Thread>,
    }
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.done.store(true, Ordering::Relaxed);
            if let Some(thread) = &self.thread {
                thread.unpark();
            }
        }
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("dyad-read-ahead".to_string())
            .spawn_scoped(scope, || run(sources, next, &done, dyad_ingest::prefetch));
        let _stop = Stop { done: &done, thread: reader.ok().map(|r| r.thread().clone()) };
        work()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the policy with the workers at `next`, for at most `steps`
    /// steps, with `cached(i)` telling whether source `i` is cached; gives
    /// the steps taken.
    fn steps(policy: &mut Policy, next: usize, len: usize, steps: usize, cached: impl Fn(usize) -> bool) -> Vec<Step> {
        let mut out = Vec::new();
        for _ in 0..steps {
            let step = policy.step(next, len);
            out.push(step);
            match step {
                Step::Probe(i) => policy.probed(if cached(i) { Prefetch::Cached } else { Prefetch::Started }),
                Step::Finish => break,
                Step::Sleep(_) => {}
            }
        }
        out
    }

    #[test]
    fn a_cached_corpus_is_only_sampled() {
        let mut policy = Policy::default();
        let taken = steps(&mut policy, 100, 10_000, 10, |_| true);
        let want = [
            Step::Sleep(DORMANT_POLL),
            Step::Probe(116),
            Step::Probe(117),
            Step::Probe(118),
            Step::Probe(119),
            Step::Sleep(DORMANT_POLL),
            Step::Probe(116),
            Step::Probe(117),
            Step::Probe(118),
            Step::Probe(119),
        ];
        assert_eq!(taken, want);
    }

    #[test]
    fn an_uncached_file_starts_reading_ahead_from_the_workers() {
        let mut policy = Policy::default();
        // The second sampled file is not cached.
        let taken = steps(&mut policy, 100, 10_000, 3, |i| i != 117);
        assert_eq!(taken, [Step::Sleep(DORMANT_POLL), Step::Probe(116), Step::Probe(117)]);
        let taken = steps(&mut policy, 100, 10_000, AHEAD + 1, |_| false);
        let want: Vec<Step> = (100..100 + AHEAD).map(Step::Probe).chain([Step::Sleep(FIRST_NAP)]).collect();
        assert_eq!(taken, want);
        // The workers move on by 10: so does the thread, no further.
        let taken = steps(&mut policy, 110, 10_000, 11, |_| false);
        // Ten taken in a nap is too few: the next nap is twice as long.
        let want: Vec<Step> = (100 + AHEAD..110 + AHEAD).map(Step::Probe).chain([Step::Sleep(FIRST_NAP * 2)]).collect();
        assert_eq!(taken, want);
    }

    #[test]
    fn naps_follow_how_fast_the_workers_go() {
        let mut policy = Policy { active: true, ..Policy::default() };
        let mut next = 0;
        let nap = |policy: &mut Policy, next: usize| loop {
            match policy.step(next, usize::MAX) {
                Step::Probe(_) => policy.probed(Prefetch::Started),
                Step::Sleep(d) => return d,
                Step::Finish => panic!("not finished"),
            }
        };
        assert_eq!(nap(&mut policy, next), FIRST_NAP);
        // Fast workers: shorter naps, down to the shortest.
        let mut naps = Vec::new();
        for _ in 0..4 {
            next += AHEAD;
            naps.push(nap(&mut policy, next));
        }
        assert_eq!(naps, [FIRST_NAP / 2, FIRST_NAP / 4, NAPS.0, NAPS.0]);
        // About half the window a nap: as it was.
        next += AHEAD / 2;
        assert_eq!(nap(&mut policy, next), NAPS.0);
        // Slow workers: longer naps, up to the longest.
        let mut naps = Vec::new();
        for _ in 0..8 {
            next += 1;
            naps.push(nap(&mut policy, next));
        }
        assert_eq!(naps[0], NAPS.0 * 2);
        assert_eq!(naps[7], NAPS.1);
    }

    #[test]
    fn a_thread_left_behind_jumps_to_the_workers() {
        let mut policy = Policy::default();
        steps(&mut policy, 0, 10_000, 2, |_| false);
        assert!(policy.active);
        assert_eq!(policy.step(5_000, 10_000), Step::Probe(5_000));
    }

    #[test]
    fn calm_after_enough_cached_files() {
        let mut policy = Policy::default();
        steps(&mut policy, 0, 100_000, 2, |_| false);
        assert!(policy.active);
        // Cached from 1,000 on: dormant after CALM of them.
        let mut next = 0;
        while policy.active {
            match policy.step(next, 100_000) {
                Step::Probe(i) => policy.probed(if i < 1_000 { Prefetch::Started } else { Prefetch::Cached }),
                Step::Sleep(_) => next += 16,
                Step::Finish => panic!("not finished"),
            }
        }
        assert_eq!(policy.step(next, 100_000), Step::Sleep(DORMANT_POLL));
        assert!(next + AHEAD >= 1_000 + CALM, "it read as far as the calm run: {next}");
    }

    #[test]
    fn unknown_files_change_nothing_and_the_end_is_the_end() {
        let mut policy = Policy::default();
        assert_eq!(policy.step(0, 10), Step::Sleep(DORMANT_POLL));
        // Sampled sources past the end are not looked at.
        assert_eq!(policy.step(0, 10), Step::Sleep(DORMANT_POLL));
        policy.probed(Prefetch::Unknown);
        assert!(!policy.active);
        assert_eq!(policy.step(10, 10), Step::Finish);
        let mut active = Policy { active: true, ..Policy::default() };
        assert_eq!(active.step(8, 10), Step::Probe(8));
        assert_eq!(active.step(8, 10), Step::Probe(9));
        assert_eq!(active.step(8, 10), Step::Sleep(FIRST_NAP));
    }

    #[test]
    fn the_thread_keeps_ahead_and_stops_when_the_workers_are_done() {
        let sources: Vec<Source> = (0..1_000)
            .map(|i| Source { path: format!("/nowhere/{i}.txt").into(), display: String::new(), id: i.to_string() })
            .collect();
        let next = AtomicUsize::new(0);
        let done = AtomicBool::new(false);
        let probed = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            let thread = scope.spawn(|| {
                run(&sources, &next, &done, |s| {
                    probed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(s.id.clone());
                    Prefetch::Started
                })
            });
            // Wait (without a time limit on the work) until it has read
            // as far ahead as it may.
            while probed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len() < 1 + AHEAD {
                std::thread::sleep(Duration::from_millis(1));
            }
            next.store(sources.len(), Ordering::Relaxed);
            thread.thread().unpark();
        });
        let probed = probed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The first sampled file was not cached; then every file from the
        // workers' position on, never more than AHEAD ahead of them.
        let want: Vec<String> = [SAMPLE_FROM].into_iter().chain(0..AHEAD).map(|i| i.to_string()).collect();
        assert_eq!(probed, want);
        // Stopped by `done` as well, before the workers have finished.
        let next = AtomicUsize::new(0);
        let done = AtomicBool::new(true);
        run(&sources, &next, &done, |_| panic!("nothing is probed once done"));
    }
}
