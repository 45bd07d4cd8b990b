//! `chatlint check --online` against HTTP servers the tests start on
//! 127.0.0.1: every kind of answer, the cache, the limits, and that nothing
//! is requested without `--online`.
//!
//! No test resolves a real name or reaches another address: the DNS case uses
//! a name under `.invalid`, which chatlint answers itself (RFC 6761) without
//! a query, and the proxy variables are cleared so that requests go straight
//! to 127.0.0.1.

#[path = "online/server.rs"]
mod server;
// Where the platform's verifier reads `SSL_CERT_FILE` (see the test).
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
#[path = "online/tls.rs"]
mod tls;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use server::{Reply, Server};

fn chatlint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    for proxy in ["http_proxy", "https_proxy", "all_proxy", "no_proxy"] {
        command
            .env_remove(proxy)
            .env_remove(proxy.to_ascii_uppercase());
    }
    command
}

/// A transcript with one message holding these images, one a line.
fn transcript(urls: &[String]) -> String {
    let mut text = String::from(
        "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n> 07:50:02  右军  \n   \n",
    );
    for url in urls {
        text.push_str(&format!("![图]({url}) \n"));
    }
    text.push_str("   \n");
    text
}

/// Per image URL: each finding's message, and its fix's new URL.
type Findings = BTreeMap<String, Vec<(String, Option<String>)>>;

