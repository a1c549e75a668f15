//! `Span`: the one offset type, half-open byte offsets into a document's text.

use std::ops::Range;

/// A half-open range of byte offsets `start..end` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span from offsets already known to be valid for their text.
    ///
    /// Panics when `start > end`: that is a bug in the caller, never bad input.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} after end {end}");
        Span { start: start as u32, end: end as u32 }
    }

    /// A span checked against `text`: in bounds, ordered, on char boundaries.
    pub fn checked(text: &str, start: usize, end: usize) -> Option<Span> {
        (start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end))
            .then(|| Span::new(start, end))
    }

    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    #[inline]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    #[inline]
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    #[inline]
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    #[inline]
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    #[inline]
    pub fn slice(self, text: &str) -> &str {
        &text[self.range()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_rejects_bad_offsets() {
        let text = "Russia’s";
        assert_eq!(Span::checked(text, 0, 6).map(|s| s.slice(text)), Some("Russia"));
        assert_eq!(Span::checked(text, 0, 7), None, "inside the curly apostrophe");
        assert_eq!(Span::checked(text, 3, 2), None);
        assert_eq!(Span::checked(text, 0, 100), None);
    }

    #[test]
    fn overlap_and_cover() {
        let a = Span::new(0, 5);
        let b = Span::new(5, 9);
        assert!(!a.overlaps(b));
        assert!(a.overlaps(Span::new(4, 6)));
        assert_eq!(a.cover(b), Span::new(0, 9));
        assert!(a.cover(b).contains(b));
    }
}
