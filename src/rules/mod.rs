//! The rules: one file each, registered in [`registry`].
//!
//! A rule reads the parsed [`Transcript`] and pushes [`Diagnostic`]s. When it
//! knows the repair, it attaches it as a [`crate::fix::Fix`]; it never edits
//! text itself, and no other code re-detects its problem to fix it.
//!
//! A rule's documentation is the doc comment on its type, written under
//! `## What it does`, `## Why is this bad?` and `## Example`; the
//! `declare_rule!` macro keeps it in [`RuleMeta::doc`] so that
//! `chatlint rule NAME` prints exactly what rustdoc shows.

mod broken_image_url;
pub mod diagnostic;
mod duplicate_message;
mod escaped_html_entity;
mod front_matter;
mod header_layout;
mod heading_missing_space;
mod image_time;
mod image_time_mismatch;
mod image_url_pattern;
mod invisible_character;
mod lost_character;
mod malformed_timestamp;
mod missing_day_heading;
pub mod options;
mod redact;
pub mod registry;
mod settings;
pub mod time_order;
mod time_runs_backwards;
mod unreachable_image;
mod unused_suppression;

pub use broken_image_url::BrokenImageUrl;
pub use duplicate_message::{
    keeps_earlier, DuplicateMessage, DuplicateMessageOptions, Keep, Percent,
};
pub use escaped_html_entity::EscapedHtmlEntity;
pub use front_matter::{FrontMatterOptions, FrontMatterRule};
pub use header_layout::HeaderLayout;
pub use heading_missing_space::{HeadingMissingSpace, HeadingMissingSpaceOptions};
pub use image_time_mismatch::{ImageTimeMismatch, ImageTimeMismatchOptions};
pub use image_url_pattern::{ImageUrlPattern, ImageUrlPatternOptions};
pub(crate) use invisible_character::usual_line_break;
pub use invisible_character::InvisibleCharacter;
pub use lost_character::{LostCharacter, LostCharacterOptions, MentionSeparator};
pub use malformed_timestamp::MalformedTimestamp;
pub use missing_day_heading::MissingDayHeading;
pub use options::{OptionDoc, OptionsType, RuleOptions};
pub use redact::{Redact, RedactOptions};
pub use settings::{RuleSettings, Settings};
pub use time_runs_backwards::TimeRunsBackwards;
pub use unreachable_image::UnreachableImage;
pub use unused_suppression::UnusedSuppression;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Transcript;

/// Whether a rule's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    Always,
    Sometimes,
    None,
}

/// What identifies and documents a rule.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable code, e.g. `CL101`; a prefix such as `CL1` names a group.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `heading-missing-space`.
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// Whether the rule runs unless configured otherwise.
    pub default_enabled: bool,
    /// The type of the rule's options, if it has any (see [`options`]).
    #[serde(serialize_with = "serialize_options")]
    pub options: Option<&'static dyn OptionsType>,
    /// Options the rule once had: configuring one is an error that says
    /// why it went, not an unknown option.
    #[serde(skip)]
    pub retired_options: &'static [RetiredOption],
    /// The rule's doc comment, in Markdown.
    pub doc: &'static str,
}

/// An option a rule no longer has, and what to do instead.
#[derive(Debug)]
pub struct RetiredOption {
    pub name: &'static str,
    /// Why it went, in a sentence.
    pub why: &'static str,
    /// What to write instead.
    pub instead: &'static str,
}

fn serialize_options<S: serde::Serializer>(
    options: &Option<&'static dyn OptionsType>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(options.map(options::documentation).unwrap_or_default())
}

impl RuleMeta {
    /// Each option: name, what it takes, default and doc comment.
    pub fn option_docs(&self) -> Vec<OptionDoc> {
        self.options.map(options::documentation).unwrap_or_default()
    }

