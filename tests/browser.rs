//! `chatlint convert --to html` in a real browser: headless Chromium (Debian's
//! `chromium`) opens the pages from `file://`, and the tests read the DOM it
//! built (`--dump-dom`, after the page's scripts ran) and the pixels of its
//! screenshots. What they check is the contract of issue 14: one
//! `<article class="message" id="m-INDEX">` per header line, the images the
//! JSON conversion lists, the archive's search answering `index.html#q=…`
//! with a link to the message, and hostile text shown as text, never run.
//!
//! The first tests check the helpers themselves on pages written here, so
//! that a check that cannot fail is seen to fail on a page built to fail it.
//!
//! Without Chromium these tests are listed as ignored, with the reason;
//! `CHATLINT_REQUIRE_BROWSER=1` (set by `.ci/run`) runs them anyway, so that
//! they fail (see `tests/browser_support/mod.rs`). Those that read the real
//! archive need `../shared/corpus` too.

mod browser_support;
mod convert_support;
mod resources;

use std::path::{Path, PathBuf};

use browser_support::*;
use convert_support::{chatlint, transcripts};
use serde_json::Value;

/// The seed transcript of the archive (not a `.md`: converted by name).
const SEED: &str = "seed/000_f4a706d2fca8dbb9.txt";
/// The corpus file with the most images.
const CORPUS_FILE: &str = "prodarch/_posts/2018-02-03-chat.markdown";

// ---------------------------------------------------------------------------
// The helpers, on pages written here.

/// A page whose script runs late, reads the fragment and loads a second
/// script by inserting a `<script>` element, under the Content-Security-Policy
/// of the contract: what the archive's search does from `file://`.
#[test]
#[cfg_attr(
    not(run_browser_tests),
    ignore = "needs chromium (apt-get install chromium; README: Tests)"
)]
fn dump_dom_runs_the_scripts_and_reads_the_fragment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        r#"<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src * data:; style-src 'unsafe-inline'; script-src 'self'">
<title>search</title><script src="main.js" defer></script></head>
<body><ol id="results"></ol></body></html>"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.js"),
        r#"setTimeout(function () {
  var data = document.createElement("script");
  data.src = "data.js";
  data.onload = function () {
    var results = document.getElementById("results");
    results.setAttribute("data-query", decodeURIComponent(location.hash.slice(3)));
    results.setAttribute("data-loaded", String(window.loadedData));
    results.setAttribute("data-state", "done");
  };
  document.head.appendChild(data);
}, 1500);"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("data.js"), "window.loadedData = 42;").unwrap();
    let url = format!(
        "{}#q=%E5%BC%82%E5%9C%B0%E5%A4%9A%E6%B4%BB",
        file_url(&dir.path().join("index.html"), None)
    );
    let dom = parse_dom(&dump_dom(&url));
    let results = dom.by_id("results").expect("the list");
    assert_eq!(results.attribute("data-state"), Some("done"), "{results:?}");
    assert_eq!(results.attribute("data-query"), Some("异地多活"));
    assert_eq!(results.attribute("data-loaded"), Some("42"));
    assert_eq!(dom.title, "search");
}

#[test]
fn parse_dom_reads_elements_attributes_and_text() {
    let dom = parse_dom(
        "<!DOCTYPE html>\n<html><head><title>&lt;b&gt; t</title><style>p>b{color:red}</style></head>\
         <body class=\"x y\"><!-- <p id=\"no\"> --><p title=\"&quot;&gt;&lt;img a='1'&gt;&amp;\" hidden>\
         x &lt; y &amp; \"q\"</p><img src=\"a.png\"></body></html>",
    );
    let names: Vec<&str> = dom.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["html", "head", "title", "style", "body", "p", "img"]
    );
    assert_eq!(dom.title, "<b> t");
    assert!(dom.all("body").next().unwrap().has_class("y"));
    let p = dom.all("p").next().unwrap();
    assert_eq!(p.attribute("title"), Some("\"><img a='1'>&"));
    assert_eq!(p.attribute("hidden"), Some(""));
    assert!(dom.text.contains("x < y & \"q\""), "{}", dom.text);
    assert!(!dom.text.contains("color:red"));
    assert!(dom.by_id("no").is_none());
}

