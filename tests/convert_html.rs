//! Issue 14: `convert --to html`, checked on the written HTML (the browser
//! tests, tests/browser.rs, open it in Chromium): hostile text escaped,
//! every page of the archive parsed by html5lib without an error, the
//! archive's index and search index complete, findings marked.

mod convert_support;
#[path = "resources/mod.rs"]
mod resources;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use chatlint::convert::{Format, Options};
use convert_support::*;
use serde_json::Value;

const NAME: &str = "2017-08-25-chat.md";

/// A transcript whose speaker, text, link and image hold markup and
/// script URLs.
fn hostile() -> String {
    "---\ntitle: \"<script>alert('t')</script>\"\ndate: 2017-08-25\n---\n\
     > 07:50:02  <script>alert(1)</script>  \n   \n\
     \"><img src=x onerror=alert(2)> and <b>bold</b>  \n\
     [click](javascript:alert(3)) [ok](https://example.com/?a=1&b=\"2\")  \n\
     ![pic](JAVA\tSCRIPT:alert(4)) ![fine](https://example.com/a.png \"t\")  \n   \n\
     > 07:51:00  \"><img src=y onerror=alert(5)>  \n   \n@<i>x</i>? [强]  \n   \n"
        .to_string()
}

#[test]
fn hostile_text_is_escaped_and_script_urls_are_not_followed() {
    let (html, _) = convert_text(NAME, &hostile(), Format::Html, &Options::default());
    let lower = html.to_lowercase();
    // No element but the page's own: no script, no img but the safe one, no
    // bold; no script URL in an attribute.
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<b>") && !lower.contains("<i>"), "{html}");
    assert_eq!(lower.matches("<img").count(), 1, "{html}");
    assert!(
        html.contains("<img src=\"https://example.com/a.png\""),
        "{html}"
    );
    for attribute in ["href=\"javascript", "src=\"javascript", "src=\"java\t"] {
        assert!(!lower.contains(attribute), "{attribute}: {html}");
    }
    // The text is all there, as text.
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; and &lt;b&gt;bold&lt;/b&gt;",
        "<span class=\"unsafe-url\" title=\"link not followed: unsafe URL scheme\">[click](javascript:alert(3))</span>",
        "<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer nofollow\">ok</a>",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert!(
        html.contains("<title>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</title>"),
        "{html}"
    );
    assert!(
        html.contains("data-speaker=\"&quot;&gt;&lt;img src=y onerror=alert(5)&gt;\""),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"emoji\" title=\"[强]\">强</span>"),
        "{html}"
    );
    // No script may run on a transcript's page.
    assert!(html.contains("content=\"default-src 'none';"), "{html}");
}

#[test]
fn messages_anchors_and_header_follow_the_source() {
    let text = "---\ntitle: 周会\ndate: 2017-08-25 12:00:00\n---\n\
                > 07:50:02  甲  \n   \nhello  \n   \n## 2017-08-26   \n\
                > 07:50:02  乙  \n   \n```  \n<x>  \n```  \nafter  \n   \n\
                > 07:50:02  甲  \n   \n[微笑]  \n   \n";
    let (html, _) = convert_text(NAME, text, Format::Html, &Options::default());
    assert!(
        html.contains("<header class=\"transcript\" data-messages=\"3\">"),
        "{html}"
    );
    assert!(html.contains("<h1>周会</h1>"), "{html}");
    assert!(html.contains("<time>2017-08-25</time>"), "{html}");
    assert!(html.contains("3 messages, 2 participants"), "{html}");
    for anchor in [
        "id=\"m-0\"",
        "id=\"m-1\"",
        "id=\"m-2\"",
        "id=\"t-075002\"",
        "id=\"t-075002-2\"",
        "id=\"t-075002-3\"",
    ] {
        assert!(html.contains(anchor), "{anchor}: {html}");
    }
    assert!(
        html.contains("<h2 class=\"day\" id=\"d-2017-08-26\">2017-08-26</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<pre>```  \n&lt;x&gt;  \n```  </pre>after"),
        "{html}"
    );
    // One speaker, one colour, on every page.
    let class = |name: &str| chatlint::convert::html::speaker_class(name);
    assert!(html.contains(&format!(
        "<span class=\"speaker s{}\">甲</span>",
        class("甲")
    )));
}

