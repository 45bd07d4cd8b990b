//! The twins among the inputs' messages: the sets of messages that are one.

use std::collections::HashSet;

use super::{names, order, output, root, Item, MergeOptions};
use crate::convert::document::Document;
use crate::rules::keeps_earlier;
use crate::source::SourceFile;
use crate::twins::{find_twins, Evidence};
use crate::Error;

/// Pairs of names twins were found under, each both ways.
pub type PairedNames = HashSet<(String, String)>;

/// Each item's kept twin (itself when kept or twinless, not yet followed
/// to the end of a chain: see [`root`]), and the pairs of names twins were
/// found under (both ways).
///
/// The twin definition gives each message at most one twin under another
/// name, as two exports hold two copies. With more inputs a message has
/// more copies: the messages kept are interleaved and looked at again, as
/// many rounds as there are inputs less one (one round for two). A round
/// after the first joins only sets that no input holds messages of both:
/// one export holds a message once, and a person's `[强]` said three
/// times in a few seconds stays three messages.
pub fn twin_sets(
    (first, starts_with_heading): (&Document<'_>, bool),
    items: &[Item<'_>],
    options: &MergeOptions,
    sources: &[SourceFile],
    name: &str,
) -> Result<(Vec<usize>, PairedNames), Error> {
    let names: HashSet<(usize, &str)> = items
        .iter()
        .map(|item| (item.input, item.doc.speaker.as_ref()))
        .collect();
    let mut kept_of: Vec<usize> = (0..items.len()).collect();
    // The inputs each set holds messages of, by the set's kept item.
    let mut inputs_of: Vec<HashSet<usize>> =
        items.iter().map(|i| HashSet::from([i.input])).collect();
    let mut paired = HashSet::new();
    for round in 0..sources.len().saturating_sub(1) {
        // The candidate: the messages kept so far, interleaved.
        let alive: Vec<usize> = (0..items.len()).filter(|&i| kept_of[i] == i).collect();
        let mut chains = vec![Vec::new(); sources.len()];
        for &i in &alive {
            chains[items[i].input].push(i);
        }
        let candidate = order::interleave(&chains, items.len(), |i| &items[i].key);
        let text = output::render(first, items, &candidate, starts_with_heading);
        let model = crate::parser::parse(&text);
        if model.messages.len() != candidate.len() {
            return Err(output::does_not_read_back(
                name, items, &candidate, &text, sources,
            ));
        }
        let evidence = Evidence::of_transcript(&text, &model, &options.twins)
            .known_merge(|a, b| names::two_people(&names, sources.len(), a, b));
        let mut joined = false;
        for pair in find_twins(&text, &model, &options.twins, &options.aliases, &evidence) {
            let (a, b) = (
                root(&kept_of, candidate[pair.earlier]),
                root(&kept_of, candidate[pair.later]),
            );
            if a == b || (round > 0 && !inputs_of[a].is_disjoint(&inputs_of[b])) {
                continue;
            }
            let (speaker_a, speaker_b) = (&items[a].doc.speaker, &items[b].doc.speaker);
            let keep_a = keeps_earlier(
                options.keep,
                speaker_a,
                speaker_b,
                &options.aliases,
                &evidence,
            );
            let (kept, dropped) = if keep_a { (a, b) } else { (b, a) };
            kept_of[dropped] = kept;
            let moved = std::mem::take(&mut inputs_of[dropped]);
            inputs_of[kept].extend(moved);
            paired.insert((speaker_a.to_string(), speaker_b.to_string()));
            paired.insert((speaker_b.to_string(), speaker_a.to_string()));
            joined = true;
        }
        if !joined {
            break;
        }
    }
    Ok((kept_of, paired))
}
