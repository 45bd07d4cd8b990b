//! The bounded pool: each URL checked by one of `concurrency` threads, at most
//! `per_host` at a time to one host. A retry goes back in the queue with its
//! backoff, so its thread serves other hosts meanwhile; a `Retry-After`
//! pauses the whole host, not just the one URL.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use url::Url;

use super::probe::Attempt;
use super::verdict::Verdict;

/// The longest `Retry-After` waited for: a server that asks for more gets
/// its failure reported (and, being transient, checked again next run).
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub concurrency: usize,
    pub per_host: usize,
    pub retries: u32,
    pub backoff: Duration,
}

struct Job {
    index: usize,
    /// Attempts made so far.
    attempts: u32,
    not_before: Instant,
}

#[derive(Default)]
struct Host {
    key: String,
    busy: usize,
    paused_until: Option<Instant>,
    queue: VecDeque<Job>,
}

struct State {
    hosts: Vec<Host>,
    /// Where the search for the next job starts, so that hosts take turns.
    next_host: usize,
    unfinished: usize,
    verdicts: Vec<Option<Verdict>>,
}

enum Next {
    Run(usize, Job),
    /// Nothing can start before this instant (`None`: before a job ends).
    Wait(Option<Instant>),
    Finished,
}

/// Checks every URL with `attempt`, within the limits; the verdicts come in
/// the order of `urls`.
pub(crate) fn run<F>(urls: &[String], limits: Limits, attempt: F) -> Vec<Verdict>
where
    F: Fn(&str) -> Attempt + Sync,
{
    let now = Instant::now();
    let mut hosts: Vec<Host> = Vec::new();
    for (index, url) in urls.iter().enumerate() {
        let key = host_key(url);
        let position = match hosts.iter().position(|host| host.key == key) {
            Some(position) => position,
            None => {
                hosts.push(Host {
                    key,
                    ..Host::default()
                });
                hosts.len() - 1
            }
        };
        hosts[position].queue.push_back(Job {
            index,
            attempts: 0,
            not_before: now,
        });
    }
    let state = Mutex::new(State {
        hosts,
        next_host: 0,
        unfinished: urls.len(),
        verdicts: vec![None; urls.len()],
    });
    let changed = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..limits.concurrency.min(urls.len()) {
            scope.spawn(|| work(&state, &changed, urls, limits, &attempt));
        }
    });
    let state = state.into_inner().expect("no worker panicked");
    state
        .verdicts
        .into_iter()
        .map(|verdict| verdict.expect("every job settled"))
        .collect()
}

/// Requests to one host and port share a limit.
fn host_key(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|url| {
            let port = url.port_or_known_default()?;
            Some(format!("{}:{port}", url.host_str()?))
        })
        .unwrap_or_else(|| url.to_string())
}

fn work<F>(state: &Mutex<State>, changed: &Condvar, urls: &[String], limits: Limits, attempt: &F)
where
    F: Fn(&str) -> Attempt + Sync,
{
    let mut guard = lock(state);
    loop {
        guard = match guard.next(Instant::now(), limits.per_host) {
            Next::Finished => return,
            Next::Wait(None) => changed.wait(guard).expect("no worker panicked"),
            Next::Wait(Some(until)) => {
                let timeout = until.saturating_duration_since(Instant::now());
                changed
                    .wait_timeout(guard, timeout)
                    .expect("no worker panicked")
                    .0
            }
            Next::Run(host, job) => {
                drop(guard);
                let result = attempt(&urls[job.index]);
                let mut guard = lock(state);
                guard.settle(host, job, result, limits, Instant::now());
                changed.notify_all();
                guard
            }
        };
    }
}

impl State {
    /// The next job that may start now: its host below its limit and not
    /// paused, its backoff over.
    fn next(&mut self, now: Instant, per_host: usize) -> Next {
        if self.unfinished == 0 {
            return Next::Finished;
        }
        let count = self.hosts.len();
        let mut wake: Option<Instant> = None;
        for offset in 0..count {
            let index = (self.next_host + offset) % count;
            let host = &mut self.hosts[index];
            if host.busy >= per_host || host.queue.is_empty() {
                continue;
            }
            let paused_until = host.paused_until.filter(|&until| until > now);
            let ready = host.queue.iter().position(|job| job.not_before <= now);
            match (paused_until, ready) {
                (None, Some(position)) => {
                    let job = host.queue.remove(position).expect("found above");
                    host.busy += 1;
                    self.next_host = (index + 1) % count;
                    return Next::Run(index, job);
                }
                (Some(until), _) => wake = earliest(wake, until),
                (None, None) => {
                    if let Some(soonest) = host.queue.iter().map(|job| job.not_before).min() {
                        wake = earliest(wake, soonest);
                    }
                }
            }
        }
        Next::Wait(wake)
    }

