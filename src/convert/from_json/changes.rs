//! After the checks: what the safe fixes of `--to md` changed, told as
//! notices, never silent.

use super::compare::{difference, head_difference, trailing_difference};
use crate::convert::document::{Document, MessageDoc};
use crate::convert::Notice;
use crate::source::SourceFile;

/// What the safe fixes changed: the messages of `markdown` (the Markdown
/// written) against the document's, a notice per message and field.
pub fn changes(document: &Document<'_>, markdown: &str) -> Vec<Notice> {
    let source = SourceFile::from_string(document.source.as_ref(), markdown);
    let again = Document::build(&source, None);
    let ours: Vec<_> = document.messages.iter().collect();
    let theirs: Vec<_> = again.messages.iter().collect();
    let key = |m: &MessageDoc<'_>| {
        (
            m.written_time().to_string(),
            m.speaker.to_string(),
            m.text.to_string(),
        )
    };
    let old: Vec<_> = ours.iter().map(|m| key(m)).collect();
    let new: Vec<_> = theirs.iter().map(|m| key(m)).collect();
    let mut notices = Vec::new();
    let notice = |notices: &mut Vec<Notice>, index: usize, message: String| {
        notices.push(Notice {
            line: 0,
            message: format!("message {index}: {message}"),
        })
    };
    let pair = |notices: &mut Vec<Notice>, i: usize, j: usize| {
        for (field, what) in changed_fields(&ours[i], &theirs[j]) {
            notice(
                notices,
                i,
                format!("{field}: changed by a safe fix: {what}"),
            );
        }
    };
    // As many messages as before: the fixes removed none (only a duplicate's
    // removal does), so each is compared with its own. A diff could pair
    // them otherwise, and tell a changed text as a removal and an addition.
    let same_count = old.len() == new.len();
    if same_count {
        for i in 0..old.len() {
            pair(&mut notices, i, i);
        }
    }
    let ops = if same_count {
        Vec::new()
    } else {
        similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new)
    };
    for op in ops {
        let (_, olds, news) = op.as_tag_tuple();
        for (i, j) in olds.clone().zip(news.clone()) {
            pair(&mut notices, i, j);
        }
        let paired = olds.len().min(news.len());
        for i in olds.clone().skip(paired) {
            notice(&mut notices, i, "messages: removed by a safe fix".into());
        }
        if news.len() > paired {
            notice(
                &mut notices,
                olds.start + paired,
                format!(
                    "messages: {} messages made before it by a safe fix",
                    news.len() - paired
                ),
            );
        }
    }
    // Outside the messages, a notice without a message: the fixes may
    // remove an unused suppression comment from the preamble, say.
    for difference in [
        head_difference(document, &again),
        trailing_difference(document, &again),
    ] {
        if let Err(err) = difference {
            notices.push(Notice {
                line: 0,
                message: format!("{}: changed by a safe fix: {}", err.field, err.problem),
            });
        }
    }
    notices
}

/// Every field of `theirs` that differs from `ours`, with the change.
fn changed_fields<'x>(
    ours: &MessageDoc<'x>,
    theirs: &MessageDoc<'x>,
) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut ours = ours.clone();
    // One field at a time: once a field is told, it is taken as the
    // Markdown's, and the next difference is looked for.
    while let Some((field, what)) = difference(&ours, theirs) {
        found.push((field, what));
        match field {
            "header_date" => ours.header_date = theirs.header_date.clone(),
            "time" | "time_as_written" => {
                ours.time = theirs.time.clone();
                ours.time_as_written = theirs.time_as_written.clone();
            }
            "speaker" => ours.speaker = theirs.speaker.clone(),
            "text" => ours.text = theirs.text.clone(),
            "suppressions" => ours.suppressions = theirs.suppressions.clone(),
            "date" => ours.date = theirs.date.clone(),
            "day_headings" => ours.day_headings = theirs.day_headings.clone(),
            "images" => ours.images = theirs.images.clone(),
            "links" => ours.links = theirs.links.clone(),
            "mentions" => ours.mentions = theirs.mentions.clone(),
            _ => ours.emoji = theirs.emoji.clone(),
        }
    }
    found
}
