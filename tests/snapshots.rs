//! Snapshots of what people and programs read: the miette report of one CJK
//! case per rule, and the JSON output.
//!
//! The reports are rendered without colour. Each case puts CJK text (two
//! columns wide on a terminal) before or under the span, so the snapshot shows
//! whether the underline and the label land under the right characters.

use chatlint::config::Settings;
use chatlint::linter::check_with;
use chatlint::output::full::{render_file, Color};
use chatlint::output::{json, FileReport};
use chatlint::SourceFile;

const FRONT_MATTER: &str = "---\nlayout:     source \ntitle:      \"2017-08-25-WeChat\"\ndate:       2017-08-25 12:00:00\nauthor:     \"PaymentGroup\"\ntag:\t\t  [chat]\n---\n";

/// The findings of the default rules; with `only`, those of that rule alone,
/// so that each snapshot shows the rule it is about.
fn report_of(name: &str, body: &str, only: Option<&str>) -> FileReport {
    let text = format!("{FRONT_MATTER}{body}");
    let mut diagnostics = check_with(&text, &Settings::default());
    diagnostics.retain(|d| only.is_none_or(|rule| d.rule.name == rule));
    FileReport {
        source: SourceFile::from_string(name, text),
        diagnostics,
    }
}

fn report(name: &str, body: &str) -> FileReport {
    report_of(name, body, None)
}

fn rendered(report: &FileReport) -> String {
    assert!(
        !report.diagnostics.is_empty(),
        "{}: expected findings",
        report.source.name()
    );
    let mut out = String::new();
    render_file(report, Color::Never.into(), &mut out);
    out
}

#[test]
fn heading_missing_space_under_cjk() {
    let report = report_of(
        "fixtures/heading.md",
        "> 07:50:02  右军  \n   \n##异地多活的case方案，虽说实现各异  \n   ##缩进的标题  \n",
        Some("heading-missing-space"),
    );
    insta::assert_snapshot!(rendered(&report));
}

#[test]
fn malformed_timestamp_under_cjk() {
    let report = report_of(
        "fixtures/timestamp.md",
        "> ０７：５２：０２  韩涛  快捷通支付 渠道  \n   \n全角数字  \n   \n> 2017-5-5 07:53:00  右军  \n   \n日期少了零  \n   \n> 07:5x:02  右军  \n   \n修不了  \n",
        Some("malformed-timestamp"),
    );
    insta::assert_snapshot!(rendered(&report));
}

#[test]
fn time_runs_backwards_under_cjk() {
    let report = report_of(
        "fixtures/backwards.md",
        "> 14:02:00  钟文帅-移付宝科技-产品经理  \n   \n先说对账  \n   \n> 09:15:00  于高禾-一亩田 PL  \n   \n贴错了位置  \n",
        Some("time-runs-backwards"),
    );
    insta::assert_snapshot!(rendered(&report));
}

#[test]
fn broken_image_url_under_cjk() {
    let report = report_of(
        "fixtures/image.md",
        "> 11:51:30  happycoral  \n   \n看这张架构图！[2017-08-25 11:51:30](htp://static.cocolian.cn/img/20170825_115130.png) \n图二：![2017-08-25 11:51:31]（http://static.cocolian.cn/img/20170825_115131.png） \n图三：![截图](http://static.cocolian.cn/img/2017 08 25.png) \n",
        Some("broken-image-url"),
    );
    insta::assert_snapshot!(rendered(&report));
}

#[test]
fn long_cjk_line_is_cut_around_the_label() {
    // A pasted article on one line: far longer than a report shows whole.
    let article = "异地多活的方案虽说实现各异但万变不离其宗核心是数据分区和流量路由。".repeat(4);
    let body = format!(
        "> 11:51:30  happycoral  \n   \n{article}！[2017-08-25 11:51:30](htp://static.cocolian.cn/img/20170825_115130.png){article}  \n"
    );
    let report = report_of("fixtures/long.md", &body, Some("broken-image-url"));
    insta::assert_snapshot!(rendered(&report));
}

#[test]
fn json_output() {
    let reports = [
        report(
            "fixtures/a.md",
            "> 7:50:02  右军  \n   \n##背景 先说下  \n   \n> 07:40:00  钟  \n   \n看这张图！[2017-08-25 07:40:00](http:/static.cocolian.cn/img/20170825_074000.png \n",
        ),
        report(
            "fixtures/b.md",
            "> 07:50:02  右军  \n   \n![图](static.cocolian.org/img/a b.png) \n![图](ftp://static.cocolian.org/img/a.png) \n",
        ),
    ];
    let mut out = Vec::new();
    json::write(&reports, &mut out).expect("writing to a Vec");
    let text = String::from_utf8(out).expect("JSON is UTF-8");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(parsed.as_array().is_some_and(|a| !a.is_empty()));
    insta::assert_snapshot!(text);
}