/// The escaping checks find an injection that ran, and one that was
/// written into the page but could not run.
#[test]
#[cfg_attr(
    not(run_browser_tests),
    ignore = "needs chromium (apt-get install chromium; README: Tests)"
)]
fn injection_checks_find_a_page_that_runs_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>\
             <span data-speaker=\"\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">\">x</span>\
             {SCRIPT_PAYLOAD}<a href=\"javascript:document.body.setAttribute('data-pwned','2')\">a</a></body></html>"
        ),
    )
    .unwrap();
    let dom = parse_dom(&dump_dom(&file_url(&page, None)));
    assert_eq!(dom.title, "PWNED", "the script ran");
    let found = injections(&dom);
    for what in ["data-pwned", "onerror", "<script>", "javascript:", "title"] {
        assert!(
            found.iter().any(|f| f.contains(what)),
            "{what} not found in {found:?}"
        );
    }
}

/// A page of four known colours on white, and a blank one.
#[test]
#[cfg_attr(
    not(run_browser_tests),
    ignore = "needs chromium (apt-get install chromium; README: Tests)"
)]
fn screenshots_show_the_colours_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("colours.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>\
         body{margin:0;background:#ffffff;color:#222}\
         div{width:120px;height:40px;margin:10px}</style></head><body>\
         <div style=\"background:#d03030\"></div><div style=\"background:#2a9d2a\"></div>\
         <div style=\"background:#3050e0\"></div><p>text 文字</p></body></html>",
    )
    .unwrap();
    let png = dir.path().join("colours.png");
    screenshot(&file_url(&page, None), &png, 400, 300);
    let pixels = read_png(&png);
    assert_eq!((pixels.width, pixels.height), (400, 300));
    assert_eq!(pixels.dominant_colour(), hex_colour("#fff"));
    for colour in ["#d03030", "#2a9d2a", "#3050e0"] {
        assert!(
            pixels.count_near(hex_colour(colour), 2) >= 120 * 40 - 10,
            "{colour}"
        );
    }
    // Red, green, blue: three hue sectors; the grey text none.
    assert_eq!(pixels.saturated_hues(100), [0, 4, 7]);
    assert!(
        pixels.distinct_colours() > 5,
        "{}",
        pixels.distinct_colours()
    );

    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    screenshot(&file_url(&blank, None), &png, 200, 100);
    let pixels = read_png(&png);
    assert_eq!(pixels.distinct_colours(), 1);
    assert!(pixels.saturated_hues(1).is_empty());
}

// ---------------------------------------------------------------------------
// The HTML writer (issue 14), checked in the browser.

