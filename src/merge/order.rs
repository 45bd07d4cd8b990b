//! The order of a merge: the inputs' messages interleaved by (date, time),
//! each input's own order kept, a message both inputs hold written where
//! it stands in both.

/// Interleaves `chains` (each input's messages in its order, as node
/// numbers below `nodes`; a node that two inputs hold, twins made one,
/// stands in both chains) into one sequence of distinct nodes.
///
/// A k-way merge: of the nodes at the head of their chains, the one with
/// the smallest `key` (then the lowest chain) goes next, but only once it
/// heads every chain it is in. Sorting by time alone would put a message
/// of one input before a message of the same second that the other input
/// writes before it (`y` of `[y, z]` before `x` of `[x, y]`); waiting for
/// the node to head both chains gives `x, y, z`. When no node heads all
/// its chains (the inputs disagree on the order of two messages) the
/// smallest head goes anyway, and its other places are passed over.
pub fn interleave<K: Ord>(
    chains: &[Vec<usize>],
    nodes: usize,
    key: impl Fn(usize) -> K,
) -> Vec<usize> {
    let mut chains_of: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (chain, members) in chains.iter().enumerate() {
        for &node in members {
            if !chains_of[node].contains(&chain) {
                chains_of[node].push(chain);
            }
        }
    }
    let mut heads = vec![0; chains.len()];
    let mut emitted = vec![false; nodes];
    let mut order = Vec::with_capacity(nodes);
    loop {
        for (chain, members) in chains.iter().enumerate() {
            while members.get(heads[chain]).is_some_and(|&node| emitted[node]) {
                heads[chain] += 1;
            }
        }
        let at_heads: Vec<(usize, usize)> = chains
            .iter()
            .enumerate()
            .filter_map(|(chain, members)| Some((chain, *members.get(heads[chain])?)))
            .collect();
        let heads_all = |node: usize| {
            chains_of[node]
                .iter()
                .all(|&chain| chains[chain].get(heads[chain]) == Some(&node))
        };
        let smallest = |candidates: &mut dyn Iterator<Item = &(usize, usize)>| {
            candidates
                .min_by(|a, b| key(a.1).cmp(&key(b.1)).then(a.0.cmp(&b.0)))
                .map(|&(_, node)| node)
        };
        let ready = smallest(&mut at_heads.iter().filter(|(_, node)| heads_all(*node)));
        let Some(next) = ready.or_else(|| smallest(&mut at_heads.iter())) else {
            break;
        };
        emitted[next] = true;
        order.push(next);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::interleave;

    #[test]
    fn messages_of_one_second_keep_both_inputs_order() {
        // x, y, z at one second; the first input lacks x, the second z.
        let (x, y, z) = (0, 1, 2);
        let order = interleave(&[vec![y, z], vec![x, y]], 3, |_| 0);
        assert_eq!(order, [x, y, z]);
    }

    #[test]
    fn earlier_times_go_first_and_ties_go_to_the_first_input() {
        let times = [10, 20, 20, 15];
        let order = interleave(&[vec![0, 1], vec![3, 2]], 4, |node| times[node]);
        assert_eq!(order, [0, 3, 1, 2]);
    }

    #[test]
    fn inputs_that_disagree_on_an_order_still_give_every_node_once() {
        let order = interleave(&[vec![0, 1], vec![1, 0]], 2, |node| node);
        assert_eq!(order, [0, 1]);
    }
}
