//! Unit tests of the drawing (the comparison with miette is
//! `tests/full_renderer.rs`).

use super::*;

#[test]
fn digits_counts_as_to_string_does() {
    for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
        assert_eq!(digits(n), n.to_string().len());
        let mut out = String::from("x");
        push_number(&mut out, n);
        assert_eq!(out, format!("x{n}"));
    }
}

#[test]
fn spaces_and_repeats_are_as_many_as_asked() {
    for n in [0, 1, 31, 32, 33, 100] {
        let mut out = String::new();
        push_spaces(&mut out, n);
        assert_eq!(out, " ".repeat(n));
        out.clear();
        push_repeated(&mut out, '─', n);
        assert_eq!(out, "─".repeat(n));
    }
}

#[test]
fn wrap_indents_as_miette_does() {
    let mut out = String::new();
    wrap(&mut out, "one\n\n  \ntwo\n", "  help: ", "        ");
    assert_eq!(out, "  help: one\n\n  \n        two\n");
    out.clear();
    wrap(&mut out, " ", "  × ", "  │ ");
    assert_eq!(out, "  × ");
    for text in ["", "one", "  ", "one\n", "\n", "a\nb", "\u{3000}"] {
        let mut fast = String::new();
        wrap(&mut fast, text, "  × ", "  │ ");
        let mut slow = String::new();
        wrap_lines(&mut slow, text, "  × ", "  │ ");
        assert_eq!(fast, slow, "{text:?}");
    }
}