/// Runs `check --output-format json` and returns the exit code and findings.
fn findings(command: &mut Command, text: &str) -> (i32, Findings) {
    let output = command.args(["--output-format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&output.stdout)));
    let mut found = BTreeMap::new();
    for finding in json.as_array().unwrap() {
        assert_eq!(finding["name"], "unreachable-image", "{finding}");
        let line = finding["line"].as_u64().unwrap() as usize;
        let (start, end) = (
            finding["column"].as_u64().unwrap() as usize,
            finding["end_column"].as_u64().unwrap() as usize,
        );
        let url: String = text
            .lines()
            .nth(line - 1)
            .unwrap()
            .chars()
            .skip(start - 1)
            .take(end - start)
            .collect();
        let fix = finding["fix"]["edits"][0]["content"]
            .as_str()
            .map(str::to_string);
        if fix.is_some() {
            assert_eq!(finding["fix"]["applicability"], "safe");
        }
        let message = finding["message"].as_str().unwrap().to_string();
        found
            .entry(url)
            .or_insert_with(Vec::new)
            .push((message, fix));
    }
    (output.status.code().unwrap(), found)
}

/// The answers of the archive's kinds of broken and moved images.
fn archive_server() -> Server {
    Server::start(Duration::ZERO, |request, hit| match request.path.as_str() {
        "/ok.png" => Reply::Status(200),
        "/missing.png" => Reply::Status(404),
        "/gone.png" => Reply::Status(410),
        "/flaky.png" if hit == 1 => Reply::Status(500),
        "/flaky.png" => Reply::Status(200),
        "/down.png" => Reply::Status(503),
        "/busy.png" if hit == 1 => Reply::With(429, vec![("Retry-After", "1".to_string())]),
        "/busy.png" => Reply::Status(200),
        // Permanent all the way: reported, fixed to the end of the chain.
        "/old/a.png" => Reply::redirect(301, "/mid/a.png"),
        "/mid/a.png" => Reply::redirect(308, "/new/a.png"),
        // A temporary redirect: not reported.
        "/tmp/b.png" => Reply::redirect(302, "/new/b.png"),
        // Permanent, then temporary: fixed to where the permanent one points.
        "/old/c.png" => Reply::redirect(301, "/cdn/c.png"),
        "/cdn/c.png" => Reply::redirect(307, "/edge/c.png"),
        "/new/a.png" | "/new/b.png" | "/edge/c.png" => Reply::Status(200),
        "/loop/a.png" => Reply::redirect(302, "/loop/b.png"),
        "/loop/b.png" => Reply::redirect(301, "/loop/a.png"),
        "/hang.png" => Reply::Hang,
        "/head-refused.png" if request.method == "HEAD" => Reply::Status(405),
        "/head-refused.png" => Reply::Status(206),
        path if path.starts_with("/far/") => {
            let n: u32 = path[5..].trim_end_matches(".png").parse().unwrap();
            Reply::redirect(301, &format!("/far/{}.png", n + 1))
        }
        _ => Reply::Status(404),
    })
}

#[test]
fn every_kind_of_answer_then_the_cache() {
    let server = archive_server();
    let dir = tempfile::tempdir().unwrap();
    let refused_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let paths = [
        "/ok.png",
        "/missing.png",
        "/gone.png",
        "/flaky.png",
        "/down.png",
        "/busy.png",
        "/old/a.png",
        "/tmp/b.png",
        "/old/c.png",
        "/loop/a.png",
        "/far/0.png",
        "/hang.png",
        "/head-refused.png",
    ];
    let mut urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let refused = format!("http://127.0.0.1:{refused_port}/x.png");
    let unresolvable = "http://static.cocolian.invalid/img/x.png".to_string();
    let tls = format!("https://127.0.0.1:{}/ok.png", server.port());
    urls.extend([
        refused.clone(),
        unresolvable.clone(),
        tls.clone(),
        "/img/here.png".to_string(),
        "img/lost.png".to_string(),
        // The same URL twice: requested once, reported twice.
        server.url("/missing.png"),
    ]);
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    fs::create_dir_all(dir.path().join("site/img")).unwrap();
    fs::write(dir.path().join("site/img/here.png"), "png").unwrap();
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "online:\n  timeout: 0.5\n  retries: 2\n  retry-backoff: 0.05\n  site-root: site\n  allow-private: true\n",
    )
    .unwrap();

    let started = std::time::Instant::now();
    let (code, found) = check_online(dir.path(), &text, &[]);
    let took = started.elapsed();
    assert_eq!(code, 1);
    let message = |url: &str| found.get(url).map(|f| f[0].0.as_str());
    let fix = |url: &str| found.get(url).and_then(|f| f[0].1.clone());
    let url = |path: &str| server.url(path);

    for fine in [
        "/ok.png",
        "/flaky.png",
        "/busy.png",
        "/tmp/b.png",
        "/head-refused.png",
    ] {
        assert_eq!(message(&url(fine)), None, "{fine}");
    }
    assert_eq!(message("/img/here.png"), None);
    let lost = dir.path().join("site/img/lost.png");
    let expected = [
        (url("/missing.png"), "answers 404 Not Found"),
        (url("/gone.png"), "answers 410 Gone"),
        (url("/down.png"), "answers 503 Service Unavailable"),
        (url("/old/a.png"), "has moved permanently"),
        (url("/old/c.png"), "has moved permanently"),
        (url("/loop/a.png"), "redirects in a loop"),
        (url("/far/0.png"), "redirects more than 10 times"),
        (url("/hang.png"), "does not answer in time"),
        (refused.clone(), "refuses the connection"),
        (
            unresolvable.clone(),
            "has a host name that does not resolve",
        ),
        (tls.clone(), "fails its TLS handshake"),
    ];
    for (image, words) in &expected {
        let found = message(image).unwrap_or_else(|| panic!("no finding for {image}"));
        assert!(
            found.starts_with(&format!("Image URL {words}")),
            "{image}: {found}"
        );
    }
    assert_eq!(
        message("img/lost.png"),
        Some(format!("Image names a missing file, {}", lost.display()).as_str())
    );
    assert_eq!(fix(&url("/old/a.png")), Some(url("/new/a.png")));
    assert_eq!(fix(&url("/old/c.png")), Some(url("/cdn/c.png")));
    assert_eq!(found.len(), 12, "{found:#?}");
    assert_eq!(
        found[&url("/missing.png")].len(),
        2,
        "each image is reported"
    );

    // What the server saw: each URL once, retries where they belong.
    let count = |path: &str| server.requests_for(path).len();
    assert_eq!(count("/ok.png"), 1);
    assert_eq!(count("/missing.png"), 1, "a repeated URL is requested once");
    assert_eq!(count("/flaky.png"), 2, "500, then 200 on the retry");
    assert_eq!(count("/down.png"), 3, "a try and two retries");
    assert_eq!(count("/hang.png"), 3, "a try and two retries");
    assert_eq!(
        count("/far/0.png")
            + (1..=10)
                .map(|n| count(&format!("/far/{n}.png")))
                .sum::<usize>(),
        11
    );
    assert_eq!(count("/far/11.png"), 0, "at most 10 redirects are followed");
    let busy = server.requests_for("/busy.png");
    assert_eq!(busy.len(), 2);
    assert!(
        busy[1].at - busy[0].at >= Duration::from_secs(1),
        "Retry-After: 1 is honoured"
    );
    let refused_head = server.requests_for("/head-refused.png");
    let methods: Vec<_> = refused_head.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    assert_eq!(refused_head[1].header("range"), Some("bytes=0-0"));
    assert!(server
        .requests()
        .iter()
        .all(|r| r.method == "HEAD" || r.path == "/head-refused.png"));
    assert!(took < Duration::from_secs(15), "{took:?}");

    // The second run: the same findings, and only transient failures
    // requested again (the refused port cannot be watched: it is not cached).
    let before: BTreeMap<String, usize> = paths.iter().map(|p| (p.to_string(), count(p))).collect();
    let (code_again, found_again) = check_online(dir.path(), &text, &[]);
    assert_eq!((code_again, &found_again), (code, &found));
    for path in paths {
        let again = count(path) - before[path];
        let expected = match path {
            "/down.png" | "/hang.png" => 3,
            _ => 0,
        };
        assert_eq!(again, expected, "{path} on the second run");
    }
    let cache = fs::read_to_string(dir.path().join(".chatlint-cache/online-v1.json")).unwrap();
    assert!(cache.contains(&url("/missing.png")) && cache.contains(&unresolvable));
    assert!(!cache.contains(&refused) && !cache.contains(&url("/down.png")));
    assert!(dir.path().join(".chatlint-cache/.gitignore").is_file());

    // --no-cache asks again.
    let ok_before = count("/ok.png");
    let (_, found_uncached) = check_online(dir.path(), &text, &["--no-cache"]);
    assert_eq!(found_uncached, found);
    assert_eq!(count("/ok.png"), ok_before + 1);
}

/// `check --online post.md` in `dir`, with more arguments.
fn check_online(dir: &Path, text: &str, extra: &[&str]) -> (i32, Findings) {
    findings(
        chatlint(dir)
            .args(["check", "--online", "post.md"])
            .args(extra),
        text,
    )
}

#[test]
fn without_online_nothing_is_requested() {
    let server = Server::start(Duration::ZERO, |_, _| Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let text = transcript(&[server.url("/a.png")]);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(
        dir.path().join("drafts/draft.md"),
        transcript(&[server.url("/draft.png")]),
    )
    .unwrap();

    chatlint(dir.path()).args(["check", "."]).assert().code(0);
    // The rule ignored, on the command line or for a file: no request for its images.
    chatlint(dir.path())
        .args(["check", "--online", "--ignore", "unreachable-image", "."])
        .assert()
        .code(0);
    assert_eq!(server.connections(), 0, "no connection without --online");

    fs::write(
        dir.path().join(".chatlint.yaml"),
        "per-file-ignores:\n  \"drafts/**\": [CL204]\n",
    )
    .unwrap();
    let (code, found) = findings(
        chatlint(dir.path()).args(["check", "--online", "--allow-private", "post.md", "drafts"]),
        &text,
    );
    assert_eq!(code, 1);
    assert_eq!(found.keys().collect::<Vec<_>>(), [&server.url("/a.png")]);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/a.png"]);
}

#[test]
fn fix_follows_a_permanent_redirect_and_suppressions_apply() {
    let server = archive_server();
    let dir = tempfile::tempdir().unwrap();
    let moved = server.url("/old/a.png");
    let text = transcript(&[moved.clone(), server.url("/tmp/b.png")]).replace(
        "   \n![图]",
        &format!(
            "   \n<!-- chatlint-disable-next-line unreachable-image -->\n![图]({}) \n![图]",
            server.url("/missing.png")
        ),
    );
    let post = dir.path().join("post.md");
    fs::write(&post, &text).unwrap();
    chatlint(dir.path())
        .args([
            "check",
            "--online",
            "--allow-private",
            "--no-cache",
            "--fix",
            "post.md",
        ])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("unreachable-image ×1"));
    let fixed = fs::read_to_string(&post).unwrap();
    assert_eq!(fixed, text.replace(&moved, &server.url("/new/a.png")));
    assert_eq!(
        server.requests_for("/missing.png").len(),
        0,
        "a suppressed image is not requested"
    );
}

#[test]
fn suppressed_images_are_not_requested() {
    let server = Server::start(Duration::ZERO, |_, _| Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| server.url(&format!("/{name}.png"));
    let image = |name: &str| format!("![图]({}) \n", url(name));
    let lines = [
        "<!-- chatlint-disable-next-line unreachable-image -->\n".to_string(),
        image("next-line"),
        format!(
            "![图]({}) <!-- chatlint-disable-line CL204 -->\n",
            url("same-line")
        ),
        "<!-- chatlint-disable-next-line -->\n".to_string(),
        image("every-rule"),
        "<!-- chatlint-disable-next-line duplicate-message -->\n".to_string(),
        image("other-rule"),
        "<!-- chatlint-disable unreachable-image -->\n".to_string(),
        image("block"),
        image("shared"),
        "<!-- chatlint-enable unreachable-image -->\n".to_string(),
        image("after-block"),
        // The same URL unsuppressed elsewhere: it is requested, and
        // reported there only.
        image("shared"),
    ];
    let text = transcript(&[]).replacen("   \n", &format!("   \n{}", lines.concat()), 1);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    fs::write(
        dir.path().join("whole.md"),
        transcript(&[url("whole-file")]).replacen(
            "   \n",
            "   \n<!-- chatlint-disable-file unreachable-image -->\n",
            1,
        ),
    )
    .unwrap();
    fs::create_dir(dir.path().join("off")).unwrap();
    fs::write(
        dir.path().join("off/.chatlint.yaml"),
        "rules:\n  unreachable-image: {severity: off}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("off/post.md"),
        transcript(&[url("rule-off")]),
    )
    .unwrap();

    // A comment naming another rule (one that is off here, so that it is
    // not an unused suppression) does not stop the request.
    let files = [
        "post.md",
        "whole.md",
        "off",
        "--ignore",
        "duplicate-message",
    ];
    // Every finding is `unreachable-image` (`findings` asserts it): the
    // comments that kept a URL from being requested are in use, not
    // reported by `unused-suppression`.
    let (code, found) = findings(
        chatlint(dir.path())
            .args(["check", "--online", "--allow-private", "--no-cache"])
            .args(files),
        &text,
    );
    assert_eq!(code, 1);
    let reported: Vec<&String> = found.keys().collect();
    assert_eq!(
        reported,
        [&url("after-block"), &url("other-rule"), &url("shared")]
    );
    assert_eq!(
        found[&url("shared")].len(),
        1,
        "reported where it is not covered"
    );
    let mut requested: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    requested.sort();
    assert_eq!(
        requested,
        ["/after-block.png", "/other-rule.png", "/shared.png"]
    );
}

#[test]
fn excluded_urls_are_neither_requested_nor_reported() {
    let server = Server::start(Duration::ZERO, |_, _| Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = [
        "/keep.png",
        "/skip/a.png",
        "/thumbs/b.png",
        "/thumbs/b.png.txt",
    ]
    .iter()
    .map(|path| server.url(path))
    .collect();
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "online:\n  allow-private: true\n  exclude:\n    - /skip/\n    - 'thumbs/.*\\.png$'\n",
    )
    .unwrap();
    let check = |extra: &[&str]| {
        findings(
            chatlint(dir.path())
                .args(["check", "--online", "--no-cache", "post.md"])
                .args(extra),
            &text,
        )
    };
    let (code, found) = check(&[]);
    assert_eq!(code, 1);
    let reported: Vec<&String> = found.keys().collect();
    assert_eq!(reported, [&urls[0], &urls[3]]);
    let paths = |server: &Server| {
        let mut paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
        paths.sort();
        paths
    };
    assert_eq!(paths(&server), ["/keep.png", "/thumbs/b.png.txt"]);

    // The command line's patterns replace the configuration's.
    let (_, found) = check(&["--exclude-url", "keep", "--exclude-url", r"\.txt$"]);
    let reported: Vec<&String> = found.keys().collect();
    assert_eq!(reported, [&urls[1], &urls[2]]);
    assert_eq!(
        paths(&server),
        [
            "/keep.png",
            "/skip/a.png",
            "/thumbs/b.png",
            "/thumbs/b.png.txt"
        ]
    );
}

#[test]
fn accept_says_which_statuses_count_as_reachable() {
    let server = Server::start(Duration::ZERO, |request, _| match request.path.as_str() {
        "/ok.png" => Reply::Status(200),
        "/empty.png" => Reply::Status(204),
        "/forbidden.png" => Reply::Status(403),
        "/busy.png" => Reply::Status(429),
        "/moved.png" => Reply::redirect(301, "/forbidden.png"),
        _ => Reply::Status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let paths = [
        "/ok.png",
        "/empty.png",
        "/forbidden.png",
        "/busy.png",
        "/moved.png",
    ];
    let urls: Vec<String> = paths.iter().map(|path| server.url(path)).collect();
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "online:\n  retry-backoff: 0.05\n  allow-private: true\n",
    )
    .unwrap();
    let check = |extra: &[&str]| {
        let (code, found) = findings(
            chatlint(dir.path())
                .args(["check", "--online", "post.md"])
                .args(extra),
            &text,
        );
        let found: BTreeMap<String, String> = found
            .into_iter()
            .map(|(url, f)| (url, f[0].0.clone()))
            .collect();
        (code, found)
    };
    let count = |path: &str| server.requests_for(path).len();

    // The default: every 2xx, and only those.
    let (code, found) = check(&[]);
    assert_eq!(code, 1);
    let expected = BTreeMap::from([
        (
            urls[2].clone(),
            "Image URL answers 403 Forbidden".to_string(),
        ),
        (
            urls[3].clone(),
            "Image URL answers 429 Too Many Requests".to_string(),
        ),
        (
            urls[4].clone(),
            "Image URL answers 403 Forbidden".to_string(),
        ),
    ]);
    assert_eq!(found, expected);
    assert_eq!(count("/busy.png"), 3, "a 429 is retried");

    // 403 and 429 accepted, 204 not: judged again, not taken from the cache
    // of the run before; an accepted 429 is not retried; a redirect is
    // followed to the status it ends on.
    let (code, found) = check(&["--accept", "200,403,429"]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[&urls[1]], "Image URL answers 204 No Content");
    assert_eq!(found[&urls[4]], "Image URL has moved permanently");
    assert_eq!(count("/busy.png"), 4);
    assert_eq!(count("/ok.png"), 2);
    assert_eq!(count("/forbidden.png"), 2 * 2);

    // The same in the configuration, as a list with a range; its cache
    // holds from then on.
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "online:\n  accept: [200..=299, 403, 429]\n  allow-private: true\n",
    )
    .unwrap();
    let (code, found) = check(&[]);
    assert_eq!((code, found.len()), (1, 1));
    assert_eq!(found[&urls[4]], "Image URL has moved permanently");
    let before = server.requests().len();
    assert_eq!(check(&[]).1, found);
    assert_eq!(server.requests().len(), before, "answered from the cache");
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let server = Server::start(Duration::ZERO, |_, _| Reply::Status(200));
    let dir = tempfile::tempdir().unwrap();
    let port = server.port();
    let refused = [
        (server.url("/literal.png"), "a loopback address 127.0.0.1"),
        // A name, refused for what it resolves to (127.0.0.1 or ::1).
        (
            format!("http://localhost:{port}/name.png"),
            "a loopback address ",
        ),
        (
            format!("http://[::1]:{port}/v6.png"),
            "a loopback address ::1",
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/mapped.png"),
            "a loopback address ::ffff:127.0.0.1",
        ),
        (
            "http://10.1.2.3/private.png".to_string(),
            "a private address 10.1.2.3",
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_string(),
            "a link-local address 169.254.169.254",
        ),
    ];
    let urls: Vec<String> = refused.iter().map(|(url, _)| url.clone()).collect();
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    let assert_refused = |found: &Findings| {
        assert_eq!(found.len(), refused.len(), "{found:#?}");
        for (url, address) in &refused {
            let message = &found[url][0].0;
            assert!(
                message.starts_with(&format!("Image URL refused: resolves to {address}")),
                "{url}: {message}"
            );
        }
    };
    let (code, found) = check_online(dir.path(), &text, &[]);
    assert_eq!(code, 1);
    assert_refused(&found);
    assert_eq!(
        server.connections(),
        0,
        "the loopback server is never contacted"
    );

    // A pull request can change the configuration too: in CI, the command
    // line's --allow-private=false wins.
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "online:\n  allow-private: true\n",
    )
    .unwrap();
    let (code, found) = check_online(dir.path(), &text, &["--allow-private=false"]);
    assert_eq!(code, 1);
    assert_refused(&found);
    assert_eq!(server.connections(), 0);

    // Allowed (and refusals were not cached): the loopback server is asked.
    let allowed = transcript(&urls[..2]);
    fs::write(dir.path().join("allowed.md"), &allowed).unwrap();
    let (code, found) = findings(
        chatlint(dir.path()).args(["check", "--online", "allowed.md"]),
        &allowed,
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
    assert_eq!(server.requests_for("/literal.png").len(), 1);
    assert_eq!(server.requests_for("/name.png").len(), 1);
}

#[test]
fn a_redirect_to_a_private_address_is_refused_at_that_hop() {
    use chatlint::online::{self, non_public, Failure, OnlineSettings, Verdict};
    use std::sync::{Arc, OnceLock};

    // In this process, unlike the commands the other tests run: through a
    // proxy, the proxy resolves names, and chatlint cannot judge them.
    for proxy in ["http_proxy", "https_proxy", "all_proxy"] {
        for name in [proxy.to_string(), proxy.to_ascii_uppercase()] {
            assert!(
                std::env::var_os(&name).is_none(),
                "run the tests without ${name}"
            );
        }
    }
    let port = Arc::new(OnceLock::<u16>::new());
    let server = {
        let port = Arc::clone(&port);
        Server::start(Duration::ZERO, move |request, _| {
            let port = port.get().unwrap();
            match request.path.as_str() {
                "/to-literal.png" => {
                    Reply::redirect(302, &format!("http://127.0.0.1:{port}/secret-literal.png"))
                }
                "/to-name.png" => {
                    Reply::redirect(301, &format!("http://localhost:{port}/secret-name.png"))
                }
                "/to-public.png" => {
                    Reply::redirect(302, &format!("http://images.example.com:{port}/fine.png"))
                }
                _ => Reply::Status(200),
            }
        })
    };
    port.set(server.port()).unwrap();
    // A public-looking name that points at the server: chosen by whoever
    // runs the check (as `curl --resolve`), so allowed.
    let public = |path: &str| format!("http://images.example.com:{}{path}", server.port());
    let settings = OnlineSettings {
        hosts: vec![(
            "images.example.com".to_string(),
            "127.0.0.1".parse().unwrap(),
        )],
        cache: None,
        retries: 0,
        ..OnlineSettings::default()
    };
    assert!(!settings.allow_private, "refused by default");
    let urls = [
        "/fine.png",
        "/to-public.png",
        "/to-literal.png",
        "/to-name.png",
    ]
    .map(public);
    let images = urls.iter().map(|url| online::ImageUse {
        destination: url,
        suppressed: false,
    });
    let (verdicts, error) = online::check(images, &settings);
    assert!(error.is_none());

    assert_eq!(verdicts.get(&urls[0]), Some(&Verdict::Ok));
    assert_eq!(verdicts.get(&urls[1]), Some(&Verdict::Ok));
    let literal_hop = format!("http://127.0.0.1:{}/secret-literal.png", server.port());
    let failure = Failure::Refused {
        address: "127.0.0.1".parse().unwrap(),
        redirect: Some(literal_hop.clone()),
    };
    assert_eq!(
        failure.to_string(),
        format!(
            "refused: redirects to {literal_hop}, which resolves to a loopback address 127.0.0.1"
        )
    );
    assert_eq!(verdicts.get(&urls[2]), Some(&Verdict::Broken(failure)));
    match verdicts.get(&urls[3]) {
        Some(Verdict::Broken(Failure::Refused { address, redirect })) => {
            assert_eq!(non_public(*address), Some("a loopback address"));
            let name_hop = format!("http://localhost:{}/secret-name.png", server.port());
            assert_eq!(redirect.as_deref(), Some(name_hop.as_str()));
        }
        other => panic!("{other:?}"),
    }
    // What the server saw: every allowed hop, and no refused one.
    let count = |path: &str| server.requests_for(path).len();
    assert_eq!(count("/fine.png"), 2);
    assert_eq!((count("/to-literal.png"), count("/to-name.png")), (1, 1));
    assert_eq!(count("/secret-literal.png") + count("/secret-name.png"), 0);
}

#[test]
fn through_a_proxy_a_private_address_is_still_refused() {
    // The proxy: the test server, which answers CONNECT and then the
    // request tunnelled through it. It is on loopback, and allowed: the
    // network's own choice, from the environment.
    let proxy = Server::start(Duration::ZERO, |_, _| Reply::Status(200));
    let dir = tempfile::tempdir().unwrap();
    let urls = [
        "http://10.9.8.7/private.png".to_string(),
        "http://images.example.com/public.png".to_string(),
    ];
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    let (code, found) = findings(
        chatlint(dir.path()).env("HTTP_PROXY", proxy.url("")).args([
            "check",
            "--online",
            "--no-cache",
            "post.md",
        ]),
        &text,
    );
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[&urls[0]][0].0,
        "Image URL refused: resolves to a private address 10.9.8.7"
    );
    // The proxy resolves the name: it is the proxy's to judge.
    let asked: Vec<(String, String)> = proxy
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert_eq!(
        asked,
        [
            ("CONNECT".to_string(), "images.example.com:80".to_string()),
            ("HEAD".to_string(), "/public.png".to_string())
        ]
    );
}

/// HTTPS trusts the platform's certificate store, where a TLS-inspecting
/// proxy's authority is installed; the roots bundled with chatlint stand in
/// where the platform has none. The store here is `SSL_CERT_FILE`, which
/// the platform's verifier reads on Linux and the BSDs (on macOS and
/// Windows it asks the system, which a test cannot change).
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
#[test]
fn https_trusts_the_platform_store_and_else_the_bundled_roots() {
    let server = tls::TlsServer::start();
    let dir = tempfile::tempdir().unwrap();
    let port = server.port();
    let urls = [
        format!("https://127.0.0.1:{port}/address.png"),
        format!("https://localhost:{port}/name.png"),
    ];
    let text = transcript(&urls);
    fs::write(dir.path().join("post.md"), &text).unwrap();
    let check = |store: &Path| {
        findings(
            chatlint(dir.path())
                .env("SSL_CERT_FILE", store)
                .env_remove("SSL_CERT_DIR")
                .args([
                    "check",
                    "--online",
                    "--allow-private",
                    "--no-cache",
                    "post.md",
                ]),
            &text,
        )
    };

    // The authority is in the platform's store: the images load.
    let (code, found) = check(&tls::certificates().join("ca.pem"));
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
    let mut paths = server.paths();
    paths.sort();
    assert_eq!(paths, ["/address.png", "/name.png"]);

    // A platform without a store: the bundled roots verify (and do not know
    // the test authority), rather than every HTTPS image failing for want of
    // roots.
    let empty = dir.path().join("empty.pem");
    fs::write(&empty, "").unwrap();
    let (code, found) = check(&empty);
    assert_eq!((code, found.len()), (1, 2));
    for url in &urls {
        assert_eq!(
            found[url][0].0,
            "Image URL fails its TLS handshake (invalid peer certificate: UnknownIssuer)"
        );
    }
    assert_eq!(
        server.paths().len(),
        2,
        "no request without a trusted certificate"
    );
}

#[test]
fn the_per_host_limit_holds() {
    let server = Server::start(Duration::from_millis(100), |_, _| Reply::Status(200));
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..12).map(|i| server.url(&format!("/{i}.png"))).collect();
    fs::write(dir.path().join("post.md"), transcript(&urls)).unwrap();
    chatlint(dir.path())
        .args([
            "check",
            "--online",
            "--allow-private",
            "--no-cache",
            "--concurrency",
            "8",
        ])
        .args(["--per-host-concurrency", "2", "post.md"])
        .assert()
        .code(0);
    assert_eq!(server.requests().len(), 12);
    assert_eq!(server.most_in_flight(), 2);
}