#[test]
fn with_diagnostics_marks_the_messages_with_findings() {
    let text = "> 07:50:02  甲  \n   \n##背景  \n   \n> 07:51:02  乙  \n   \nfine  \n   \n";
    let options = Options {
        diagnostics: Some(chatlint::Settings::default()),
        ..Options::default()
    };
    let (html, _) = convert_text(NAME, text, Format::Html, &options);
    assert_eq!(
        html.matches("class=\"message has-findings\"").count(),
        1,
        "{html}"
    );
    assert!(
        html.contains("<li data-rule=\"CL101\">CL101 heading-missing-space: "),
        "{html}"
    );
    let at = html.find("id=\"m-1\"").unwrap();
    assert!(!html[at..].contains("has-findings"), "{html}");
}

/// The corpus's Markdown transcripts (a walk leaves out the seed, a `.txt`).
fn corpus_transcripts() -> usize {
    transcripts(&resources::corpus_dir())
        .iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "md" || e == "markdown")
        })
        .count()
}

/// The pages written for the corpus, with the index files.
fn convert_corpus(out: &Path) {
    chatlint()
        .args(["convert", "--to", "html"])
        .arg(resources::corpus_dir())
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = files_under(dir);
    files.retain(|path| path.extension().is_some_and(|e| e == "html"));
    files
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn the_index_lists_every_transcript_and_the_search_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("html");
    convert_corpus(&out);
    let json = dir.path().join("json");
    chatlint()
        .args(["convert", "--to", "json"])
        .arg(resources::corpus_dir())
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let search: Value = serde_json::from_str(
        search
            .strip_prefix("window.chatlintSearchIndex = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap(),
    )
    .unwrap();
    let files = search["files"].as_array().unwrap();
    let messages = search["messages"].as_array().unwrap();
    assert_eq!(files.len(), corpus_transcripts());
    let mut total = 0;
    for (k, file) in files.iter().enumerate() {
        let page = file["page"].as_str().unwrap();
        // The page is there, linked from the index, and holds the messages
        // the JSON of the same transcript holds.
        assert!(index.contains(&format!("<a href=\"{page}\">")), "{page}");
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let document: Value = serde_json::from_str(
            &std::fs::read_to_string(json.join(page).with_extension("json")).unwrap(),
        )
        .unwrap();
        let expected = document["messages"].as_array().unwrap();
        assert!(
            html.contains(&format!("data-messages=\"{}\"", expected.len())),
            "{page}"
        );
        assert_eq!(
            html.matches("<article class=\"message").count(),
            expected.len(),
            "{page}"
        );
        let in_search: Vec<&Value> = messages.iter().filter(|m| m[0] == k).collect();
        assert_eq!(in_search.len(), expected.len(), "{page}");
        for (row, message) in in_search.iter().zip(expected) {
            assert_eq!(row[1], message["index"], "{page}");
            assert_eq!(row[3], message["speaker"], "{page}");
            assert_eq!(row[4], message["text"], "{page}");
        }
        total += expected.len();
    }
    assert_eq!(messages.len(), total);
    assert!(total > 50_000, "{total}");
    assert!(index.contains(&format!("data-messages=\"{total}\"")));
    assert!(out.join("search.js").is_file());
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
#[cfg_attr(
    not(run_html5lib_tests),
    ignore = "needs Python's html5lib (pip install html5lib; README: Tests)"
)]
fn every_page_of_the_corpus_parses_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("html");
    convert_corpus(&out);
    let pages = html_files(&out);
    assert_eq!(pages.len(), corpus_transcripts() + 1);
    // html5lib in strict mode raises at the first parse error.
    let script = "import sys, html5lib\n\
                  bad = 0\n\
                  for path in sys.argv[1:]:\n\
                  \x20   try:\n\
                  \x20       html5lib.HTMLParser(strict=True).parse(open(path, 'rb'))\n\
                  \x20   except Exception as error:\n\
                  \x20       bad += 1\n\
                  \x20       print(path, error)\n\
                  print('parsed', len(sys.argv) - 1, 'bad', bad)\n\
                  sys.exit(1 if bad else 0)\n";
    let output = Process::new("python3")
        .arg("-c")
        .arg(script)
        .args(&pages)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("parsed {} bad 0", pages.len())),
        "{stdout}"
    );
}

