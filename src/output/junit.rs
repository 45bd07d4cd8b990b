//! `--output-format junit`: one test suite per file, one failing test case per
//! finding (a file without findings has one passing case), for CI systems
//! that show JUnit reports.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::FileReport;

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let tests: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "chatlint"));
    suites.push_attribute(("tests", tests.to_string().as_str()));
    suites.push_attribute(("failures", failures.to_string().as_str()));
    writer.write_event(Event::Start(suites))?;
    for report in reports {
        let name = xml_safe(report.source.name());
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", name.as_str()));
        suite.push_attribute((
            "tests",
            report.diagnostics.len().max(1).to_string().as_str(),
        ));
        suite.push_attribute(("failures", report.diagnostics.len().to_string().as_str()));
        writer.write_event(Event::Start(suite))?;
        if report.diagnostics.is_empty() {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("name", "chatlint"));
            case.push_attribute(("classname", name.as_str()));
            writer.write_event(Event::Empty(case))?;
        }
        for d in &report.diagnostics {
            let start = report.source.line_column(d.span.start);
            let mut case = BytesStart::new("testcase");
            let case_name = format!(
                "{} {} at {}:{}",
                d.rule.code, d.rule.name, start.line, start.column
            );
            case.push_attribute(("name", case_name.as_str()));
            case.push_attribute(("classname", name.as_str()));
            case.push_attribute(("file", name.as_str()));
            case.push_attribute(("line", start.line.to_string().as_str()));
            writer.write_event(Event::Start(case))?;
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", xml_safe(&d.message).as_str()));
            failure.push_attribute(("type", d.rule.code));
            writer.write_event(Event::Start(failure))?;
            let mut body = format!("{}:{}:{}: {}", name, start.line, start.column, d.message);
            if let Some(help) = &d.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            writer.write_event(Event::Text(BytesText::new(&xml_safe(&body))))?;
            writer.write_event(Event::End(BytesEnd::new("failure")))?;
            writer.write_event(Event::End(BytesEnd::new("testcase")))?;
        }
        writer.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    writer.write_event(Event::End(BytesEnd::new("testsuites")))?;
    out.write_all(&writer.into_inner())?;
    writeln!(out)
}

/// Whether XML 1.0 allows a character: no control characters but tab, LF
/// and CR, and neither U+FFFE nor U+FFFF.
pub fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// XML 1.0 allows no control characters but tab, LF and CR: others are
/// written as `\u{..}` so that the report stays well-formed.
pub fn xml_safe(text: &str) -> String {
    if text.chars().all(xml_allows) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if xml_allows(c) {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_spelled_out() {
        assert_eq!(super::xml_safe("a\u{1}b\tc"), "a\\u{1}b\tc");
    }
}