#[test]
fn bad_online_options_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("post.md"), transcript(&[])).unwrap();
    // Each: the configuration (none: no file), the arguments before the
    // file, and what the error says. The configuration is read, and refused,
    // even without --online.
    type Case<'a> = (Option<&'a str>, &'a [&'a str], &'a [&'a str]);
    let cases: &[Case] = &[
        (None, &["--site-root", "site"], &["--online"]),
        (
            None,
            &["--online", "--timeout", "0"],
            &["not a positive number of seconds"],
        ),
        (
            Some("online:\n  concurrency: 0\n"),
            &["--online"],
            &[".chatlint.yaml:2"],
        ),
        (
            Some("online:\n  timeot: 1\n"),
            &[],
            &["unknown field `timeot`"],
        ),
        // A bad URL pattern is pointed at in its list.
        (
            Some("online:\n  exclude:\n    - ok\n    - img/(a\n"),
            &[],
            &[
                ".chatlint.yaml:4: Invalid URL pattern",
                "`img/(a` is not a regular expression: unclosed group",
            ],
        ),
        (
            Some("online:\n  exclude: x\n"),
            &[],
            &[".chatlint.yaml:2: Invalid `exclude` in `online`"],
        ),
        (
            None,
            &["--online", "--exclude-url", "("],
            &["`(` is not a regular expression"],
        ),
        (
            None,
            &["--online", "--accept", "200,2xx"],
            &["`2xx` is not a status code (100 to 999) or a range such as `200..=299`"],
        ),
        (
            Some("online:\n  timeout: 1\n  accept: \"300..=200\"\n"),
            &[],
            &[
                ".chatlint.yaml:3: Invalid `accept` in `online`",
                "`300..=200` is an empty range",
            ],
        ),
        (
            Some("online:\n  allow-private: yes please\n"),
            &[],
            &[".chatlint.yaml:2: Invalid `allow-private` in `online`"],
        ),
    ];
    let config_file = dir.path().join(".chatlint.yaml");
    for (config, args, said) in cases {
        match config {
            Some(text) => fs::write(&config_file, text).unwrap(),
            None => {
                let _ = fs::remove_file(&config_file);
            }
        }
        let output = chatlint(dir.path())
            .arg("check")
            .args(*args)
            .arg("post.md")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{config:?} {args:?}: {stderr}"
        );
        for words in *said {
            assert!(stderr.contains(words), "{config:?} {args:?}: {stderr}");
        }
    }
}

