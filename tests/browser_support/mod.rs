//! What the browser tests share: headless Chromium (Debian's `chromium`)
//! run once per page, the DOM it serialises after the page's scripts ran,
//! its screenshots, and the pixels of a PNG.
//!
//! A test that uses the browser carries
//!
//! ```text
//! #[cfg_attr(not(run_browser_tests), ignore = "needs chromium (apt-get install chromium; README: Tests)")]
//! ```
//!
//! `build.rs` sets the cfg when `chromium` (or `chromium-browser`) is on the
//! `PATH`, or when `CHATLINT_REQUIRE_BROWSER=1` (set by `.ci/run`) asks for
//! it: a missing browser then fails the test instead of skipping it.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one browser run may take before the test fails (90 seconds, or
/// `CHATLINT_BROWSER_TIMEOUT_SECS`). A page that hangs the browser must fail
/// CI, not hold it until its time runs out.
fn browser_timeout() -> Duration {
    let seconds = std::env::var("CHATLINT_BROWSER_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(90);
    Duration::from_secs(seconds)
}

/// The page's scripts get this much virtual time (timers run, scripts load)
/// before the DOM is dumped or the screenshot taken.
const VIRTUAL_TIME_BUDGET_MS: u32 = 5000;

/// The browser on the `PATH`: `chromium` (Debian), else `chromium-browser`;
/// a failure naming the package when there is none.
pub fn chromium() -> PathBuf {
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "this test opens pages in headless Chromium, which is not on the PATH \
                 (apt-get install chromium; the test runs because chromium was found when \
                 the tests were built, or because CHATLINT_REQUIRE_BROWSER=1)"
            )
        })
}

/// `file://` URL of an existing file (absolute, `%`-encoded where a URL
/// needs it), with an optional fragment such as `q=…` or `m-3`.
pub fn file_url(path: &Path, fragment: Option<&str>) -> String {
    let path = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut url = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("{} has no file URL", path.display()));
    url.set_fragment(fragment);
    url.to_string()
}

/// What one browser run printed.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
}

/// Runs headless Chromium on `url` with `extra` arguments, in a fresh
/// profile that is removed afterwards. Fails the test when the browser does
/// not start, exits with an error, or runs past [`browser_timeout`] (then
/// its whole process group is killed).
pub fn run_browser(url: &str, extra: &[String]) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
        ])
        .arg(format!("--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group: the renderer and helper processes die with it
    // when the run times out.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", chromium().display()));
    // Read both pipes while waiting: a large DOM would fill the pipe and
    // block the browser.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > browser_timeout() {
            kill_group(&mut child);
            let stderr = stderr.join().unwrap_or_default();
            panic!(
                "chromium ran more than {:?} on {url} and was killed; \
                 its stderr:\n{stderr}",
                browser_timeout()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Helpers of the browser that outlive it keep the pipes open.
    kill_group(&mut child);
    let run = Run {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    assert!(
        status.success(),
        "chromium on {url} exited with {status}; its stderr:\n{}",
        run.stderr
    );
    run
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let group = child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group the
        // child leads (process_group(0) above); no memory is involved.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The page's DOM as Chromium serialises it after the virtual time budget
/// (`--dump-dom`): what the scripts left, not the file's bytes.
pub fn dump_dom(url: &str) -> String {
    let run = run_browser(url, &["--dump-dom".to_string()]);
    assert!(
        run.stdout.contains("<html") || run.stdout.contains("<HTML"),
        "chromium dumped no document for {url}; stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    run.stdout
}

/// A PNG screenshot of the page at `width`×`height` CSS pixels, written to
/// `png`.
pub fn screenshot(url: &str, png: &Path, width: u32, height: u32) {
    let _ = std::fs::remove_file(png);
    let run = run_browser(
        url,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},{height}"),
            "--hide-scrollbars".to_string(),
        ],
    );
    assert!(
        png.is_file(),
        "chromium wrote no screenshot of {url} to {}; stderr:\n{}",
        png.display(),
        run.stderr
    );
}

/// An 8-bit RGB image; alpha, where there is one, is laid over white.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

/// Reads a PNG file's pixels.
pub fn read_png(path: &Path) -> Pixels {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{} is no PNG: {e}", path.display()));
    let mut buffer = vec![
        0;
        reader
            .output_buffer_size()
            .expect("a PNG that fits in memory")
    ];
    let info = reader
        .next_frame(&mut buffer)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bytes = &buffer[..info.buffer_size()];
    let over_white = |value: u8, alpha: u8| -> u8 {
        ((u16::from(value) * u16::from(alpha) + 255 * (255 - u16::from(alpha))) / 255) as u8
    };
    let rgb = match info.color_type {
        png::ColorType::Rgb => bytes.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Rgba => bytes
            .chunks_exact(4)
            .map(|p| {
                [
                    over_white(p[0], p[3]),
                    over_white(p[1], p[3]),
                    over_white(p[2], p[3]),
                ]
            })
            .collect(),
        png::ColorType::Grayscale => bytes.iter().map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => bytes
            .chunks_exact(2)
            .map(|p| {
                let g = over_white(p[0], p[1]);
                [g, g, g]
            })
            .collect(),
        png::ColorType::Indexed => unreachable!("normalize_to_color8 expands palettes"),
    };
    Pixels {
        width: info.width,
        height: info.height,
        rgb,
    }
}

impl Pixels {
    /// How many different colours the image has.
    pub fn distinct_colours(&self) -> usize {
        self.rgb
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len()
    }

    /// How many pixels are within `tolerance` (per channel) of `colour`.
    pub fn count_near(&self, colour: [u8; 3], tolerance: u8) -> usize {
        self.rgb
            .iter()
            .filter(|p| {
                p.iter()
                    .zip(colour)
                    .all(|(a, b)| a.abs_diff(b) <= tolerance)
            })
            .count()
    }

    /// The most frequent colour: the page background on a page with some
    /// space around its text.
    pub fn dominant_colour(&self) -> [u8; 3] {
        let mut counts = std::collections::HashMap::new();
        for p in &self.rgb {
            *counts.entry(*p).or_insert(0usize) += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(colour, count)| (count, colour))
            .map(|(colour, _)| colour)
            .expect("an image with pixels")
    }

    /// The hues (in twelve 30° sectors) that at least `min_pixels` strongly
    /// saturated pixels have. Anti-aliased text edges blend a colour with
    /// the background but keep its hue, so one colour counts once; greys
    /// and near-whites do not count at all.
    pub fn saturated_hues(&self, min_pixels: usize) -> Vec<u8> {
        let mut sectors = [0usize; 12];
        for &[r, g, b] in &self.rgb {
            let max = r.max(g).max(b);
            let min = r.min(g).min(b);
            if max - min < 96 {
                continue;
            }
            let (r, g, b, max, chroma) = (
                f32::from(r),
                f32::from(g),
                f32::from(b),
                f32::from(max),
                f32::from(max - min),
            );
            let hue = if max == r {
                60.0 * ((g - b) / chroma).rem_euclid(6.0)
            } else if max == g {
                60.0 * ((b - r) / chroma + 2.0)
            } else {
                60.0 * ((r - g) / chroma + 4.0)
            };
            sectors[((hue / 30.0) as usize).min(11)] += 1;
        }
        (0u8..12)
            .filter(|&sector| sectors[usize::from(sector)] >= min_pixels)
            .collect()
    }
}

/// `#rrggbb` (or `#rgb`) as a colour.
pub fn hex_colour(hex: &str) -> [u8; 3] {
    let digits = hex.trim_start_matches('#');
    let digits: String = if digits.len() == 3 {
        digits.chars().flat_map(|c| [c, c]).collect()
    } else {
        digits.to_string()
    };
    assert_eq!(digits.len(), 6, "not a colour: {hex}");
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).unwrap();
    [channel(0), channel(2), channel(4)]
}

/// An element of a dumped DOM: its tag name (lower case) and attributes
/// (values unescaped), in document order.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attribute("class")
            .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
    }
}