/// A broken page makes html5lib fail: the check above can fail.
#[test]
#[cfg_attr(
    not(run_html5lib_tests),
    ignore = "needs Python's html5lib (pip install html5lib; README: Tests)"
)]
fn html5lib_finds_an_error_in_a_broken_page() {
    let output = Process::new("python3")
        .args([
            "-c",
            "import html5lib\nhtml5lib.HTMLParser(strict=True).parse('<!DOCTYPE html><p>a</b>')",
        ])
        .output()
        .expect("python3 runs");
    assert!(!output.status.success());
}

#[test]
fn a_transcript_named_index_keeps_its_page_and_outputs_are_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = "> 07:50:02  甲  \n   \nhello  \n   \n";
    std::fs::write(input.join("index.md"), text).unwrap();
    std::fs::write(input.join("other.md"), text).unwrap();
    let out = dir.path().join("out");
    let convert = |force: bool| {
        let mut command = chatlint();
        command
            .args(["convert", "--to", "html"])
            .arg(&input)
            .arg("-o")
            .arg(&out);
        if force {
            command.arg("--force");
        }
        command.assert()
    };
    convert(false).success();
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        page.contains("<article class=\"message\" id=\"m-0\""),
        "{page}"
    );
    let index = std::fs::read_to_string(out.join("chatlint-index.html")).unwrap();
    assert!(index.contains("<a href=\"other.html\">"), "{index}");
    assert!(index.contains("<a href=\"index.html\">"), "{index}");
    // Again: every output exists, and none is replaced without --force
    // (skipped, as the pages are).
    std::fs::write(out.join("search.js"), "kept").unwrap();
    let again = convert(false).success();
    let said = String::from_utf8_lossy(&again.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&again.get_output().stdout);
    assert!(
        said.contains("search.js exists (--force overwrites it)"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("search.js")).unwrap(),
        "kept"
    );
    convert(true).success();
    assert_ne!(
        std::fs::read_to_string(out.join("search.js")).unwrap(),
        "kept"
    );
}

/// `chatlint convert --to html EXTRA… INPUTS… -o OUT`.
fn html_archive(extra: &[&str], inputs: &[&Path], out: &Path) -> assert_cmd::assert::Assert {
    chatlint()
        .args(["convert", "--to", "html"])
        .args(extra)
        .args(inputs)
        .arg("-o")
        .arg(out)
        .assert()
}

/// `index.md` and `chatlint-index.md` in one folder: the archive's index
/// takes the next free name, and `--force` replaces no page with it.
#[test]
fn the_index_never_takes_a_page_s_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for (name, word) in [("index.md", "first"), ("chatlint-index.md", "second")] {
        let text = format!("> 07:50:02  甲  \n   \n{word}  \n   \n");
        std::fs::write(input.join(name), text).unwrap();
    }
    let out = dir.path().join("out");
    for extra in [&[][..], &["--force"]] {
        let force = !extra.is_empty();
        html_archive(extra, &[&input], &out).success();
        let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            page("index.html").contains(">first</div>"),
            "force: {force}"
        );
        assert!(
            page("chatlint-index.html").contains(">second</div>"),
            "force: {force}"
        );
        let index = page("chatlint-index-2.html");
        assert!(
            index.contains("<a href=\"chatlint-index.html\">"),
            "{index}"
        );
        assert!(index.contains("<a href=\"index.html\">"), "{index}");
        assert!(index.contains("2 transcripts, 2 messages"), "{index}");
        assert!(index.contains(">1 message</span>"), "{index}");
    }
    // Again with --force and only a new input: index.html is still the
    // page of index.md from the first run, and the index goes elsewhere.
    std::fs::write(input.join("b.md"), "> 07:50:02  乙  \n   \nthird  \n   \n").unwrap();
    let (b, index) = (input.join("b.md"), input.join("index.md"));
    html_archive(&["--force"], &[&b, &index], &out).success();
    let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert!(page("index.html").contains(">first</div>"));
    assert!(page("chatlint-index.html").contains(">second</div>"));
    assert!(page("chatlint-index-2.html").contains("<a href=\"b.html\">"));
}

