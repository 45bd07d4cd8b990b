//! Names in a merge: which two are two people, and which name an input's
//! name becomes.

use std::collections::{HashMap, HashSet};

use super::Item;
use crate::twins::SELF_NAME;

/// Whether two names are two people's to some input, so that no twins
/// pair them: an input holds both, and one export never shows one person
/// under two names. In a merge every name that speaks once pairs with
/// whoever says the same thing seconds away (see [`crate::twins::Evidence`]), so that of
/// a burst of `签到` from many people, one that only one input holds would
/// go as the twin of another's. `我` is each exporter's own, another
/// person in another input: it is two people with a name when every input
/// that holds `我` holds that name too.
pub fn two_people(names: &HashSet<(usize, &str)>, inputs: usize, a: &str, b: &str) -> bool {
    let holds = |input: usize, name: &str| names.contains(&(input, name));
    let mut with_self = (0..inputs)
        .filter(|&input| holds(input, SELF_NAME))
        .peekable();
    match (a == SELF_NAME, b == SELF_NAME) {
        (true, false) => with_self.peek().is_some() && with_self.all(|input| holds(input, b)),
        (false, true) => with_self.peek().is_some() && with_self.all(|input| holds(input, a)),
        _ => (0..inputs).any(|input| holds(input, a) && holds(input, b)),
    }
}

/// Per (input, name), the name the merge gives it instead: the name its
/// twins were kept under most often, when that is another name. Twins
/// show that the first input's `我` is the second's `李雄峰`; the messages
/// of `我` that only the first input holds are `李雄峰`'s too.
pub fn renamed(items: &[Item<'_>], kept_of: &[usize]) -> HashMap<(usize, String), String> {
    let mut members: HashMap<usize, usize> = HashMap::new();
    for &kept in kept_of {
        *members.entry(kept).or_default() += 1;
    }
    // Per (input, name), the names its twinned messages were kept under,
    // its own included.
    let mut counts: HashMap<(usize, &str), HashMap<&str, usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if members[&kept_of[i]] > 1 {
            *counts
                .entry((item.input, &item.doc.speaker))
                .or_default()
                .entry(&items[kept_of[i]].doc.speaker)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|((input, name), to)| {
            let (best, _) = to.into_iter().max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then((a.0 == name).cmp(&(b.0 == name)))
                    .then(b.0.cmp(a.0))
            })?;
            (best != name).then(|| ((input, name.to_string()), best.to_string()))
        })
        .collect()
}