/// `chatlint convert --to html INPUT -o OUT`; a clear failure when the
/// command fails (as it does before the HTML writer exists).
fn convert_html(input: &Path, out: &Path) {
    let output = chatlint()
        .args(["convert", "--to", "html"])
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chatlint convert --to html {} -o {} failed ({}); is the HTML writer of issue 14 there?\n{}",
        input.display(),
        out.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The JSON conversion of one file: what the HTML must show.
fn json_of(input: &Path) -> Value {
    let output = chatlint()
        .args(["convert", "--to", "json"])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Header lines, counted without chatlint's parser: `> HH:MM:SS` then the
/// end of the line or a space.
fn header_lines(text: &str) -> usize {
    let header = regex::Regex::new(r"^> [0-9]{2}:[0-9]{2}:[0-9]{2}(?:[ \t]|$)").unwrap();
    text.split('\n')
        .filter(|line| header.is_match(line.strip_suffix('\r').unwrap_or(line)))
        .count()
}

/// Whether the contract keeps a URL (http, https, mailto or relative).
fn kept_url(url: &str) -> bool {
    let url = url.trim();
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(end) if url[end..].starts_with(':') => {
            matches!(
                url[..end].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

/// The images of a JSON document that the page shows as `<img>`.
fn shown_images(json: &Value) -> usize {
    json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["images"].as_array().unwrap())
        .filter(|image| kept_url(image["url"].as_str().unwrap()))
        .count()
}

/// Where the screenshots are kept for a person to look at.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}.png"))
}

/// Converts one transcript, opens it in the browser and checks the page
/// against its source and its JSON conversion.
fn check_transcript_page(input: &Path, name: &str) {
    let text = std::fs::read_to_string(input).unwrap();
    let headers = header_lines(&text);
    assert!(headers > 10, "{}: {headers} headers", input.display());
    let json = json_of(input);
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), headers, "{}", input.display());

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join(format!("{name}.html"));
    convert_html(input, &page);
    assert!(shown_images(&json) > 0, "{name} has images");
    check_page(&page, &json, name);
}

/// The checks of a transcript's page against its JSON conversion: one
/// article per message, in order, with its anchors, the images, no script,
/// a CSP; and a screenshot with a light background, text and at least
/// three saturated hues (the speakers' colours).
fn check_page(page: &Path, json: &Value, name: &str) {
    let messages = json["messages"].as_array().unwrap();
    let headers = messages.len();
    let serialised = dump_dom(&file_url(page, None));
    let dom = parse_dom(&serialised);

    let articles: Vec<&Element> = dom
        .all("article")
        .filter(|a| a.has_class("message"))
        .collect();
    assert_eq!(articles.len(), headers, "{name}: messages on the page");
    let header = dom
        .all("header")
        .find(|h| h.has_class("transcript"))
        .expect("<header class=\"transcript\">");
    assert_eq!(
        header.attribute("data-messages"),
        Some(headers.to_string().as_str())
    );
    for (index, (article, message)) in articles.iter().zip(messages).enumerate() {
        let id = format!("m-{index}");
        assert_eq!(article.attribute("id"), Some(id.as_str()), "{name}");
        assert!(dom.by_id(&id).is_some(), "{name}: no #{id}");
        assert_eq!(
            article.attribute("data-index"),
            Some(index.to_string().as_str())
        );
        assert_eq!(
            article.attribute("data-speaker"),
            message["speaker"].as_str(),
            "{name} #{id}"
        );
        if let Some(time) = message["time"].as_str() {
            assert_eq!(article.attribute("data-time"), Some(time), "{name} #{id}");
        }
    }
    // The time anchors: one per message, each linking to its message.
    let time_links: Vec<&Element> = dom.all("a").filter(|a| a.has_class("time")).collect();
    assert_eq!(time_links.len(), headers, "{name}: time anchors");
    for (index, link) in time_links.iter().enumerate() {
        assert_eq!(link.attribute("href"), Some(format!("#m-{index}").as_str()));
        assert!(link.attribute("id").is_some_and(|id| id.starts_with("t-")));
    }
    let images = dom.all("img").count();
    assert_eq!(images, shown_images(json), "{name}: <img> elements");
    assert_eq!(
        dom.all("script").count(),
        0,
        "{name}: a transcript page has no script"
    );
    assert!(
        dom.all("meta")
            .any(|m| m.attribute("http-equiv") == Some("Content-Security-Policy")),
        "{name}: no Content-Security-Policy"
    );

    // The screenshot: a white-ish page with text and the speakers' colours.
    let png = screenshot_path(name);
    screenshot(&file_url(page, None), &png, 1280, 1600);
    let pixels = read_png(&png);
    let background = pixels.dominant_colour();
    assert!(
        background.iter().all(|&c| c >= 224),
        "{name}: the light scheme's background is {background:?} ({})",
        png.display()
    );
    assert!(
        pixels.count_near(background, 0) > pixels.rgb.len() / 4,
        "{name}: the background is not most of the page ({})",
        png.display()
    );
    assert!(
        pixels.distinct_colours() > 100,
        "{name}: {} colours ({})",
        pixels.distinct_colours(),
        png.display()
    );
    let hues = pixels.saturated_hues(30);
    assert!(
        hues.len() >= 3,
        "{name}: saturated hue sectors {hues:?}; the speakers' colours do not show ({})",
        png.display()
    );
}

/// A small transcript, and a page for it written here as the contract of
/// issue 14 describes it: `check_page` must accept it, and reject the same
/// page with one message missing or an image too many.
const SMALL: &str = "---\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n\
> 07:50:02  alice  \n\nGood morning, everyone: the release is out  \n\n\
> 07:54:35  bob  \n\n@alice thanks [强] ![2017-08-25 07:54:35](http://example.com/a.png)  \n\n\
> 07:54:35  carol  \n\nSee http://example.com/notes for the notes  \nand the second line  \n";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page the contract describes for `json`, with `drop` messages left
/// out at the end and `extra_images` more images.
fn hand_written_page(json: &Value, drop: usize, extra_images: usize) -> String {
    let messages = json["messages"].as_array().unwrap();
    let colours = ["#c0392b", "#27ae60", "#2980b9"];
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src * data:; style-src 'unsafe-inline'; script-src 'self'\">\
         <title>t</title><style>body{{background:#fff;color:#222;font:18px sans-serif}}\
         .speaker{{font-weight:bold;font-size:28px}}.s0{{color:{}}}.s1{{color:{}}}.s2{{color:{}}}</style></head>\
         <body><header class=\"transcript\" data-messages=\"{}\"><h1>t</h1></header><h2 class=\"day\" id=\"d-2017-08-25\">2017-08-25</h2>",
        colours[0],
        colours[1],
        colours[2],
        messages.len()
    );
    let mut seen_times = std::collections::HashMap::new();
    for (index, message) in messages.iter().enumerate().take(messages.len() - drop) {
        let time = message["time"].as_str().unwrap();
        let speaker = escape(message["speaker"].as_str().unwrap());
        let count = seen_times.entry(time).or_insert(0);
        *count += 1;
        let anchor = match *count {
            1 => format!("t-{}", time.replace(':', "")),
            k => format!("t-{}-{k}", time.replace(':', "")),
        };
        html += &format!(
            "<article class=\"message\" id=\"m-{index}\" data-index=\"{index}\" data-time=\"{time}\" data-speaker=\"{speaker}\">\
             <a class=\"time\" id=\"{anchor}\" href=\"#m-{index}\">{time}</a> <span class=\"speaker s{}\">{speaker}</span>\
             <div class=\"text\">{}</div>",
            index % 3,
            escape(message["text"].as_str().unwrap()).replace('\n', "<br>")
        );
        for image in message["images"].as_array().unwrap() {
            html += &format!(
                "<figure class=\"image\"><img src=\"{}\" alt=\"\" loading=\"lazy\"></figure>",
                escape(image["url"].as_str().unwrap())
            );
        }
        html += "</article>";
    }
    html += &"<img src=\"http://example.com/b.png\" alt=\"\">".repeat(extra_images);
    html + "</body></html>"
}

