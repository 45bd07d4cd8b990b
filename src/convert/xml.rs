//! `--to xml`: a `<transcript>` element described by `schemas/transcript.xsd`.
//!
//! The output is well-formed whatever the input: markup characters are
//! escaped, carriage returns (and tabs and line feeds in attributes) are
//! written as character references so that a parser gives them back, and
//! characters XML 1.0 cannot hold at all (control characters, U+FFFE,
//! U+FFFF) are written as `\u{…}`, as in the JUnit report, and returned as
//! [`Notice`]s.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::document::{DayHeadingDoc, SuppressionDoc};
use super::{Document, Notice};
use crate::xml_escape::{xml_allows, xml_safe};

pub(super) fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<Vec<Notice>> {
    let mut xml = Xml {
        writer: quick_xml::Writer::new_with_indent(out, b' ', 2),
        notices: Vec::new(),
        line: 0,
    };
    xml.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.start("transcript", &[("source", &*document.source)])?;
    if let Some(front_matter) = &document.front_matter {
        // The front matter opens the file: its YAML starts on line 2.
        xml.line = 2;
        let closed = if front_matter.closed { "true" } else { "false" };
        xml.start("front-matter", &[("closed", closed)])?;
        xml.element("raw", &[], &front_matter.raw)?;
        for field in &front_matter.fields {
            xml.line = field.line;
            let line = field.line.to_string();
            xml.element(
                "field",
                &[("key", &*field.key), ("line", &*line)],
                &field.raw,
            )?;
        }
        xml.end("front-matter")?;
    }
    if let Some(preamble) = &document.preamble {
        xml.element("preamble", &[], preamble)?;
    }
    for suppression in &document.preamble_suppressions {
        xml.suppression("preamble-suppression", suppression)?;
    }
    for message in document.messages.iter() {
        for heading in &message.day_headings {
            xml.day_heading(heading)?;
        }
        xml.line = message.line;
        let (index, line) = (message.index.to_string(), message.line.to_string());
        let mut attributes = vec![("index", index.as_str()), ("line", line.as_str())];
        let optional = [
            ("time", &message.time),
            ("time-as-written", &message.time_as_written),
            ("header-date", &message.header_date),
            ("date", &message.date),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                attributes.push((name, &**value));
            }
        }
        if let Some(datetime) = &message.datetime {
            attributes.push(("datetime", datetime.as_str()));
        }
        attributes.push(("speaker", &*message.speaker));
        xml.start("message", &attributes)?;
        xml.element("text", &[], &message.text)?;
        for suppression in &message.suppressions {
            xml.suppression("suppression", suppression)?;
        }
        for image in &message.images {
            let mut attributes = vec![("alt", &*image.alt), ("url", &*image.url)];
            if let Some(title) = &image.title {
                attributes.push(("title", &**title));
            }
            xml.element("image", &attributes, "")?;
        }
        for link in &message.links {
            xml.element("link", &[("url", &*link.url)], &link.text)?;
        }
        for mention in &message.mentions {
            xml.element("mention", &[], mention)?;
        }
        for emoji in &message.emoji {
            xml.element("emoji", &[], emoji)?;
        }
        xml.end("message")?;
    }
    for heading in &document.trailing_day_headings {
        xml.day_heading(heading)?;
    }
    xml.end("transcript")?;
    let Xml {
        mut writer,
        notices,
        ..
    } = xml;
    writer.get_mut().write_all(b"\n")?;
    Ok(notices)
}

struct Xml<W: Write> {
    writer: quick_xml::Writer<W>,
    notices: Vec<Notice>,
    /// The source line of what is being written, for notices.
    line: usize,
}

impl<W: Write> Xml<W> {
    fn event(&mut self, event: Event<'_>) -> std::io::Result<()> {
        self.writer.write_event(event)
    }

    fn tag<'t>(&mut self, name: &'t str, attributes: &[(&str, &str)]) -> BytesStart<'t> {
        let mut tag = BytesStart::new(name);
        for (key, value) in attributes {
            let value = self.escape(value, true);
            tag.push_attribute(Attribute::from((key.as_bytes(), value.as_bytes())));
        }
        tag
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        let tag = self.tag(name, attributes);
        self.event(Event::Start(tag))
    }

    fn end(&mut self, name: &str) -> std::io::Result<()> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// `<name …>text</name>`, or `<name …/>` for no text.
    fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> std::io::Result<()> {
        let tag = self.tag(name, attributes);
        if text.is_empty() {
            return self.event(Event::Empty(tag));
        }
        self.event(Event::Start(tag))?;
        let text = self.escape(text, false);
        self.event(Event::Text(BytesText::from_escaped(text)))?;
        self.end(name)
    }

    fn day_heading(&mut self, heading: &DayHeadingDoc<'_>) -> std::io::Result<()> {
        self.line = heading.line;
        let line = heading.line.to_string();
        let within = heading.within_previous.map(|n| n.to_string());
        let mut attributes = vec![("line", &*line), ("date", &*heading.date)];
        if let Some(within) = &within {
            attributes.push(("within-previous", within));
        }
        self.element("day-heading", &attributes, &heading.text)
    }

    /// A suppression comment as element `name`, with where it stands.
    fn suppression(&mut self, name: &str, suppression: &SuppressionDoc<'_>) -> std::io::Result<()> {
        let line = suppression.line.to_string();
        let text_line = suppression.text_line.to_string();
        let offset = suppression.offset.map(|n| n.to_string());
        let mut attributes = vec![("line", &*line), ("text-line", &*text_line)];
        if let Some(offset) = &offset {
            attributes.push(("offset", offset));
        }
        self.element(name, &attributes, &suppression.comment)
    }

    /// Escapes text for XML 1.0 (see the module's documentation).
    fn escape<'t>(&mut self, text: &'t str, attribute: bool) -> Cow<'t, str> {
        let special = |b: u8| {
            b < 0x20 && !(b == b'\t' || b == b'\n')
                || matches!(b, b'<' | b'>' | b'&')
                || (attribute && matches!(b, b'\t' | b'\n' | b'"'))
        };
        // The UTF-8 of U+FFC0 to U+FFFF, among which U+FFFE and U+FFFF, starts so.
        const HIGH: [u8; 2] = [0xEF, 0xBF];
        if !text.bytes().any(special) && memchr::memmem::find(text.as_bytes(), &HIGH).is_none() {
            return Cow::Borrowed(text);
        }
        let forbidden: Vec<char> = text.chars().filter(|&c| !xml_allows(c)).collect();
        let text: Cow<'t, str> = if forbidden.is_empty() {
            Cow::Borrowed(text)
        } else {
            self.notice(&forbidden);
            Cow::Owned(xml_safe(text))
        };
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' if attribute => out.push_str("&quot;"),
                '\r' => out.push_str("&#13;"),
                '\t' if attribute => out.push_str("&#9;"),
                '\n' if attribute => out.push_str("&#10;"),
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    }

    fn notice(&mut self, forbidden: &[char]) {
        let mut codes: Vec<String> = forbidden
            .iter()
            .map(|&c| format!("U+{:04X}", u32::from(c)))
            .collect();
        codes.sort();
        codes.dedup();
        let plural = if forbidden.len() == 1 { "" } else { "s" };
        self.notices.push(Notice {
            line: self.line,
            message: format!(
                "{} character{plural} XML 1.0 cannot hold ({}) written as `{}`",
                forbidden.len(),
                codes.join(", "),
                xml_safe(&forbidden.iter().collect::<String>()),
            ),
        });
    }
}
