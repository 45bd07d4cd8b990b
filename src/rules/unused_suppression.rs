use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that suppresses nothing:
    /// `<!-- chatlint-disable-next-line RULE -->` over a line without that
    /// finding, a `chatlint-disable` range or `chatlint-disable-file` with no
    /// finding to hide, an `chatlint-enable` with nothing disabled, one rule of
    /// several that is never needed, and a rule name that does not exist.
    ///
    /// The suppression comments are:
    /// - `<!-- chatlint-disable-next-line RULE … -->`: the next line;
    /// - `<!-- chatlint-disable-line RULE … -->`: its own line;
    /// - `<!-- chatlint-disable RULE … -->` … `<!-- chatlint-enable RULE … -->`: a range;
    /// - `<!-- chatlint-disable-file RULE … -->`: the whole file.
    ///
    /// Rules are named by code, name or code prefix, separated by spaces or
    /// commas; without a rule, a comment applies to every rule.
    ///
    /// A rule that did not run cannot tell whether its comment is needed: one
    /// the configuration leaves off (the comment may be for another
    /// configuration), or `unreachable-image` without `--online`. Such a rule
    /// in a comment is never reported, and a comment that names one is never
    /// removed whole: only the rules that ran and are not needed go.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it hid: after the text is fixed, it
    /// would silently hide the next real finding on that line.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- chatlint-disable-next-line heading-missing-space -->
    /// ## 背景 (already has its space)
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix removes the comment (its whole line when it stands
    /// alone), or only the rule that is not needed. A rule name that does not
    /// exist gets no fix: it may be a typo of one that does.
    pub struct UnusedSuppression {
        code: "CL900",
        name: "unused-suppression",
        severity: Warning,
        fix: Sometimes,
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Nothing here: whether a suppression was used is known only after every
    /// other rule ran, so [`crate::suppression`] reports it.
    fn check(&self, _context: &Context<'_>, _diagnostics: &mut Vec<Diagnostic>) {}
}