#[test]
#[cfg_attr(
    not(run_browser_tests),
    ignore = "needs chromium (apt-get install chromium; README: Tests)"
)]
fn page_checks_accept_the_contract_and_reject_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("2017-08-25-small.md");
    std::fs::write(&source, SMALL).unwrap();
    let json = json_of(&source);
    assert_eq!(
        json["messages"].as_array().unwrap().len(),
        header_lines(SMALL)
    );
    assert_eq!(shown_images(&json), 1);
    let page = dir.path().join("small.html");
    std::fs::write(&page, hand_written_page(&json, 0, 0)).unwrap();
    check_page(&page, &json, "hand-written");
    for (drop, extra_images) in [(1, 0), (0, 1)] {
        std::fs::write(&page, hand_written_page(&json, drop, extra_images)).unwrap();
        let rejected = std::panic::catch_unwind(|| check_page(&page, &json, "broken"));
        assert!(
            rejected.is_err(),
            "a page missing {drop} messages, with {extra_images} images too many, passed"
        );
    }
}

#[test]
#[cfg_attr(
    not(all(run_browser_tests, run_corpus_tests)),
    ignore = "needs chromium (apt-get install chromium) and ../shared/corpus (README: Tests)"
)]
fn the_seed_transcript_in_the_browser() {
    check_transcript_page(&resources::corpus_dir().join(SEED), "seed");
}

#[test]
#[cfg_attr(
    not(all(run_browser_tests, run_corpus_tests)),
    ignore = "needs chromium (apt-get install chromium) and ../shared/corpus (README: Tests)"
)]
fn a_corpus_file_in_the_browser() {
    check_transcript_page(&resources::corpus_dir().join(CORPUS_FILE), "corpus");
}

/// A phrase of one message of `file` that occurs once in the whole archive:
/// the message's index and the phrase.
fn unique_phrase(json: &Value, archive: &[String]) -> (usize, String) {
    for message in json["messages"].as_array().unwrap().iter().skip(5) {
        let text = message["text"].as_str().unwrap();
        for line in text.lines() {
            let letters: Vec<char> = line.trim().chars().collect();
            if letters.len() < 8 || !letters[..8].iter().all(|c| c.is_alphanumeric()) {
                continue;
            }
            let phrase: String = letters[..8].iter().collect();
            let occurrences: usize = archive.iter().map(|t| t.matches(&phrase).count()).sum();
            if occurrences == 1 {
                return (message["index"].as_u64().unwrap() as usize, phrase);
            }
        }
    }
    panic!("no phrase found only once in the archive");
}