/// What the browser made of a page: every element and the text a reader
/// sees, read from `--dump-dom`'s serialisation. The serialiser writes every
/// attribute value in double quotes with `&`, `"`, `<` and `>` escaped, and
/// escapes `<`, `>` and `&` in text, so each literal `<` outside `<style>`
/// and `<script>` starts a tag: no HTML parser is needed to read it back.
pub struct Dom {
    pub elements: Vec<Element>,
    pub text: String,
    pub title: String,
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

pub fn parse_dom(serialised: &str) -> Dom {
    let mut elements = Vec::new();
    let mut text = String::new();
    let mut title = String::new();
    let mut in_title = false;
    let mut rest = serialised;
    while let Some(start) = rest.find('<') {
        let chunk = unescape(&rest[..start]);
        if in_title {
            title.push_str(&chunk);
        } else {
            text.push_str(&chunk);
        }
        rest = &rest[start + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let end = rest.find('>').expect("a tag that ends");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            if closing.trim().eq_ignore_ascii_case("title") {
                in_title = false;
            }
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = &tag[name_end..];
        loop {
            attrs = attrs.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if attrs.is_empty() {
                break;
            }
            let key_end = attrs
                .find(|c: char| c.is_ascii_whitespace() || c == '=')
                .unwrap_or(attrs.len());
            let key = attrs[..key_end].to_ascii_lowercase();
            attrs = &attrs[key_end..];
            let value = if let Some(quoted) = attrs.strip_prefix("=\"") {
                let close = quoted.find('"').expect("a closing quote");
                attrs = &quoted[close + 1..];
                unescape(&quoted[..close])
            } else {
                String::new()
            };
            attributes.push((key, value));
        }
        // The contents of raw-text elements are not markup.
        if name == "style" || name == "script" {
            let closing = format!("</{name}");
            let close = rest.find(&closing).unwrap_or(rest.len());
            rest = &rest[close..];
        }
        in_title = name == "title";
        elements.push(Element { name, attributes });
    }
    text.push_str(&unescape(rest));
    Dom {
        elements,
        text,
        title,
    }
}

impl Dom {
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |e| e.name == name)
    }

    pub fn by_id(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.attribute("id") == Some(id))
    }
}
