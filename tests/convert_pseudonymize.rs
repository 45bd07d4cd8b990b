//! Issue 15, item 2: `convert --pseudonymize`. Over the whole corpus, in
//! every output format, no speaker name of the input (found by this test's
//! own reading of the header lines) is left: not as a speaker, nor in any
//! text (names of two characters or more with a letter: README); the same
//! mapping gives the same pseudonyms again; the mapping is never written
//! under `-o`, and has mode 0600.

mod convert_support;
#[path = "resources/mod.rs"]
mod resources;

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use convert_support::*;

const FORMATS: [&str; 6] = ["json", "jsonl", "csv", "xml", "md", "html"];

/// The speakers of every header line (`> [YYYY-MM-DD ]HH:MM:SS  NAME`), read
/// here without the parser.
fn speakers_in(files: &[PathBuf]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("> ") else {
                continue;
            };
            let rest = match rest.get(..11) {
                Some(date) if date.as_bytes()[4] == b'-' && date.ends_with(' ') => &rest[11..],
                _ => rest,
            };
            let time = rest.get(..8).unwrap_or_default();
            let is_time = time.len() == 8
                && time.bytes().enumerate().all(|(k, b)| match k {
                    2 | 5 => b == b':',
                    _ => b.is_ascii_digit(),
                });
            if !is_time {
                continue;
            }
            let name = rest[8..].trim_matches([' ', '\t']);
            if !name.is_empty() {
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// How a format may write a name: as is, escaped for XML and HTML, or for
/// JSON and JavaScript.
fn spellings(name: &str) -> Vec<String> {
    let xml = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let json = name.replace('\\', "\\\\").replace('"', "\\\"");
    let mut all = vec![
        name.to_string(),
        xml.clone(),
        xml.replace("&quot;", "&#34;"),
        json,
    ];
    all.push(name.replace('\'', "&#39;"));
    all.sort();
    all.dedup();
    all
}

/// Not glued to a Latin letter or digit on a side where the name has one.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let name = &text[start..end];
    let glued = |outside: Option<char>, inside: Option<char>| {
        outside.is_some_and(|c| c.is_ascii_alphanumeric())
            && inside.is_some_and(|c| c.is_ascii_alphanumeric())
    };
    !glued(text[..start].chars().next_back(), name.chars().next())
        && !glued(text[end..].chars().next(), name.chars().next_back())
}

/// The speakers an output names, read from its format's speaker places.
fn output_speakers(format: &str, text: &str) -> Vec<String> {
    match format {
        "json" => {
            let document: serde_json::Value = serde_json::from_str(text).unwrap();
            document["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["speaker"].as_str().unwrap().to_string())
                .collect()
        }
        "jsonl" => text
            .lines()
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).unwrap();
                row["speaker"].as_str().unwrap().to_string()
            })
            .collect(),
        "csv" => {
            let rows = csv_rows(text);
            let column = rows[0].iter().position(|h| h == "speaker").unwrap();
            rows[1..].iter().map(|row| row[column].clone()).collect()
        }
        "xml" => xml_attributes(text, "message", "speaker")
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        "html" => text
            .split("data-speaker=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect(),
        _ => text
            .lines()
            .filter_map(|line| line.strip_prefix("> "))
            .filter_map(|rest| rest.get(8..))
            .map(|name| name.trim().to_string())
            .collect(),
    }
}

fn pseudonymize(format: &str, inputs: &Path, out: &Path, mapping: &Path) -> String {
    let output = chatlint()
        .args(["convert", "--to", format, "--pseudonymize", "--mapping"])
        .arg(mapping)
        .arg(inputs)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{format}: {said}");
    said
}