/// Percent-encodes everything but ASCII letters and digits.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The part of a serialised DOM inside the element with `id` (up to its
/// closing tag; the element must not nest its own kind).
fn inside(serialised: &str, tag: &str, id: &str) -> String {
    let open = regex::Regex::new(&format!(r#"<{tag}\b[^>]*\sid="{id}"[^>]*>"#)).unwrap();
    let start = open
        .find(serialised)
        .unwrap_or_else(|| panic!("no <{tag} id=\"{id}\">"));
    let rest = &serialised[start.end()..];
    let end = rest
        .find(&format!("</{tag}>"))
        .unwrap_or_else(|| panic!("<{tag} id=\"{id}\"> does not end"));
    rest[..end].to_string()
}

#[test]
#[cfg_attr(
    not(all(run_browser_tests, run_corpus_tests)),
    ignore = "needs chromium (apt-get install chromium) and ../shared/corpus (README: Tests)"
)]
fn search_finds_a_phrase_and_links_to_its_message() {
    let corpus = resources::corpus_dir();
    let files = transcripts(&corpus);
    let archive: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let file = corpus.join(CORPUS_FILE);
    let (index, phrase) = unique_phrase(&json_of(&file), &archive);

    let out = tempfile::tempdir().unwrap();
    convert_html(&corpus, out.path());
    for name in ["index.html", "search.js", "search-index.js"] {
        assert!(out.path().join(name).is_file(), "no {name}");
    }
    let page_path = CORPUS_FILE.replace(".markdown", ".html");

    // The index lists every converted transcript (the `.md` and
    // `.markdown` files; the seed is a `.txt`) by month.
    let index_dom = parse_dom(&dump_dom(&file_url(&out.path().join("index.html"), None)));
    assert!(index_dom.all("section").any(|s| s.has_class("month")));
    let listed: std::collections::BTreeSet<&str> = index_dom
        .all("a")
        .filter_map(|a| a.attribute("href"))
        .map(|href| href.trim_start_matches("./"))
        .collect();
    for source in &files {
        let relative = source.strip_prefix(&corpus).unwrap().to_string_lossy();
        let Some(stem) = relative
            .strip_suffix(".md")
            .or_else(|| relative.strip_suffix(".markdown"))
        else {
            continue;
        };
        let page = format!("{stem}.html");
        assert!(
            listed.contains(page.as_str()),
            "index.html does not list {page}"
        );
    }

    let query = format!(
        "{}#q={}",
        file_url(&out.path().join("index.html"), None),
        percent_encode(&phrase)
    );
    let serialised = dump_dom(&query);
    let dom = parse_dom(&serialised);
    let results = dom.by_id("results").expect("<ol id=\"results\">");
    assert_eq!(
        results.attribute("data-state"),
        Some("done"),
        "the search for {phrase} did not finish: {results:?}"
    );
    let listed_results = parse_dom(&inside(&serialised, "ol", "results"));
    let links: Vec<String> = listed_results
        .all("a")
        .filter_map(|a| a.attribute("href").map(str::to_string))
        .collect();
    assert_eq!(
        results.attribute("data-count"),
        Some(listed_results.all("li").count().to_string().as_str()),
        "{links:?}"
    );
    let expected = format!("{page_path}#m-{index}");
    assert!(
        links.iter().any(|l| l.trim_start_matches("./") == expected),
        "the search for {phrase} gave {links:?}, not {expected}"
    );

    // The link leads to the message.
    let target = file_url(&out.path().join(&page_path), Some(&format!("m-{index}")));
    let page = parse_dom(&dump_dom(&target));
    let article = page.by_id(&format!("m-{index}")).expect("the message");
    assert_eq!(article.name, "article");
    assert!(page.text.contains(&phrase));
}

const SCRIPT_PAYLOAD: &str = "<script>document.title='PWNED'</script>";
const ATTRIBUTE_PAYLOAD: &str =
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";
const URL_PAYLOAD: &str = "javascript:document.body.setAttribute('data-pwned','2')";

