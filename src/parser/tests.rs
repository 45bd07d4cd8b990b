use super::*;
use crate::model::{Inline, Time, Width};

const SAMPLE: &str = "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\n---\n> 07:50:02  右军  \n   \n##异地多活  \n   \n> 11:51:30  happycoral  \n   \n![2017-08-25 11:51:30](http://static.cocolian.cn/img/20170825_115130.png) \n   \n";

#[test]
fn parses_front_matter_messages_and_bodies() {
    let t = parse(SAMPLE);
    let fm = t.front_matter.as_ref().unwrap();
    assert!(fm.closed);
    assert_eq!(
        &SAMPLE[fm.yaml_span.clone()],
        "layout: source\ntitle: \"2017-08-25-WeChat\"\n"
    );
    assert_eq!(t.messages.len(), 2);
    let first = &t.messages[0];
    assert_eq!(first.header.speaker(SAMPLE), "右军");
    assert_eq!(
        first.header.time,
        Some(Time {
            hour: 7,
            minute: 50,
            second: 2
        })
    );
    assert_eq!(first.text(SAMPLE), "##异地多活");
    let Inline::Image(image) = &t.messages[1].content_lines()[0].inlines[0] else {
        panic!("expected an image");
    };
    assert_eq!(&SAMPLE[image.alt_span.clone()], "2017-08-25 11:51:30");
    assert_eq!(
        &SAMPLE[image.destination_span.clone()],
        "http://static.cocolian.cn/img/20170825_115130.png"
    );
    assert_eq!(image.close_paren, Some(Width::Ascii));
}

#[test]
fn crlf_and_bom_give_the_same_messages() {
    let crlf = format!("\u{feff}{}", SAMPLE.replace('\n', "\r\n"));
    let t = parse(&crlf);
    assert!(t.front_matter.as_ref().unwrap().closed);
    assert_eq!(t.messages.len(), 2);
    assert_eq!(t.messages[0].header.speaker(&crlf), "右军");
    assert_eq!(t.messages[0].text(&crlf), "##异地多活");
}

#[test]
fn malformed_times_are_still_headers() {
    for line in [
        "> 7:51:02  a",
        "> 07：52：02  a",
        "> 25:61:00  a",
        "> 07:51  a",
        "> 07:5x:02  a",
        "> 07.51.02  a",
    ] {
        let t = parse(line);
        assert_eq!(t.messages.len(), 1, "{line}");
        assert_eq!(t.messages[0].header.time, None, "{line}");
        assert_eq!(t.messages[0].header.speaker(line), "a", "{line}");
    }
}

#[test]
fn quotes_that_are_not_times_are_body_text() {
    let t = parse("> 07:50:02  a  \n> quoted text\n> 2 people\n");
    assert_eq!(t.messages.len(), 1);
    assert_eq!(t.messages[0].body.len(), 2);
}

#[test]
fn full_date_headers_and_day_headings() {
    let text = "## 2017-05-05   \n> 2017-05-05 23:59:00  甲  \n> 2017-05-06 00:00:10  乙 丙  \n";
    let t = parse(text);
    assert_eq!(t.day_headings.len(), 1);
    assert_eq!(t.day_headings[0].date.to_string(), "2017-05-05");
    assert_eq!(t.messages.len(), 2);
    assert_eq!(
        t.messages[1].header.valid_date().unwrap().to_string(),
        "2017-05-06"
    );
    assert_eq!(t.messages[1].header.speaker(text), "乙 丙");
}

#[test]
fn empty_speaker_and_no_final_newline() {
    let text = "> 10:43:00    ";
    let t = parse(text);
    assert_eq!(t.messages.len(), 1);
    assert_eq!(t.messages[0].header.speaker(text), "");
}

#[test]
fn unclosed_front_matter_stops_before_the_first_header() {
    let text = "---\ntitle: x\n> 07:50:02  a  \nhi  \n";
    let t = parse(text);
    let fm = t.front_matter.unwrap();
    assert!(!fm.closed);
    assert_eq!(&text[fm.yaml_span], "title: x");
    assert_eq!(t.messages.len(), 1);
}

#[test]
fn code_fences_hold_no_inlines() {
    let text = "> 07:50:02  a  \n```\n![x]( bad )\n#include <x>\n```\n![x](http://a.b/c.png)\n";
    let t = parse(text);
    let body = &t.messages[0].body;
    assert!(body[0].in_code_fence && body[1].in_code_fence && body[3].in_code_fence);
    assert!(body[1].inlines.is_empty());
    assert!(!body[4].in_code_fence);
    assert_eq!(body[4].inlines.len(), 1);
}

