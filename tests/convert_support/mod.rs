//! What the `convert` tests share: the binary, the corpus, the schemas,
//! xmllint, and readers that check each output format independently.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use chatlint::convert::{self, Format, Notice, Options};
use chatlint::SourceFile;

pub fn chatlint() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("chatlint").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// Every transcript of the corpus (its README aside), sorted.
pub fn transcripts(dir: &Path) -> Vec<PathBuf> {
    let mut files = files_under(dir);
    files.retain(|path| !path.ends_with("README.md"));
    files
}

/// Every file under `dir`, hidden ones too, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Fails unless xmllint runs. A test that uses it is ignored unless
/// `cfg(run_xmllint_tests)` (see `build.rs`), so it gets here only when
/// xmllint was found or `CHATLINT_REQUIRE_XMLLINT=1` asks for it.
pub fn assert_xmllint_runs() {
    let runs = Process::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        runs,
        "this test validates XML with xmllint, which does not run (apt-get install libxml2-utils)"
    );
}

/// Validates XML files against `schemas/transcript.xsd` with xmllint.
pub fn xmllint_validate(files: &[PathBuf]) -> Result<(), String> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/transcript.xsd");
    for batch in files.chunks(200) {
        let output = Process::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .args(batch)
            .output()
            .unwrap();
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
    }
    Ok(())
}

/// A retriever that refuses every URI: the schemas must resolve offline.
struct NoNetwork;

impl jsonschema::Retrieve for NoNetwork {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("the schema asked for {uri}: schemas must resolve offline").into())
    }
}

/// Reads one of `schemas/`.
pub fn read_schema(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The JSON Schema of `--to json`, alone: the diagnostics schema it refers
/// to is bundled in it, and nothing is fetched.
pub fn transcript_schema() -> jsonschema::Validator {
    jsonschema::options()
        .with_retriever(NoNetwork)
        .build(&read_schema("transcript.schema.json"))
        .unwrap()
}

pub fn assert_valid(validator: &jsonschema::Validator, document: &serde_json::Value, name: &str) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
}

/// Converts a text with the library, as if read from a file named `name`.
pub fn convert_text(
    name: &str,
    text: &str,
    format: Format,
    options: &Options,
) -> (String, Vec<Notice>) {
    let mut out = Vec::new();
    let notices = convert::convert(
        SourceFile::from_string(name, text),
        format,
        options,
        &mut out,
    )
    .unwrap_or_else(|err| panic!("{name}: {err}"));
    (String::from_utf8(out).unwrap(), notices)
}

/// Converts a document written by `--to json` back to Markdown.
pub fn markdown_from_json(json: &str) -> String {
    let mut out = Vec::new();
    convert::convert_json(json, Format::Md, &Options::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Checks that a text is well-formed XML by reading it to the end with
/// quick-xml, and returns the text content of every element named `name`
/// (entities and character references resolved).
pub fn xml_texts(xml: &str, name: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut texts = Vec::new();
    let mut inside = None::<String>;
    let mut roots = 0;
    let mut depth = 0usize;
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("{e} at {}", reader.buffer_position()))?
        {
            Event::Start(tag) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                if tag.name().as_ref() == name.as_bytes() {
                    inside = Some(String::new());
                }
            }
            Event::End(tag) => {
                depth -= 1;
                if tag.name().as_ref() == name.as_bytes() {
                    texts.extend(inside.take());
                }
            }
            Event::Empty(tag) => {
                if depth == 0 {
                    roots += 1;
                }
                if tag.name().as_ref() == name.as_bytes() {
                    texts.push(String::new());
                }
            }
            Event::Text(text) => {
                let text = text.xml_content().map_err(|e| e.to_string())?;
                if let Some(inside) = &mut inside {
                    inside.push_str(&text);
                } else if depth == 0 && !text.trim().is_empty() {
                    return Err(format!("text outside the root: {text:?}"));
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => match &*reference.decode().map_err(|e| e.to_string())? {
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "amp" => "&".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                if let Some(inside) = &mut inside {
                    inside.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if roots != 1 || depth != 0 {
        return Err(format!("{roots} root elements, {depth} left open"));
    }
    Ok(texts)
}

/// The attribute `name` of every element `element`, unescaped.
pub fn xml_attributes(xml: &str, element: &str, name: &str) -> Vec<Option<String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut values = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(tag) | Event::Empty(tag) if tag.name().as_ref() == element.as_bytes() => {
                values.push(
                    tag.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned()),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    values
}

/// The rows of a CSV text, header first, read with the `csv` crate.
pub fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// What a CommonMark renderer shows of a text: the text of every element,
/// link and image targets, with white space folded as a browser folds it
/// (line breaks, hard or soft, are white space, and so are block bounds).
pub fn rendered_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut shown = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                shown.push_str(&text)
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            })
            | Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                shown.push_str(&format!(" <{dest_url} {title}> "));
            }
            _ => shown.push(' '),
        }
    }
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}
