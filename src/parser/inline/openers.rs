//! Finding the next character of a line that may open an inline, eight
//! bytes at a time.

#[cfg(doc)]
use super::parse_inlines;

/// The bytes that can start a character handled in [`parse_inlines`]'s match:
/// `` ` `` `!` `[` `<` `@` `h`, and 0xEF, the lead byte of `！` (U+FF01). No
/// UTF-8 continuation byte is among them, so a hit is a character boundary.
pub(super) const MAY_OPEN_INLINE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = *b"`![<@h";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table[0xEF] = true;
    table
};

/// The first index from `from` on that may open an inline: a byte in
/// [`MAY_OPEN_INLINE`], `！` only among the characters led by 0xEF. Eight
/// bytes are tested at a time without branching: most bytes of a transcript
/// (CJK text) open nothing.
pub(super) fn next_opener(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = next_opener_byte(bytes, from)?;
        // 0xEF also leads the full-width punctuation of CJK text (`，` is
        // EF BC 8C): step over all but `！` (EF BC 81) here, where it is cheap.
        if bytes[at] != 0xEF || bytes.get(at + 1..at + 3) == Some(&[0xBC, 0x81]) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// The first index from `from` on whose byte is in [`MAY_OPEN_INLINE`].
fn next_opener_byte(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let mut chunks = rest.chunks_exact(8);
    let mut base = from;
    for chunk in &mut chunks {
        let hit = chunk
            .iter()
            .fold(false, |hit, &b| hit | MAY_OPEN_INLINE[usize::from(b)]);
        if hit {
            break;
        }
        base += 8;
    }
    bytes[base..]
        .iter()
        .position(|&b| MAY_OPEN_INLINE[usize::from(b)])
        .map(|i| base + i)
}