#[test]
fn lenient_images() {
    let cases = [
        (
            "！[a](http://x.cn/a.png)",
            Width::FullWidth,
            Width::Ascii,
            Some(Width::Ascii),
            "http://x.cn/a.png",
        ),
        (
            "![a]（http://x.cn/a.png）",
            Width::Ascii,
            Width::FullWidth,
            Some(Width::FullWidth),
            "http://x.cn/a.png",
        ),
        (
            "![a](http://x.cn/a b.png)",
            Width::Ascii,
            Width::Ascii,
            Some(Width::Ascii),
            "http://x.cn/a b.png",
        ),
        (
            "![a](http://x.cn/a.png  ",
            Width::Ascii,
            Width::Ascii,
            None,
            "http://x.cn/a.png",
        ),
        (
            "![a](<http://x.cn/a b.png> \"t\")",
            Width::Ascii,
            Width::Ascii,
            Some(Width::Ascii),
            "http://x.cn/a b.png",
        ),
    ];
    for (line, bang, open, close, dest) in cases {
        let t = parse(&format!("> 07:50:02  a  \n{line}\n"));
        let text = format!("> 07:50:02  a  \n{line}\n");
        let Some(Inline::Image(image)) = t.messages[0].body[0].inlines.first() else {
            panic!("no image in {line}");
        };
        assert_eq!(
            (image.bang, image.open_paren, image.close_paren),
            (bang, open, close),
            "{line}"
        );
        assert_eq!(&text[image.destination_span.clone()], dest, "{line}");
    }
}

#[test]
fn emoji_after_full_width_exclamation_is_not_an_image() {
    let text = "> 07:50:02  a  \n感谢分享！[强]  \n";
    let t = parse(text);
    let inlines = &t.messages[0].body[0].inlines;
    assert_eq!(inlines.len(), 1);
    let Inline::Emoji(emoji) = &inlines[0] else {
        panic!("{inlines:?}")
    };
    assert_eq!(&text[emoji.name_span.clone()], "强");
}

#[test]
fn mentions_end_at_the_lost_character() {
    let text = "> 07:50:02  a  \n我们正在做。@右军?支付宝  \n";
    let t = parse(text);
    let Inline::Mention(m) = &t.messages[0].body[0].inlines[0] else {
        panic!()
    };
    assert_eq!(&text[m.name_span.clone()], "右军");
}

#[test]
fn next_header_line_finds_where_the_parser_starts_messages() {
    for text in [
        SAMPLE,
        "> 07:50:02  甲\n```\n> 07:51:00  乙\n```\n>不是 header\n> 7:52  丙\r\n尾\n",
        "---\ntitle: x\n> 07:50:02  甲\n正文\n",
        "前言\n> 引用\n",
        "",
    ] {
        let by_parser: Vec<usize> = parse(text)
            .messages
            .iter()
            .map(|m| m.header.span.start)
            .collect();
        let by_lines: Vec<usize> = std::iter::successors(next_header_line(text, 0), |&start| {
            next_header_line(text, start + 1)
        })
        .collect();
        assert_eq!(by_lines, by_parser, "{text:?}");
        // From the middle of a line: the next line that starts a message.
        if let Some(&second) = by_parser.get(1) {
            assert_eq!(next_header_line(text, by_parser[0] + 1), Some(second));
            assert_eq!(next_header_line(text, second), Some(second));
        }
    }
}

/// Pieces of a transcript's text, for a property test to join: headers
/// valid and not, day headings, front matter, fences, every line break, a
/// BOM.
fn transcript_pieces() -> impl proptest::strategy::Strategy<Value = Vec<&'static str>> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            "---\n",
            "title: x\n",
            "> 07:50:02  右军  ",
            "> 7:50:02  a",
            ">08:00:00 b",
            "> 2017-05-05 09:00:00  钟",
            "## 2017-05-05",
            "```",
            "\n",
            "\r\n",
            "\r",
            "   ",
            "text",
            "\u{feff}",
            "> quote",
            ">",
            " ",
        ]),
        0..40,
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// `header_starts` finds exactly the headers `parse` finds, whatever
    /// the line breaks, front matter, BOM or fences around them.
    #[test]
    fn header_starts_are_the_headers_of_parse(
        pieces in transcript_pieces()
    ) {
        let text: String = pieces.concat();
        let expected: Vec<usize> =
            parse(&text).messages.iter().map(|m| m.header.span.start).collect();
        proptest::prop_assert_eq!(header_starts(&text), expected, "{:?}", text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// `outlines` reads the messages `parse` reads: the same headers, the
    /// same body lines, and the day headings before each.
    #[test]
    fn outlines_are_the_messages_of_parse(
        pieces in transcript_pieces()
    ) {
        let text: String = pieces.concat();
        let transcript = parse(&text);
        let outlines: Vec<Outline> = outlines(&text).collect();
        proptest::prop_assert_eq!(outlines.len(), transcript.messages.len(), "{:?}", text);
        for (outline, message) in outlines.iter().zip(&transcript.messages) {
            proptest::prop_assert_eq!(&outline.header.span, &message.header.span);
            let body: Vec<&str> = message.body.iter().map(|l| &text[l.span.clone()]).collect();
            proptest::prop_assert_eq!(outline.body_lines(&text).collect::<Vec<_>>(), body);
            let before = transcript
                .day_headings
                .iter()
                .filter(|h| h.span.start < message.header.span.start)
                .count();
            proptest::prop_assert_eq!(outline.day_headings_before, before, "{:?}", text);
        }
    }
}
