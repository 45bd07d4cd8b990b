//! `--output-format junit`: one test suite per file, one failing test case per
//! finding (a file without findings has one passing case), for CI systems
//! that show JUnit reports.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::FileReport;
// The escaping `--to xml` shares, still public here where it was first.
pub use crate::xml_escape::{xml_allows, xml_safe};

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