/// What an injection would have left in the page: attributes it set or
/// added, script elements, `javascript:` URLs, the title it changed.
fn injections(dom: &Dom) -> Vec<String> {
    let mut found = Vec::new();
    if dom.title.trim() == "PWNED" {
        found.push("the title is PWNED".to_string());
    }
    for element in &dom.elements {
        if element.name == "script" {
            found.push(format!("a <script> element: {element:?}"));
        }
        for (key, value) in &element.attributes {
            if key == "data-pwned" || key.starts_with("on") {
                found.push(format!("{key} on {element:?}"));
            }
            let value = value.trim().to_ascii_lowercase();
            if matches!(key.as_str(), "href" | "src" | "action" | "formaction")
                && (value.starts_with("javascript:") || value.starts_with("vbscript:"))
            {
                found.push(format!("a javascript: URL on {element:?}"));
            }
        }
    }
    found
}

#[test]
#[cfg_attr(
    not(run_browser_tests),
    ignore = "needs chromium (apt-get install chromium; README: Tests)"
)]
fn hostile_text_is_shown_and_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("2017-08-25-hostile.md");
    let hostile = format!(
        "---\ntitle: \"{title}\"\ndate: 2017-08-25 12:00:00\n---\n\
         > 07:50:02  {SCRIPT_PAYLOAD}  \n\n{SCRIPT_PAYLOAD}  \n\n\
         > 07:51:00  {ATTRIBUTE_PAYLOAD}  \n\n{ATTRIBUTE_PAYLOAD}  \n\n\
         > 07:52:00  mallory  \n\n[点我]({URL_PAYLOAD})  \n\n\
         > 07:53:00  mallory  \n\n![图]({URL_PAYLOAD})  \n\n\
         > 07:54:00  mallory  \n\n![截图](http://example.com/a.png?\"onerror=\"document.body.setAttribute('data-pwned','3'))  \n",
        title = SCRIPT_PAYLOAD
    );
    std::fs::write(&source, hostile).unwrap();
    let json = json_of(&source);
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5);
    for (index, payload) in [SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD].into_iter().enumerate() {
        assert_eq!(messages[index]["speaker"], payload);
        assert_eq!(messages[index]["text"], payload);
    }
    // chatlint reads the URLs as a link and images: the page must
    // neutralise them, not merely never have seen them.
    assert_eq!(messages[2]["links"][0]["url"], URL_PAYLOAD);
    assert_eq!(messages[3]["images"][0]["url"], URL_PAYLOAD);

    let page = dir.path().join("hostile.html");
    convert_html(&source, &page);
    let dom = parse_dom(&dump_dom(&file_url(&page, None)));
    let found = injections(&dom);
    assert!(found.is_empty(), "{found:#?}");
    // The one image with an http URL is there; the injected one is not.
    let sources: Vec<&str> = dom.all("img").filter_map(|i| i.attribute("src")).collect();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert!(sources[0].starts_with("http://example.com/a.png?"));
    // Each payload is on the page as text, and the speakers as written.
    for payload in [SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD] {
        assert!(dom.text.contains(payload), "{payload} is not shown as text");
    }
    // The javascript: link is text in a span.unsafe-url (the contract does
    // not say whether the URL itself is shown); the image is its alt text.
    assert!(
        dom.all("span").any(|s| s.has_class("unsafe-url")),
        "no <span class=\"unsafe-url\">"
    );
    assert!(dom.text.contains("点我"), "the neutralised link's text");
    assert!(dom.text.contains('图'), "the neutralised image's alt text");
    let speakers: Vec<&str> = dom
        .all("article")
        .filter_map(|a| a.attribute("data-speaker"))
        .collect();
    assert_eq!(speakers[..2], [SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD]);
}

#[test]
fn inside_finds_the_element_by_its_id_only() {
    let dom = "<ol data-id=\"results\"><li>no</li></ol>\
               <ol id=\"results\" data-state=\"done\"><li><a href=\"a.html#m-1\">x</a></li></ol>";
    assert_eq!(
        inside(dom, "ol", "results"),
        "<li><a href=\"a.html#m-1\">x</a></li>"
    );
    let dom = "<ol class=\"r\" id=\"results\"></ol>";
    assert_eq!(inside(dom, "ol", "results"), "");
}

#[test]
fn urls_kept_and_neutralised_as_the_contract_says() {
    for kept in [
        "http://a/b.png",
        "HTTPS://a",
        "mailto:x@y",
        "img/a.png",
        "a/b:c",
        "?q=1:2",
        "",
    ] {
        assert!(kept_url(kept), "{kept}");
    }
    for neutralised in [
        URL_PAYLOAD,
        " JavaScript:x",
        "data:image/png;base64,AA",
        "vbscript:x",
    ] {
        assert!(!kept_url(neutralised), "{neutralised}");
    }
}