#[test]
#[cfg_attr(
    not(run_corpus_tests),
    ignore = "needs ../shared/corpus beside the checkout (README: Tests)"
)]
fn no_speaker_name_of_the_corpus_is_left_in_any_format() {
    let corpus = resources::corpus_dir();
    let names = speakers_in(&transcripts(&corpus));
    assert!(names.len() > 1000, "{}", names.len());
    // In running text: two characters or more, a letter among them, not 我.
    let in_text: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.as_str() != "我" && n.chars().count() >= 2 && n.chars().any(char::is_alphabetic)
        })
        .collect();
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for name in &in_text {
        // In lower and upper case too, from five characters (README).
        let mut cases = vec![name.to_string()];
        if name.chars().count() >= 5 {
            cases.extend([name.to_ascii_lowercase(), name.to_ascii_uppercase()]);
        }
        for spelling in cases.iter().flat_map(|name| spellings(name)) {
            patterns.push(spelling);
            owners.push(name.as_str());
        }
    }
    let search = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("private/mapping.json");
    std::fs::create_dir_all(mapping.parent().unwrap()).unwrap();
    for format in FORMATS {
        let out = dir.path().join(format);
        let said = pseudonymize(format, &corpus, &out, &mapping);
        assert!(said.contains("Pseudonymized: "), "{said}");
        let outputs = files_under(&out);
        assert!(outputs.len() >= 449, "{format}: {}", outputs.len());
        let mut speakers = 0;
        for output in &outputs {
            let text = std::fs::read_to_string(output).unwrap();
            let shown = output.display();
            if output.extension().is_some_and(|e| e == format) {
                for speaker in output_speakers(format, &text) {
                    assert!(!names.contains(&speaker), "{shown}: speaker {speaker:?}");
                    speakers += 1;
                }
            }
            for found in search.find_overlapping_iter(&text) {
                let (start, end) = (found.start(), found.end());
                if whole_word(&text, start, end) {
                    let name = owners[found.pattern().as_usize()];
                    let around = &text[text.floor_char_boundary(start.saturating_sub(40))
                        ..text.ceil_char_boundary((end + 40).min(text.len()))];
                    panic!("{shown}: {name:?} is left: …{around}…");
                }
            }
        }
        assert!(speakers > 50_000, "{format}: {speakers} speakers read");
    }

    // The mapping: private, not under any output, and the same pseudonyms
    // from it again (every output the same, byte for byte).
    let mode = std::fs::metadata(&mapping).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let before = std::fs::read(&mapping).unwrap();
    let again = dir.path().join("json-again");
    pseudonymize("json", &corpus, &again, &mapping);
    assert_eq!(std::fs::read(&mapping).unwrap(), before, "no new name");
    let first = files_under(&dir.path().join("json"));
    let second = files_under(&again);
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{}",
            a.display()
        );
    }
    for format in FORMATS {
        for file in files_under(&dir.path().join(format)) {
            assert!(!file.ends_with("mapping.json"), "{}", file.display());
        }
    }
}

#[test]
fn the_mapping_is_refused_under_the_output_and_options_need_pseudonymize() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.md");
    std::fs::write(&input, "> 07:50:02  张三  \n   \n@李四 你好  \n   \n").unwrap();
    let out = dir.path().join("out");
    for args in [
        vec!["--pseudonymize", "--mapping", "out/m.json", "-o", "out"],
        vec![
            "--pseudonymize",
            "--mapping",
            "out/../out/sub/m.json",
            "-o",
            "out",
        ],
        vec!["--pseudonymize", "--mapping", "a.md", "-o", "out"],
        vec!["--pseudonymize", "--pseudonym", "P{x}", "-o", "out"],
        vec!["--pseudonymize", "--mask", "(", "-o", "out"],
        vec!["--mapping", "m.json", "-o", "out"],
        vec!["--mask", "x", "-o", "out"],
    ] {
        let output = chatlint()
            .current_dir(dir.path())
            .args(["convert", "--to", "json"])
            .args(&args)
            .arg("a.md")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!out.exists(), "{args:?}: nothing is written");
        assert!(!dir.path().join("m.json").exists(), "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "> 07:50:02  张三  \n   \n@李四 你好  \n   \n"
    );
}

