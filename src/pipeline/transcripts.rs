//! Which Markdown files a walk reads: transcripts only. A `README.md` beside
//! the posts is Markdown too, and a walk reads every `*.md`.
//!
//! A file is a transcript when the parser reads a message in it (a line
//! that reads as a message header, its time valid or not: `> 7:50  甲`
//! counts), or when it opens with front matter (closed or not) holding
//! every key that `front-matter`'s option `required` lists for it (`layout`,
//! `title` and `date` unless configured; `required: []` makes any front
//! matter a transcript's). That is what the rule itself calls a post, so a
//! transcript whose messages are all gone is still checked.
//!
//! The decision is made after the file is read, in the step that reads it,
//! so no file is read twice; only a file a walk found is skipped
//! ([`Input::Found`]): one named on the command line is read whatever it
//! holds. A skipped file is neither checked, cached, fixed nor converted.
//! Each walk says how many files it skipped; a walk that found Markdown
//! files and no transcript among them fails, as one that found none does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::inputs::Input;
use crate::error::WHY_NOT_A_TRANSCRIPT;
use crate::rules::FrontMatterRule;
use crate::{parser, Error, Settings};

/// Whether `text` is a transcript. `settings` gives the file's settings; it
/// is called only when the answer depends on them (a file with front matter
/// and no message).
pub fn is_transcript(
    text: &str,
    settings: impl FnOnce() -> Result<Settings, Error>,
) -> Result<bool, Error> {
    if parser::headers(text).next().is_some() {
        return Ok(true);
    }
    let Some(front_matter) = parser::front_matter(text) else {
        return Ok(false);
    };
    let settings = settings()?;
    let keys = parser::front_matter_fields(text, &front_matter);
    Ok(FrontMatterRule::options(&settings)
        .required
        .iter()
        .all(|required| keys.iter().any(|field| field.key == *required)))
}

/// A file a walk found that is not a transcript, with the folder walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotTranscript {
    pub path: PathBuf,
    pub root: Arc<Path>,
}

impl NotTranscript {
    /// The file `input` skipped; none unless a walk found it.
    pub fn of(input: &Input) -> Option<Self> {
        match input {
            Input::Found { path, root } => Some(Self {
                path: path.clone(),
                root: Arc::clone(root),
            }),
            Input::File(_) | Input::Stdin => None,
        }
    }
}

/// What the walks of a run come to once their files are read: per folder
/// walked, a note of the files skipped, or an error when every file it
/// found was skipped. `inputs` are the run's inputs, `skipped` those of
/// them that were not transcripts.
pub fn walk_results<'i>(
    inputs: impl Iterator<Item = &'i Input> + Clone,
    skipped: &[NotTranscript],
) -> (Vec<String>, Vec<Error>) {
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut roots: Vec<&Path> = Vec::new();
    for file in skipped {
        if !roots.contains(&&*file.root) {
            roots.push(&file.root);
        }
    }
    for root in roots {
        let found = inputs
            .clone()
            .filter(|input| input.found_in() == Some(root))
            .count();
        let not = skipped.iter().filter(|file| *file.root == *root).count();
        if not == found {
            errors.push(Error::OnlyNonTranscripts {
                path: root.to_path_buf(),
                files: not,
            });
        } else {
            notes.push(note(root, not));
        }
    }
    (notes, errors)
}

/// `chatlint: posts: skipped 1 Markdown file that is not a transcript (…)`.
fn note(root: &Path, count: usize) -> String {
    let files = if count == 1 {
        "file that is not a transcript"
    } else {
        "files that are not transcripts"
    };
    format!(
        "chatlint: {}: skipped {count} Markdown {files} ({WHY_NOT_A_TRANSCRIPT})",
        root.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(text: &str) -> bool {
        is_transcript(text, || Ok(Settings::default())).unwrap()
    }

    #[test]
    fn a_message_header_or_the_required_front_matter_makes_a_transcript() {
        // A header, valid or not, even after a preamble or an unclosed front matter.
        for text in [
            "> 07:50:02  甲  \n",
            "# 说明\n\n> 7:50  甲\n",
            "> 07：50：02  甲\n",
            "---\ntitle: x\n> 07:50:02  甲\n",
            "\u{feff}> 07:50:02  甲\n",
            "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
            "---\nlayout: source\ntitle: x\ndate: y\n",
        ] {
            assert!(transcript(text), "{text:?}");
        }
        for text in [
            "",
            "# 说明\n\n这个文件夹放聊天记录。\n",
            "> a quote, not a header\n",
            "---\nlayout: page\ntitle: About\n---\n# About\n",
            "## 2017-05-05\n",
            "---\n",
            "text\n---\nlayout: source\ntitle: x\ndate: y\n---\n",
        ] {
            assert!(!transcript(text), "{text:?}");
        }
    }

    #[test]
    fn the_required_keys_are_the_front_matter_rule_s() {
        let config = |yaml: &str| {
            let config =
                crate::config::LoadedConfig::parse(Path::new("/c/.chatlint.yaml"), yaml).unwrap();
            Settings::resolve(
                &[Arc::new(config)],
                None,
                &crate::config::Overrides::default(),
            )
        };
        let page = "---\nlayout: page\ntitle: About\n---\n# About\n";
        let with = |yaml: &'static str| is_transcript(page, || config(yaml)).unwrap();
        assert!(!with(""));
        assert!(with("rules:\n  front-matter: {required: [title]}\n"));
        assert!(with("rules:\n  front-matter: {required: []}\n"));
        // Settings are read only when they decide.
        let asked = std::cell::Cell::new(false);
        let settings = || {
            asked.set(true);
            Ok(Settings::default())
        };
        assert!(is_transcript("> 07:50:02  甲\n", settings).unwrap());
        assert!(!asked.get());
    }

    #[test]
    fn a_walk_that_skipped_everything_fails_and_one_that_kept_some_says_how_many() {
        let posts: Arc<Path> = Arc::from(Path::new("posts"));
        let docs: Arc<Path> = Arc::from(Path::new("docs"));
        let found = |root: &Arc<Path>, name: &str| Input::Found {
            path: root.join(name),
            root: Arc::clone(root),
        };
        let inputs = [
            found(&posts, "README.md"),
            found(&posts, "a.md"),
            found(&docs, "README.md"),
            found(&docs, "guide.md"),
            Input::File(PathBuf::from("notes.md")),
        ];
        let skipped: Vec<NotTranscript> = [0, 2, 3]
            .iter()
            .filter_map(|&i| NotTranscript::of(&inputs[i]))
            .collect();
        assert_eq!(NotTranscript::of(&inputs[4]), None);
        let (notes, errors) = walk_results(inputs.iter(), &skipped);
        assert_eq!(
            notes,
            [
                "chatlint: posts: skipped 1 Markdown file that is not a transcript \
              (no message header, no front matter with the keys front-matter requires; \
              name a file to read it anyway)"
            ]
        );
        assert!(
            matches!(&errors[..], [Error::OnlyNonTranscripts { path, files: 2 }] if path == Path::new("docs")),
            "{errors:?}"
        );
        assert!(
            errors[0]
                .to_string()
                .starts_with("docs: holds no transcript"),
            "{}",
            errors[0]
        );
        let (notes, errors) = walk_results(inputs.iter(), &[]);
        assert!(notes.is_empty() && errors.is_empty());
    }
}