    /// Records an attempt's result: a verdict, or the job queued again.
    fn settle(&mut self, host: usize, mut job: Job, result: Attempt, limits: Limits, now: Instant) {
        let host = &mut self.hosts[host];
        host.busy -= 1;
        job.attempts += 1;
        let verdict = match result {
            Attempt::Done(verdict) => verdict,
            Attempt::Retry {
                failure,
                retry_after,
            } => {
                let backoff = limits
                    .backoff
                    .saturating_mul(1 << (job.attempts - 1).min(16));
                let delay = retry_after.unwrap_or(backoff);
                if job.attempts > limits.retries || delay > MAX_RETRY_AFTER {
                    Verdict::Broken(failure)
                } else {
                    if retry_after.is_some() {
                        let until = now + delay;
                        host.paused_until = Some(host.paused_until.map_or(until, |p| p.max(until)));
                    }
                    job.not_before = now + delay;
                    host.queue.push_back(job);
                    return;
                }
            }
        };
        self.verdicts[job.index] = Some(verdict);
        self.unfinished -= 1;
    }
}

fn earliest(wake: Option<Instant>, candidate: Instant) -> Option<Instant> {
    Some(wake.map_or(candidate, |wake| wake.min(candidate)))
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().expect("no worker panicked")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::online::verdict::Failure;

    fn limits(concurrency: usize, per_host: usize) -> Limits {
        Limits {
            concurrency,
            per_host,
            retries: 2,
            backoff: Duration::from_millis(10),
        }
    }

    #[test]
    fn global_and_per_host_limits_hold() {
        let urls: Vec<String> = (0..30)
            .map(|i| format!("http://host{}.test/{i}.png", i % 3))
            .collect();
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let per_host: Mutex<HashMap<String, (usize, usize)>> = Mutex::default();
        let verdicts = run(&urls, limits(5, 2), |url| {
            let key = host_key(url);
            most.fetch_max(
                in_flight.fetch_add(1, Ordering::SeqCst) + 1,
                Ordering::SeqCst,
            );
            {
                let mut hosts = per_host.lock().unwrap();
                let (now, max) = hosts.entry(key.clone()).or_default();
                *now += 1;
                *max = (*max).max(*now);
            }
            std::thread::sleep(Duration::from_millis(20));
            per_host.lock().unwrap().get_mut(&key).unwrap().0 -= 1;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Attempt::Done(Verdict::Ok)
        });
        assert_eq!(verdicts.len(), 30);
        assert_eq!(most.load(Ordering::SeqCst), 5);
        let hosts = per_host.into_inner().unwrap();
        assert_eq!(hosts.len(), 3);
        assert!(hosts.values().all(|&(_, max)| max == 2), "{hosts:?}");
    }

    #[test]
    fn retries_then_gives_up_with_the_last_failure() {
        let urls = vec![
            "http://a.test/flaky".to_string(),
            "http://a.test/down".to_string(),
        ];
        let calls: Mutex<HashMap<String, u32>> = Mutex::default();
        let verdicts = run(&urls, limits(2, 2), |url| {
            let mut calls = calls.lock().unwrap();
            let count = calls.entry(url.to_string()).or_default();
            *count += 1;
            if url.ends_with("flaky") && *count == 2 {
                Attempt::Done(Verdict::Ok)
            } else {
                Attempt::Retry {
                    failure: Failure::Status(503),
                    retry_after: None,
                }
            }
        });
        assert_eq!(verdicts[0], Verdict::Ok);
        assert_eq!(verdicts[1], Verdict::Broken(Failure::Status(503)));
        let calls = calls.into_inner().unwrap();
        assert_eq!(calls["http://a.test/down"], 3, "one try and two retries");
    }

    #[test]
    fn retry_after_pauses_the_host() {
        let urls: Vec<String> = ["busy", "next", "other"]
            .iter()
            .map(|p| format!("http://a.test/{p}"))
            .chain(["http://b.test/x".to_string()])
            .collect();
        let start = Instant::now();
        let started: Mutex<Vec<(String, Duration)>> = Mutex::default();
        let verdicts = run(&urls, limits(4, 1), |url| {
            let mut started = started.lock().unwrap();
            let first = !started.iter().any(|(u, _)| u == url);
            started.push((url.to_string(), start.elapsed()));
            if url.ends_with("busy") && first {
                Attempt::Retry {
                    failure: Failure::Status(429),
                    retry_after: Some(Duration::from_millis(300)),
                }
            } else {
                Attempt::Done(Verdict::Ok)
            }
        });
        assert!(verdicts.iter().all(|v| *v == Verdict::Ok));
        let started = started.into_inner().unwrap();
        assert_eq!(started.len(), 5);
        let first_busy = started.iter().position(|(u, _)| u.ends_with("busy"));
        for (i, (url, at)) in started.iter().enumerate() {
            // After the 429, host a waits for its Retry-After; host b does not.
            let should_wait = url.contains("a.test") && Some(i) != first_busy;
            assert_eq!(
                *at >= Duration::from_millis(300),
                should_wait,
                "{url} at {at:?}"
            );
        }
    }

    #[test]
    fn a_retry_after_beyond_the_limit_is_not_waited_for() {
        let urls = vec!["http://a.test/x".to_string()];
        let start = Instant::now();
        let verdicts = run(&urls, limits(1, 1), |_| Attempt::Retry {
            failure: Failure::Status(429),
            retry_after: Some(MAX_RETRY_AFTER * 2),
        });
        assert_eq!(verdicts, [Verdict::Broken(Failure::Status(429))]);
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