    /// The doc comment without the one space rustdoc keeps after `///`.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first paragraph under `## What it does`, on one line.
    pub fn summary(&self) -> String {
        let documentation = self.documentation();
        documentation
            .lines()
            .skip_while(|line| !line.starts_with("## What it does"))
            .skip(1)
            .skip_while(|line| line.trim().is_empty())
            .take_while(|line| !line.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Facts about the whole file that rules need even when they see one part
/// of a large file (see [`crate::linter::check_in`]): each worked out once
/// per check, in one pass, without the model.
#[derive(Debug, Default)]
pub struct WholeFile<'a> {
    /// The headers of each speaker whose name has a `?` (maybe a lost
    /// character, which `lost-character` reports once a file). Only those:
    /// hashing every header's speaker cost 4 % of a check of the archive.
    lost_speakers: foldhash::HashMap<&'a str, SpeakerHeaders>,
    /// How many line breaks of each kind (LF, CRLF, lone CR) the file has;
    /// `None` when it has no carriage return, so nothing to mix.
    line_breaks: Option<[usize; 3]>,
    /// Where message times go down, in order (see [`time_order`]).
    time_drops: Vec<time_order::TimeDrop>,
    text: &'a str,
    /// The names its speakers and mentions show (for `lost-character`,
    /// gathered when it first asks: only files with an `@` or a `?` in a
    /// name pay for them).
    names: std::sync::OnceLock<lost_character::KnownNames>,
    /// Whether the file reads as a merge of two exports, found when
    /// `duplicate-message` first asks.
    twin_evidence: std::sync::OnceLock<crate::twins::Evidence>,
}

/// One speaker's headers in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeakerHeaders {
    /// Where the first header with this speaker starts.
    pub first: usize,
    pub count: usize,
}

impl<'a> WholeFile<'a> {
    /// The facts of `text`, the file at `path` (if any), whose front matter
    /// is `front_matter` and whose message headers and day headings are
    /// `outline`, in order.
    pub fn new(
        text: &'a str,
        path: Option<&std::path::Path>,
        front_matter: Option<&crate::model::FrontMatter>,
        outline: impl IntoIterator<Item = crate::parser::OutlineItem>,
    ) -> Self {
        let mut lost_speakers = foldhash::HashMap::default();
        let headers = outline.into_iter().inspect(|item| {
            if let crate::parser::OutlineItem::Header(header) = item {
                let speaker = header.speaker(text);
                if memchr::memchr(b'?', speaker.as_bytes()).is_none() {
                    return;
                }
                lost_speakers
                    .entry(speaker)
                    .and_modify(|seen: &mut SpeakerHeaders| seen.count += 1)
                    .or_insert(SpeakerHeaders {
                        first: header.span.start,
                        count: 1,
                    });
            }
        });
        let time_drops = time_order::time_drops(headers, file_date(text, path, front_matter));
        Self {
            lost_speakers,
            line_breaks: invisible_character::count_line_breaks(text),
            time_drops,
            text,
            names: std::sync::OnceLock::new(),
            twin_evidence: std::sync::OnceLock::new(),
        }
    }

    /// The drops in time of the messages whose headers start in `range`.
    pub fn time_drops(&self, range: std::ops::Range<usize>) -> &[time_order::TimeDrop] {
        let from = self
            .time_drops
            .partition_point(|d| d.header.start < range.start);
        let to = self
            .time_drops
            .partition_point(|d| d.header.start < range.end);
        &self.time_drops[from..to]
    }

    /// The headers of one speaker whose name has a `?`, by name (`None`
    /// for any other name).
    pub fn lost_speaker(&self, name: &str) -> Option<SpeakerHeaders> {
        self.lost_speakers.get(name).copied()
    }

    /// How many LF, CRLF and lone CR line breaks the file has; `None` when
    /// it has no carriage return.
    pub fn line_breaks(&self) -> Option<[usize; 3]> {
        self.line_breaks
    }

    /// The names the file's speakers and mentions show: from `transcript`
    /// when it is the whole file (its lines and inline elements already
    /// parsed), else from the text.
    pub fn names(&self, transcript: &Transcript) -> &lost_character::KnownNames {
        self.names.get_or_init(|| {
            if transcript.start == 0 && transcript.end == self.text.len() {
                return lost_character::KnownNames::of_transcript(self.text, transcript);
            }
            let speakers =
                crate::parser::headers(self.text).map(|header| header.speaker(self.text));
            lost_character::KnownNames::new(self.text, speakers)
        })
    }

