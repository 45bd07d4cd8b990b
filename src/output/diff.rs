//! `check --diff`: the fixes as a unified diff.

/// A unified diff with `a/` and `b/` headers, as `git apply` and `patch -p1` read.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
