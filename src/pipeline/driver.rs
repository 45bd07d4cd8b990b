//! The ordered parallel driver: files are worked on in parallel, their
//! results delivered in the order of the files.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

/// Runs `work` on every item in parallel, and hands each result to
/// `deliver` in the items' order, as soon as the results before it are
/// delivered: a formatter that streams writes each file's output then, and
/// memory holds only the results waiting for an earlier one. The worker that
/// completes the next result in order delivers it, and any waiting after
/// it: no thread is woken to deliver.
pub fn in_order<'i, I, T, W, D>(items: &'i [I], work: W, deliver: D)
where
    I: Sync,
    T: Send,
    W: Fn(&'i I) -> T + Sync,
    D: FnMut(T) + Send,
{
    let waiting = Mutex::new(Waiting {
        next: 0,
        results: BTreeMap::new(),
        deliver,
    });
    items.par_iter().enumerate().for_each(|(index, item)| {
        let result = work(item);
        // A panic in `deliver` poisons the lock; the results are still
        // whole, so the other workers go on.
        waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .arrive(index, result);
    });
}

/// The results of [`in_order`] not yet delivered.
struct Waiting<T, D> {
    /// The index of the next result to deliver.
    next: usize,
    results: BTreeMap<usize, T>,
    deliver: D,
}

impl<T, D: FnMut(T)> Waiting<T, D> {
    fn arrive(&mut self, index: usize, result: T) {
        self.results.insert(index, result);
        while let Some(result) = self.results.remove(&self.next) {
            self.next += 1;
            (self.deliver)(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_the_items_order_whatever_order_they_finish_in() {
        // Early items take longest, so later ones finish first.
        let items: Vec<u64> = (0..64).collect();
        let mut delivered = Vec::new();
        in_order(
            &items,
            |&item| {
                std::thread::sleep(std::time::Duration::from_micros((64 - item) * 200));
                item * 10
            },
            |result| delivered.push(result),
        );
        let expected: Vec<u64> = items.iter().map(|item| item * 10).collect();
        assert_eq!(delivered, expected);
    }

    #[test]
    fn a_result_is_delivered_before_later_items_finish() {
        // Item 0 is fast, item 1 slow: 0 must be out before 1 is done.
        let items = [0u64, 1];
        let events = Mutex::new(Vec::new());
        in_order(
            &items,
            |&item| {
                if item == 1 {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                events.lock().unwrap().push(format!("done {item}"));
                item
            },
            |result| events.lock().unwrap().push(format!("delivered {result}")),
        );
        let events = events.into_inner().unwrap();
        let position = |event: &str| events.iter().position(|e| e == event).unwrap();
        if rayon::current_num_threads() > 1 {
            assert!(position("delivered 0") < position("done 1"), "{events:?}");
        }
        assert!(
            position("delivered 0") < position("delivered 1"),
            "{events:?}"
        );
    }
}