    /// Whether the file reads as a merge of two exports, and which names
    /// it pairs up ([`crate::twins::Evidence`]), worked out once: from
    /// `transcript` when it is the whole file, else from the text a part
    /// at a time.
    pub fn twin_evidence(
        &self,
        transcript: &Transcript,
        options: &crate::twins::TwinOptions,
    ) -> &crate::twins::Evidence {
        self.twin_evidence.get_or_init(|| {
            if transcript.start == 0 && transcript.end == self.text.len() {
                crate::twins::Evidence::of_transcript(self.text, transcript, options)
            } else {
                crate::twins::Evidence::of_text(self.text, options)
            }
        })
    }
}

/// The date of a file's messages before any day heading: its front
/// matter's `date`, else the `YYYY-MM-DD` its file name starts with (as
/// `convert` dates them).
fn file_date(
    text: &str,
    path: Option<&std::path::Path>,
    front_matter: Option<&crate::model::FrontMatter>,
) -> Option<crate::model::Date> {
    let front_matter_date = front_matter.and_then(|front_matter| {
        crate::parser::front_matter_fields(text, front_matter)
            .into_iter()
            .find(|field| field.key == "date")
            .map(|field| &text[field.value_span])
    });
    crate::parser::file_date(front_matter_date, path)
}

/// What a rule sees of one file.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub text: &'a str,
    /// The file, when there is one (stdin may name one with `--stdin-filename`).
    pub path: Option<&'a std::path::Path>,
    /// The file's model, or for a large file the model of the part being
    /// checked (with the messages before it that the rules need). A rule
    /// that scans `text` itself scans `transcript.start..transcript.end`.
    pub transcript: &'a Transcript,
    /// What the rules need to know of the whole file.
    pub whole_file: &'a WholeFile<'a>,
    /// Severities and options from the configuration.
    pub settings: &'a Settings,
    /// The online pass's verdicts on image URLs (`check --online`), which
    /// `unreachable-image` reports from; none without `--online`.
    pub online: Option<&'a crate::online::Verdicts>,
}

impl Context<'_> {
    /// The drops in time of the messages this model covers (see
    /// [`time_order`]), worked out over the whole file.
    pub fn time_drops(&self) -> &[time_order::TimeDrop] {
        self.whole_file
            .time_drops(self.transcript.start..self.transcript.end)
    }
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>);

    /// Whether `transcript`, parsed from some message before `start` to
    /// the end of a part of a large text that begins at `start`, holds all
    /// this rule reads to judge the messages from `start` on. A large
    /// transcript is checked a part at a time (see
    /// [`crate::linter::check_in`]), each part with the one before it and
    /// more for as long as a rule says no here. Most rules judge each
    /// message, line or image on its own: yes.
    fn sees_enough_before(
        &self,
        _transcript: &Transcript,
        _start: usize,
        _settings: &Settings,
    ) -> bool {
        true
    }

    /// Whether this rule reports only from the online pass's verdicts
    /// (`check --online`): without them it does not run, so a suppression
    /// comment naming it is neither used nor unused (see
    /// [`crate::suppression::RulesRun`]).
    fn needs_online(&self) -> bool {
        false
    }

    /// How many messages before the one it judges this rule reads, at
    /// most: what a text fixed a part at a time must keep of the parts
    /// before (see [`crate::convert::markdown::write_in_chunks`]). Most
    /// rules judge each message on its own: none.
    fn messages_back(&self, _settings: &Settings) -> usize {
        0
    }
}

/// Declares a rule type and its [`RuleMeta`], keeping the doc comment; with
/// `options: TYPE`, the type of its options (see [`options`]) and
/// `TYPE::options(settings)` to read them.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $type:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            fix: $fix:ident
            $(, default_enabled: $enabled:literal)?
            $(, options: $options:ty)?
            $(, retired_options: $retired:expr)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $type;

        impl $type {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::rules::FixAvailability::$fix,
                default_enabled: $crate::rules::declare_rule!(@enabled $($enabled)?),
                options: $crate::rules::declare_rule!(@options $($options)?),
                retired_options: $crate::rules::declare_rule!(@retired $($retired)?),
                doc: concat!($($doc, "\n"),*),
            };
        }

        $(
            impl $crate::rules::RuleOptions for $options {
                fn defaults() -> &'static Self {
                    static DEFAULTS: std::sync::LazyLock<$options> =
                        std::sync::LazyLock::new(<$options>::default);
                    &DEFAULTS
                }
            }

            impl $type {
                /// This rule's options in `settings`: those configured, else
                /// the defaults.
                pub fn options(settings: &$crate::rules::Settings) -> &$options {
                    settings.options::<$options>(&Self::META)
                }
            }
        )?
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@retired) => { &[] };
    (@retired $retired:expr) => { $retired };
    (@options) => { None };
    (@options $options:ty) => {
        Some(&$crate::rules::options::Typed::<$options>(std::marker::PhantomData))
    };
}
pub(crate) use declare_rule;
