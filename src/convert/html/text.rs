//! A message's text as HTML: its lines with their breaks, code fences as
//! `<pre>`, and the inline elements the parser reads (links, images,
//! mentions, emoji codes) as elements; everything else as escaped text.

use super::escape::{is_safe_url, push_escaped};
use crate::model::Inline;
use crate::parser::{parse_inlines, FenceState};

/// Lines as written, escaped, with `<br>` between them.
pub fn push_lines(page: &mut String, text: &str) {
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            page.push_str("<br>\n");
        }
        push_escaped(page, line);
    }
}

/// A message's text (lines joined by `\n`, as a document holds it).
pub fn push_message_text(page: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    let mut fence = FenceState::default();
    let mut in_pre = false;
    let mut after_line = false;
    for line in text.split('\n') {
        let fenced = fence.update(line);
        if fenced {
            if !in_pre {
                page.push_str("<pre>");
                in_pre = true;
            } else {
                page.push('\n');
            }
            push_escaped(page, line);
            continue;
        }
        if in_pre {
            page.push_str("</pre>");
            in_pre = false;
            after_line = false;
        }
        if after_line {
            page.push_str("<br>\n");
        }
        push_inline_line(page, line);
        after_line = true;
    }
    if in_pre {
        page.push_str("</pre>");
    }
}

/// One line outside code fences, its inline elements as elements.
fn push_inline_line(page: &mut String, line: &str) {
    let mut at = 0;
    for inline in parse_inlines(line, 0..line.len()) {
        let span = match &inline {
            Inline::Image(x) => x.span.clone(),
            Inline::Link(x) => x.span.clone(),
            Inline::Mention(x) => x.span.clone(),
            Inline::Emoji(x) => x.span.clone(),
        };
        push_escaped(page, &line[at..span.start]);
        let source = &line[span.clone()];
        match &inline {
            Inline::Image(image) => {
                let url = line[image.destination_span.clone()].trim();
                let alt = &line[image.alt_span.clone()];
                if is_safe_url(url) {
                    page.push_str("<figure class=\"image\"><img src=\"");
                    push_escaped(page, url);
                    page.push_str("\" alt=\"");
                    push_escaped(page, alt);
                    page.push_str("\" loading=\"lazy\"><figcaption>");
                    push_escaped(page, alt);
                    page.push_str("</figcaption></figure>");
                } else {
                    unsafe_url(page, source);
                }
            }
            Inline::Link(link) => {
                let url = link_url(&line[link.destination_span.clone()]);
                if is_safe_url(url) {
                    page.push_str("<a href=\"");
                    push_escaped(page, url);
                    page.push_str("\" rel=\"noopener noreferrer nofollow\">");
                    push_escaped(page, &line[link.text_span.clone()]);
                    page.push_str("</a>");
                } else {
                    unsafe_url(page, source);
                }
            }
            Inline::Mention(_) => {
                page.push_str("<span class=\"mention\">");
                push_escaped(page, source);
                page.push_str("</span>");
            }
            Inline::Emoji(emoji) => {
                page.push_str("<span class=\"emoji\" title=\"");
                push_escaped(page, source);
                page.push_str("\">");
                push_escaped(page, &line[emoji.name_span.clone()]);
                page.push_str("</span>");
            }
        }
        at = span.end;
    }
    push_escaped(page, &line[at..]);
}

/// The URL of a link's destination: without `<…>`, and without the title
/// (`[t](http://a "title")`) that the parser's span keeps.
fn link_url(destination: &str) -> &str {
    let destination = destination.trim();
    if let Some(inside) = destination.strip_prefix('<') {
        return inside.split_once('>').map_or(inside, |(url, _)| url);
    }
    destination
        .split(|c: char| c.is_ascii_whitespace())
        .next()
        .unwrap_or_default()
}

/// A link or image whose URL a page must not follow, shown as written.
fn unsafe_url(page: &mut String, source: &str) {
    page.push_str("<span class=\"unsafe-url\" title=\"link not followed: unsafe URL scheme\">");
    push_escaped(page, source);
    page.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let mut page = String::new();
        push_message_text(&mut page, text);
        page
    }

    #[test]
    fn inline_elements_become_elements_and_the_rest_text() {
        assert_eq!(
            html("@熊哥 请转发[握手] <b>\n![图](https://x.cn/a.png)"),
            "<span class=\"mention\">@熊哥</span> 请转发<span class=\"emoji\" title=\"[握手]\">握手</span> &lt;b&gt;<br>\n\
             <figure class=\"image\"><img src=\"https://x.cn/a.png\" alt=\"图\" loading=\"lazy\">\
             <figcaption>图</figcaption></figure>"
        );
    }

    #[test]
    fn unsafe_urls_are_text() {
        let page = html("[x](javascript:alert(1)) ![y](JAVA\tSCRIPT:alert(2))");
        assert!(!page.contains("href"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("<span class=\"unsafe-url\""), "{page}");
    }

    #[test]
    fn a_link_s_title_and_angle_brackets_stay_out_of_its_href() {
        let page = html("[t](http://a.cn/x \"title\") [u](<http://b.cn/y z>)");
        assert!(page.contains("href=\"http://a.cn/x\""), "{page}");
        assert!(page.contains("href=\"http://b.cn/y z\""), "{page}");
    }

    #[test]
    fn code_fences_are_pre_without_inlines() {
        assert_eq!(
            html("a\n```\n<x> @y\n```\nb"),
            "a<pre>```\n&lt;x&gt; @y\n```</pre>b"
        );
    }
}
