//! The archive's `index.html`: its transcripts by month, with their message
//! counts and participants, and a search over every message that runs in
//! the browser (`search.js`), reading an index of the messages
//! (`search-index.js`) loaded only when a search starts.

use serde::Serialize;

use super::escape::push_escaped;
use super::{counted, speaker_class, Listing, Row, Summary, STYLE};

/// The index page's policy: styles inline, the one script beside it.
pub const INDEX_CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// What only an archive index holds in its head: a rerun may replace a file
/// that has it, and no other.
pub const INDEX_MARK: &str = "<header class=\"transcript\" data-transcripts=\"";

/// The search script, written beside `index.html`.
pub const SEARCH_JS: &str = include_str!("search.js");

/// One transcript of the archive, as the index and the search know it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its page, as a URL relative to the index (segments percent-encoded).
    pub page: String,
    pub summary: Summary,
    /// Each message: its index, time as written, speaker and text.
    pub messages: Vec<Row>,
}

impl Entry {
    /// The entry of a page at `relative_path` (with `/` between folders)
    /// from the index, listed as it was written.
    pub fn new(relative_path: &str, listing: Listing) -> Self {
        Entry {
            page: url_path(relative_path),
            summary: listing.summary,
            messages: listing.messages,
        }
    }

    /// `YYYY-MM` of the transcript's date, if it has one: the front
    /// matter's `date:` may hold anything, and only digits go into the
    /// index's ids and headings.
    fn month(&self) -> Option<&str> {
        let month = self.summary.date.as_deref()?.get(..7)?;
        let bytes = month.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        (digits(0..4) && bytes[4] == b'-' && digits(5..7)).then_some(month)
    }
}

/// A relative path as a URL: each byte but the unreserved ones (and `/`)
/// percent-encoded, so that `#`, `?`, `%` and spaces in file names link.
pub fn url_path(relative_path: &str) -> String {
    let mut url = String::with_capacity(relative_path.len());
    for byte in relative_path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// `index.html`, the entries sorted by date (undated last), then page.
pub fn index_page(entries: &mut [Entry]) -> String {
    entries.sort_by(|a, b| {
        (a.month().is_none(), &a.summary.date, &a.page).cmp(&(
            b.month().is_none(),
            &b.summary.date,
            &b.page,
        ))
    });
    let total: usize = entries.iter().map(|e| e.summary.messages).sum();
    let mut page = String::with_capacity(entries.len() * 400 + 8192);
    page.push_str("<!DOCTYPE html>\n<html lang=\"und\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    page.push_str(INDEX_CSP);
    page.push_str(
        "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    page.push_str(
        "<meta name=\"generator\" content=\"chatlint\">\n<title>Archive</title>\n<style>\n",
    );
    page.push_str(STYLE);
    page.push_str(
        "ol#results { padding-left: 1.5rem; } ol#results .excerpt { color: var(--muted); }\n\
         input#search { width: 100%; font: inherit; padding: .4rem .6rem; margin: .5rem 0; }\n\
         section.month ul { list-style: none; padding: 0; } section.month li { margin: .3rem 0; }\n",
    );
    page.push_str("</style>\n<script src=\"search.js\" defer></script>\n</head>\n<body>\n");
    page.push_str(INDEX_MARK);
    page.push_str(&format!(
        "{}\" data-messages=\"{total}\">\n\
         <h1>Archive</h1>\n<p class=\"count\">{}, {}</p>\n",
        entries.len(),
        counted(entries.len(), "transcript"),
        counted(total, "message")
    ));
    page.push_str(
        "<label for=\"search\">Search every message</label>\n\
         <input id=\"search\" type=\"search\" autocomplete=\"off\" placeholder=\"a word, a phrase or a name\">\n\
         <p id=\"search-status\" role=\"status\"></p>\n<ol id=\"results\"></ol>\n</header>\n<main>\n",
    );
    let mut month: Option<Option<&str>> = None;
    for entry in entries.iter() {
        if month != Some(entry.month()) {
            if month.is_some() {
                page.push_str("</ul>\n</section>\n");
            }
            month = Some(entry.month());
            let (id, heading) = entry.month().map_or(("undated", "Undated"), |m| (m, m));
            page.push_str(&format!(
                "<section class=\"month\" id=\"{id}\">\n<h2 class=\"day\">{heading}</h2>\n<ul>\n"
            ));
        }
        page.push_str("<li><a href=\"");
        push_escaped(&mut page, &entry.page);
        page.push_str("\">");
        push_escaped(&mut page, &entry.summary.title);
        page.push_str("</a> ");
        if let Some(date) = &entry.summary.date {
            page.push_str("<time>");
            push_escaped(&mut page, date);
            page.push_str("</time> ");
        }
        page.push_str(&format!(
            "<span class=\"count\" data-messages=\"{}\">{}</span><br>\n<span class=\"participants\">",
            entry.summary.messages,
            counted(entry.summary.messages, "message")
        ));
        for (k, name) in entry.summary.participants.iter().enumerate() {
            if k > 0 {
                page.push_str(", ");
            }
            page.push_str(&format!(
                "<span class=\"speaker s{}\">",
                speaker_class(name)
            ));
            push_escaped(&mut page, name);
            page.push_str("</span>");
        }
        page.push_str("</span></li>\n");
    }
    if month.is_some() {
        page.push_str("</ul>\n</section>\n");
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

#[derive(Serialize)]
struct FileRow<'e> {
    page: &'e str,
    title: &'e str,
    date: Option<&'e str>,
}

#[derive(Serialize)]
struct SearchIndex<'e> {
    files: Vec<FileRow<'e>>,
    /// `[file, message index, time, speaker, text]`.
    messages: Vec<(usize, usize, &'e str, &'e str, &'e str)>,
}

/// `search-index.js`: the script that defines `window.chatlintSearchIndex`.
pub fn search_index(entries: &[Entry]) -> String {
    let index = SearchIndex {
        files: entries
            .iter()
            .map(|e| FileRow {
                page: &e.page,
                title: &e.summary.title,
                date: e.summary.date.as_deref(),
            })
            .collect(),
        messages: entries
            .iter()
            .enumerate()
            .flat_map(|(file, e)| {
                e.messages
                    .iter()
                    .map(move |(i, time, speaker, text)| (file, *i, &**time, &**speaker, &**text))
            })
            .collect(),
    };
    // JSON is a JavaScript expression; a string of it cannot end the script.
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
    format!("window.chatlintSearchIndex = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_but_for_slashes() {
        assert_eq!(
            url_path("prodarch/_posts/2018-06-05-chat.html"),
            "prodarch/_posts/2018-06-05-chat.html"
        );
        assert_eq!(url_path("a b/#1?.html"), "a%20b/%231%3F.html");
        assert_eq!(url_path("群/聊.html"), "%E7%BE%A4/%E8%81%8A.html");
    }
}