#[test]
fn the_config_schema_describes_every_online_option() {
    use chatlint::online::{self, OnlineConfig};
    use clap::Args;
    use serde_json::json;

    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schemas/config.schema.json").unwrap()).unwrap();
    let described = schema["properties"]["online"]["properties"]
        .as_object()
        .unwrap();
    let command = OnlineConfig::augment_args(clap::Command::new("check"));
    let mut options: Vec<&str> = command
        .get_arguments()
        .filter_map(|arg| arg.get_long())
        // `check --exclude` would read as files to skip, as in ruff.
        .map(|flag| {
            if flag == "exclude-url" {
                "exclude"
            } else {
                flag
            }
        })
        .collect();
    let mut keys: Vec<&str> = described.keys().map(String::as_str).collect();
    options.sort_unstable();
    keys.sort_unstable();
    assert_eq!(keys, options, "the flags are the configuration's keys");
    let defaults = [
        ("concurrency", json!(online::DEFAULT_CONCURRENCY)),
        (
            "per-host-concurrency",
            json!(online::DEFAULT_PER_HOST_CONCURRENCY),
        ),
        ("timeout", json!(online::DEFAULT_TIMEOUT.as_secs())),
        ("retries", json!(online::DEFAULT_RETRIES)),
        (
            "retry-backoff",
            json!(online::DEFAULT_RETRY_BACKOFF.as_secs()),
        ),
        ("cache-dir", json!(online::DEFAULT_CACHE_DIR)),
        (
            "cache-max-age",
            json!(online::DEFAULT_CACHE_MAX_AGE.as_secs()),
        ),
    ];
    let defaults = defaults.into_iter().chain([
        ("accept", json!("200..=299")),
        ("allow-private", json!(false)),
    ]);
    for (key, default) in defaults {
        assert_eq!(described[key]["default"], default, "{key}");
    }

    let validator = jsonschema::validator_for(&schema).unwrap();
    let config = json!({"online": {"concurrency": 8, "timeout": 0.5, "site-root": "_site",
        "exclude": ["^https://example\\.org/"]}});
    assert!(validator.is_valid(&config));
    assert!(!validator.is_valid(&json!({"online": {"exclude": "x"}})));
    for accept in [json!(200), json!("200..=299, 403"), json!([200, "..=204"])] {
        assert!(
            validator.is_valid(&json!({"online": {"accept": accept}})),
            "{accept}"
        );
    }
    for accept in [json!(99), json!("2xx"), json!([]), json!(true)] {
        assert!(
            !validator.is_valid(&json!({"online": {"accept": accept}})),
            "{accept}"
        );
    }
    assert!(!validator.is_valid(&json!({"online": {"concurrency": 0}})));
    assert!(!validator.is_valid(&json!({"online": {"timeot": 1}})));
}
