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
pub mod options;
mod redact;
pub mod registry;
mod settings;
mod time_runs_backwards;
mod unreachable_image;
mod unused_suppression;

pub use broken_image_url::BrokenImageUrl;
pub use duplicate_message::{DuplicateMessage, DuplicateMessageOptions, Keep};
pub use escaped_html_entity::EscapedHtmlEntity;
pub use front_matter::{FrontMatterOptions, FrontMatterRule};
pub use header_layout::HeaderLayout;
pub use heading_missing_space::HeadingMissingSpace;
pub use image_time_mismatch::{ImageTimeMismatch, ImageTimeMismatchOptions};
pub use image_url_pattern::{ImageUrlPattern, ImageUrlPatternOptions};
pub use invisible_character::InvisibleCharacter;
pub use lost_character::{LostCharacter, LostCharacterOptions, MentionSeparator};
pub use malformed_timestamp::MalformedTimestamp;
pub use options::{OptionDoc, OptionsType, RuleOptions};
pub use redact::{Redact, RedactOptions};
pub use settings::Settings;
pub use time_runs_backwards::{TimeRunsBackwards, TimeRunsBackwardsOptions};
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
    /// The rule's doc comment, in Markdown.
    pub doc: &'static str,
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
    speakers: std::collections::HashMap<&'a str, SpeakerHeaders>,
    /// How many line breaks of each kind (LF, CRLF, lone CR) the file has;
    /// `None` when it has no carriage return, so nothing to mix.
    line_breaks: Option<[usize; 3]>,
    /// The text, and the names its speakers and mentions show (for
    /// `lost-character`, gathered when it first asks).
    text: &'a str,
    names: std::sync::OnceLock<lost_character::KnownNames>,
}

/// One speaker's headers in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeakerHeaders {
    /// Where the first header with this speaker starts.
    pub first: usize,
    pub count: usize,
}

impl<'a> WholeFile<'a> {
    /// The facts of `text`, whose message headers are `headers`.
    pub fn new(text: &'a str, headers: impl IntoIterator<Item = crate::model::Header>) -> Self {
        let mut speakers = std::collections::HashMap::new();
        for header in headers {
            speakers
                .entry(header.speaker(text))
                .and_modify(|seen: &mut SpeakerHeaders| seen.count += 1)
                .or_insert(SpeakerHeaders {
                    first: header.span.start,
                    count: 1,
                });
        }
        Self {
            speakers,
            line_breaks: invisible_character::count_line_breaks(text),
            text,
            names: std::sync::OnceLock::new(),
        }
    }

    /// The headers of one speaker, by name.
    pub fn speaker(&self, name: &str) -> Option<SpeakerHeaders> {
        self.speakers.get(name).copied()
    }

    /// How many LF, CRLF and lone CR line breaks the file has; `None` when
    /// it has no carriage return.
    pub fn line_breaks(&self) -> Option<[usize; 3]> {
        self.line_breaks
    }

    /// The names the file's speakers and mentions show.
    pub fn names(&self) -> &lost_character::KnownNames {
        self.names.get_or_init(|| {
            lost_character::KnownNames::new(self.text, self.speakers.keys().copied())
        })
    }
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
    (@options) => { None };
    (@options $options:ty) => {
        Some(&$crate::rules::options::Typed::<$options>(std::marker::PhantomData))
    };
}
pub(crate) use declare_rule;