#[test]
fn names_mentions_aliases_and_numbers_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".chatlint.yaml"),
        "aliases:\n  钟: 钟文帅-移付宝科技-产品经理\n",
    )
    .unwrap();
    let text = "---\ntitle: t\nauthor: 张三\n---\n\
        > 07:50:02  张三  \n   \n@李四?你好，我是张三，电话 13812345678  \n   \n\
        > 07:51:02  钟  \n   \n[强] 邮件 zhong@example.com wxid_abc123  \n   \n\
        > 07:52:02  钟文帅-移付宝科技-产品经理  \n   \n@张三 Tim 说 timer  \n   \n\
        > 07:53:02  车睿??  \n   \n@车睿🐱 hi  \n   \n\
        > 07:54:02  Tim  \n   \n好  \n   \n";
    std::fs::write(dir.path().join("a.md"), text).unwrap();
    let output = chatlint()
        .current_dir(dir.path())
        .args(["convert", "--to", "md", "--pseudonymize", "a.md"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let md = String::from_utf8(output.stdout).unwrap();
    // In order of first appearance: 张三 P001, 李四 P002, 钟 and its
    // canonical name P003, 车睿?? and 车睿🐱 (one person) P004, Tim P005.
    assert!(md.contains("author: P001\n"), "{md}");
    assert!(md.contains("> 07:50:02  P001  \n"), "{md}");
    assert!(md.contains("@P002?你好，我是P001，电话 [phone]"), "{md}");
    assert!(md.contains("> 07:51:02  P003  \n"), "{md}");
    assert!(md.contains("邮件 [email] [wxid]"), "{md}");
    assert!(md.contains("> 07:52:02  P003  \n"), "{md}");
    assert!(md.contains("@P001 P005 说 timer"), "{md}");
    assert!(md.contains("> 07:53:02  P004  \n"), "{md}");
    assert!(md.contains("@P004 hi"), "{md}");
    assert!(md.contains("> 07:54:02  P005  \n"), "{md}");
    assert!(
        stderr.contains("Pseudonymized: 5 speakers, 3 mentions, 3 names in text; masked 1 phone numbers, 1 e-mail addresses, 1 WeChat IDs"),
        "{stderr}"
    );
}

/// Standard input is read once for its names and converted from what was
/// read: it cannot be read twice.
#[test]
fn standard_input_is_pseudonymized_too() {
    let output = chatlint()
        .args(["convert", "--to", "md", "--pseudonymize", "-"])
        .write_stdin("> 07:50:02  张三  \n   \n@李四 你好 张三  \n   \n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "> 07:50:02  P001  \n   \n@P002 你好 P001  \n   \n"
    );
}

fn pseudonymized_md(text: &str) -> (Option<i32>, String, String) {
    let output = chatlint()
        .args([
            "convert",
            "--to",
            "md",
            "--pseudonymize",
            "--stdin-filename",
            "x.md",
            "-",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stdout, stderr)
}

/// What an attack found: every place a name hid in is rewritten, or the
/// file fails.
#[test]
fn names_hidden_in_other_places_are_found_too() {
    let text = "> 07:50:00  Alice Wong  \n   \nhi  \n   \n\
        > 25:61:00Bob  Bob  \n   \nz  \n   \n\
        > 07:52:00  Carol 13812345678  \n   \n\
        <!-- chatlint-disable-next-line CL401 -- alice wong said so -->  \n\
        thanks Carol 13812345678, ALICE WONG, see http://x.com/Alice%20Wong.png  \n   \n\
        > 07:53:00  P001  \n   \n@Bob，今天很好 @所有人，再次强调，请勿外传  \n   \n";
    let (code, md, stderr) = pseudonymized_md(text);
    assert_eq!(code, Some(0), "{stderr}");
    for name in [
        "Alice",
        "alice",
        "ALICE",
        "Wong",
        "Bob",
        "Carol",
        "13812345678",
    ] {
        assert!(!md.contains(name), "{name}: {md}");
    }
    // `P001` is someone's name: no one else is given it.
    assert!(md.contains("> 07:50:00  P002  \n"), "{md}");
    assert!(md.contains("> 25:61:00P003  P003  \n"), "{md}");
    assert!(md.contains("-- P002 said so -->"), "{md}");
    assert!(md.contains("http://x.com/P002.png"), "{md}");
    // A mention is a name, not the sentence after it; `@所有人` is everyone.
    assert!(
        md.contains("@P003，今天很好 @所有人，再次强调，请勿外传"),
        "{md}"
    );
}

/// A name YAML spells otherwise (`\u5F20`, folded lines) is what a page
/// shows: the file fails rather than show it.
#[test]
fn a_front_matter_that_spells_a_name_otherwise_fails_the_file() {
    let text = "---\ntitle: \"Chat with \\u5F20\\u4E09\"\nauthor: Carol\n  Xu\n---\n\
        > 07:50:00  张三  \n   \nhi  \n   \n> 07:51:00  Carol Xu  \n   \nyo  \n   \n";
    let (code, md, stderr) = pseudonymized_md(text);
    assert_eq!(code, Some(2), "{md}");
    assert!(md.is_empty());
    assert!(stderr.contains("still holds 2 original names"), "{stderr}");
}

mod properties {
    use std::collections::HashMap;

    use chatlint::convert::pseudonymize::{gather, Masks, Pseudonymizer};
    use chatlint::convert::{pseudonymize_checked, write, Document, Format, Options};
    use chatlint::SourceFile;
    use proptest::prelude::*;

    /// Pieces of names and texts: CJK, Latin, `@`, `＠`, `?`, U+2005,
    /// spaces, digits, punctuation, emoji, markup.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "张", "三", "Tim", "Cook", " ", "  ", "@", "＠", "?", "\u{2005}", "，", "-", "1",
            "138", "12345678", "🐱", "<", "&", "P001", "wxid_", "a", "\n", "·", "%20",
        ])
    }

    fn words(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..max).prop_map(|pieces| pieces.concat())
    }

    fn transcript() -> impl Strategy<Value = String> {
        prop::collection::vec((words(4), words(12)), 1..6).prop_map(|messages| {
            messages
                .iter()
                .enumerate()
                .map(|(k, (speaker, text))| {
                    let speaker = speaker.replace('\n', "");
                    format!("> 07:5{k}:00  {speaker}  \n   \n{text}  \n   \n")
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Never a panic; a document either fails its check or keeps every
        /// message (time and count) with no original speaker left.
        #[test]
        fn pseudonymizing_never_panics_and_keeps_the_messages(text in transcript()) {
            let source = SourceFile::from_string("x.md", text);
            let document = Document::build(&source, None);
            let names = gather(&document);
            let pseudonyms: HashMap<String, String> = names
                .iter()
                .enumerate()
                .map(|(k, g)| (g.name.clone(), format!("Q{k:03}")))
                .collect();
            let pseudonymizer = Pseudonymizer::new(pseudonyms.clone(), Masks::new(&[]).unwrap());
            let times: Vec<String> =
                document.messages.iter().map(|m| m.written_time().to_string()).collect();
            let mut rewritten = Document::build(&source, None);
            if pseudonymize_checked(&mut rewritten, &pseudonymizer).is_ok() {
                let after: Vec<String> =
                    rewritten.messages.iter().map(|m| m.written_time().to_string()).collect();
                prop_assert_eq!(&after, &times);
                for message in rewritten.messages.iter() {
                    prop_assert!(!pseudonyms.contains_key(message.speaker.as_ref()));
                }
                for format in [Format::Json, Format::Md, Format::Html, Format::Xml] {
                    let mut out = Vec::new();
                    write(&rewritten, format, &Options::default(), &mut out).unwrap();
                }
            }
        }
    }
}

/// What a second attack found: names behind entities and invisible
/// characters, in an image's title and a front matter's key, glued to a
/// mention, written with one space for two, percent-encoded, or next to a
/// longer name that is glued to a word.
#[test]
fn names_in_disguise_are_found_in_every_format() {
    let text = "---\ntitle: t\nAlice Wong: founder\n---\n\
        > 07:50:00  Alice Wong  \n   \nhi  \n   \n\
        > 07:51:00  张三丰  \n   \nyo  \n   \n\
        > 07:52:00  Tim  Cook  \n   \nhey  \n   \n\
        > 07:53:00  Alice W  \n   \nhm  \n   \n> 07:53:30  Alice  \n   \nmm  \n   \n\
        > 07:54:00  Bob  \n   \n\
        ask Alice&amp;amp;#x20;Wong and Ali\u{200B}ce Wong and &amp;#x5F20;&amp;#x4E09;&amp;#x4E30;  \n\
        ![a](http://x.com/a.png \"photo by Alice Wong\") @张三丰谢谢你的分享 Tim Cook  \n\
        https://www.baidu.com/s?wd=%E5%BC%A0%E4%B8%89%E4%B8%B0 I met Alice Wu  \n   \n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), text).unwrap();
    for format in FORMATS {
        let output = chatlint()
            .current_dir(dir.path())
            .args(["convert", "--to", format, "--pseudonymize", "a.md"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        let out = String::from_utf8(output.stdout).unwrap();
        for left in [
            "Alice",
            "Wong",
            "张三丰",
            "Cook",
            "%E5%BC%A0",
            "&amp;#x5F20",
        ] {
            assert!(!out.contains(left), "{format}: {left} in {out}");
        }
        // The text glued to a mention is kept; a longer name glued to a
        // word (`Alice W` in `Alice Wu`) leaves the shorter one to find.
        assert!(out.contains("谢谢你的分享"), "{format}: {out}");
        assert!(
            out.contains("I met P") && out.contains(" Wu"),
            "{format}: {out}"
        );
    }
}

/// With --pseudonymize, an output there already (perhaps of a run without
/// it) is a failure, not a quiet skip, and the index does not list it.
#[test]
fn an_output_there_already_is_refused_when_pseudonymizing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.md"), "> 07:50:02  张三  \n   \nhi  \n   \n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("a.html"), "张三 was here").unwrap();
    let output = chatlint()
        .args(["convert", "--to", "html", "--pseudonymize"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("may hold real names"), "{said}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("a.html"), "{index}");
}

/// A mapping keeps every spelling: `@Tim`, read as Tim Cook in a first
/// run, is Tim Cook's pseudonym in a second where Tim Cook does not speak.
#[test]
fn a_mapping_keeps_every_spelling_for_later_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("m.json");
    let run = |text: &str| {
        let output = chatlint()
            .args(["convert", "--to", "md", "--pseudonymize", "--mapping"])
            .arg(&mapping)
            .args(["--stdin-filename", "x.md", "-"])
            .write_stdin(text)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let first = run(
        "> 07:50:00  Tim Cook  \n   \nhi  \n   \n> 07:51:00  Bob  \n   \n@Tim Cook?ok  \n   \n",
    );
    assert!(first.contains("@P001?ok"), "{first}");
    let second = run("> 08:00:00  Eve  \n   \n@Tim?again  \n   \n");
    assert!(second.contains("@P001?again"), "{second}");
}

/// A transcript edited after its names were read (a speaker the run does
/// not know): the speaker is not replaced, so the file fails its check
/// instead of showing the name.
#[test]
fn a_speaker_the_run_did_not_read_fails_the_file() {
    use chatlint::convert::pseudonymize::{gather, Masks, Pseudonymizer};
    use chatlint::convert::{pseudonymize_checked, Document};
    use chatlint::SourceFile;

    let read = SourceFile::from_string("a.md", "> 07:50:02  张三  \n   \nhi  \n   \n");
    let pseudonyms = gather(&Document::build(&read, None))
        .into_iter()
        .enumerate()
        .map(|(k, g)| (g.name, format!("P{:03}", k + 1)))
        .collect();
    let pseudonymizer = Pseudonymizer::new(pseudonyms, Masks::new(&[]).unwrap());
    let same = SourceFile::from_string("a.md", "> 07:50:02  张三  \n   \nhi  \n   \n");
    assert!(pseudonymize_checked(&mut Document::build(&same, None), &pseudonymizer).is_ok());
    let edited = SourceFile::from_string(
        "a.md",
        "> 07:50:02  张三  \n   \nhi  \n   \n> 07:51:02  李四  \n   \nnew  \n   \n",
    );
    let checked = pseudonymize_checked(&mut Document::build(&edited, None), &pseudonymizer);
    let error = checked.unwrap_err().to_string();
    assert!(error.contains("李四"), "{error}");
}