/// A FIFO where the index would go is not read (it would block) and not
/// written: the index takes the next name.
#[test]
fn a_fifo_named_index_html_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.md"), "> 07:50:02  甲  \n   \nhi  \n   \n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let fifo = Process::new("mkfifo")
        .arg(out.join("index.html"))
        .status()
        .unwrap();
    assert!(fifo.success());
    chatlint()
        .args(["convert", "--to", "html", "--force"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let index = std::fs::read_to_string(out.join("chatlint-index.html")).unwrap();
    assert!(index.contains("<a href=\"a.html\">"), "{index}");
    assert!(std::fs::symlink_metadata(out.join("index.html"))
        .unwrap()
        .file_type()
        .is_fifo());
}

/// A front matter's `date:` is the writer's: it reaches the index only as
/// text, and only digits make its month's id and heading.
#[test]
fn a_date_that_is_not_a_date_is_only_text_in_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text =
        "---\ntitle: t\ndate: '20\"><b>x</b>17-08-25'\n---\n> 07:50:02  甲  \n   \nhi  \n   \n";
    std::fs::write(input.join("a.md"), text).unwrap();
    let out = dir.path().join("out");
    html_archive(&[], &[&input], &out).success();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("<b>"), "{index}");
    assert!(index.contains("id=\"undated\""), "{index}");
    assert!(index.contains("&lt;b&gt;"), "{index}");
}

/// A filtered archive shares only what it keeps: the index and the search
/// index hold the messages of the pages, not the whole files.
#[test]
fn a_filter_applies_to_the_index_and_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text =
        "> 07:50:02  甲  \n   \nkept words  \n   \n> 07:51:02  乙  \n   \nsecret words  \n   \n";
    std::fs::write(input.join("a.md"), text).unwrap();
    std::fs::write(input.join("b.md"), text.replace("kept", "other")).unwrap();
    let out = dir.path().join("out");
    html_archive(&["--speaker", "甲"], &[&input], &out).success();
    let everything: String = ["index.html", "search-index.js", "a.html", "b.html"]
        .iter()
        .map(|name| std::fs::read_to_string(out.join(name)).unwrap())
        .collect();
    assert!(!everything.contains("secret"), "{everything}");
    assert!(!everything.contains("乙"), "{everything}");
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(
        search.contains("kept words") && search.contains("other words"),
        "{search}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("2 transcripts, 2 messages"), "{index}");
    // Again without --force, the index files removed: the pages are
    // skipped and listed from their inputs, filtered the same way.
    for name in ["index.html", "search-index.js"] {
        std::fs::remove_file(out.join(name)).unwrap();
    }
    html_archive(&["--speaker", "甲"], &[&input], &out).success();
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(
        search.contains("kept words") && !search.contains("secret"),
        "{search}"
    );
    // With --force and no filter, everything is listed.
    html_archive(&["--force"], &[&input], &out).success();
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(search.contains("secret words"), "{search}");
}

/// Characters HTML does not allow (control characters, noncharacters) are
/// shown as `\u{…}`: the page still parses without an error.
#[test]
#[cfg_attr(
    not(run_html5lib_tests),
    ignore = "needs Python's html5lib (pip install html5lib; README: Tests)"
)]
fn characters_html_does_not_allow_are_shown_and_the_page_parses() {
    let text = "---\ntitle: \"a\\u0001b\"\n---\n> 07:50:02  \u{1}甲\u{7f}  \n   \n\
                x\u{1b}y \u{FFFE} [e\u{1}](https://a.cn/\u{1}) \u{85}  \n   \n";
    let (html, _) = convert_text(NAME, text, Format::Html, &Options::default());
    assert!(html.contains("x\\u{1b}y \\u{fffe}"), "{html}");
    assert!(html.contains("\\u{1}甲\\u{7f}"), "{html}");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, &html).unwrap();
    let output = Process::new("python3")
        .args([
            "-c",
            "import sys, html5lib\n\
             p = html5lib.HTMLParser(strict=False)\n\
             p.parse(open(sys.argv[1], 'rb'))\n\
             print(p.errors)\n\
             sys.exit(1 if p.errors else 0)",
        ])
        .arg(&page)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
