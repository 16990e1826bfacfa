//! A fast path for big milestone lists.
//!
//! The `toml` crate tokenizes the whole document into vectors and builds a
//! tree before deserializing; for 100,000 milestones that is ~100 MB and
//! ~100 ms. When the file *starts* with a `milestones = [...]` array written
//! in the plain subset below, this module reads that array by hand and hands
//! the rest of the document (with the array emptied but every later byte at
//! the same offset, so that lines and columns stay right) to `toml` as usual.
//!
//! The subset: decimal integers (no `_`, no leading zeros), basic strings
//! without escapes, comments, and one-line inline tables whose keys are
//! `at`, `label`, `notify` and `rule`. Anything else, including anything
//! that is an error, returns `None` and the whole file goes through `toml`,
//! which then reports exactly what it always does. The tests compare both
//! paths.

use std::ops::Range;

use toml::Spanned;

use super::raw::{RawInstant, RawMilestone, RawMilestoneTable};

/// The milestones read by hand, and the document without them.
pub struct FastMilestones {
    pub items: Vec<Spanned<RawMilestone>>,
    /// The input with the array emptied, every later byte at the same offset.
    pub rest: String,
}

pub fn scan(text: &str) -> Option<FastMilestones> {
    let bytes = text.as_bytes();
    let open = find_array_start(bytes)?;
    let mut p = Parser {
        bytes,
        pos: open + 1,
    };
    let mut items = Vec::new();
    loop {
        p.skip_blank_lines()?;
        if p.peek()? == b']' {
            break;
        }
        items.push(p.value()?);
        p.skip_blank_lines()?;
        match p.peek()? {
            b',' => p.pos += 1,
            b']' => break,
            _ => return None,
        }
    }
    let close = p.pos; // at ']'
    // Keep `[` and `]` where they are and turn what is between into one
    // comment and a newline: the same byte offsets for everything after, and
    // almost nothing for the generic parser to tokenize.
    let inner = close - open - 1;
    let mut rest = String::with_capacity(text.len());
    rest.push_str(&text[..=open]);
    match inner {
        0 => {}
        1 => rest.push(' '),
        n => {
            rest.push('#');
            rest.extend(std::iter::repeat_n(' ', n - 2));
            rest.push('\n');
        }
    }
    rest.push_str(&text[close..]);
    debug_assert_eq!(rest.len(), text.len());
    Some(FastMilestones { items, rest })
}

/// The offset of `[` when the first line that is not blank or a comment is
/// `milestones = [`.
fn find_array_start(bytes: &[u8]) -> Option<usize> {
    let mut pos = 0;
    loop {
        while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n')) {
            pos += 1;
        }
        if bytes.get(pos) == Some(&b'\r') && bytes.get(pos + 1) == Some(&b'\n') {
            pos += 2;
            continue;
        }
        if bytes.get(pos) == Some(&b'#') {
            pos = skip_comment(bytes, pos)?;
            continue;
        }
        break;
    }
    let rest = bytes.get(pos..)?;
    let key = b"milestones";
    if !rest.starts_with(key) {
        return None;
    }
    pos += key.len();
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    if bytes.get(pos) != Some(&b'=') {
        return None;
    }
    pos += 1;
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    (bytes.get(pos) == Some(&b'[')).then_some(pos)
}

/// Skip a comment starting at `#`; returns the offset of the newline (or end).
/// Control characters other than tab are not allowed in TOML comments.
fn skip_comment(bytes: &[u8], mut pos: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\n' => return Some(pos),
            b'\r' => return (bytes.get(pos + 1) == Some(&b'\n')).then_some(pos),
            b'\t' => {}
            0..=0x1f | 0x7f => return None,
            _ => {}
        }
        pos += 1;
    }
    Some(pos)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Spaces, newlines and comments, as allowed between array elements.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            match self.peek()? {
                b' ' | b'\t' | b'\n' => self.pos += 1,
                b'\r' if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                b'#' => self.pos = skip_comment(self.bytes, self.pos)?,
                _ => return Some(()),
            }
        }
    }

    fn value(&mut self) -> Option<Spanned<RawMilestone>> {
        let start = self.pos;
        let value = match self.peek()? {
            b'"' => RawMilestone::Spec(self.string()?),
            b'{' => RawMilestone::Table(Box::new(self.table()?)),
            _ => RawMilestone::Int(self.integer()?),
        };
        Some(Spanned::new(start..self.pos, value))
    }

    /// Is the byte after a scalar one that may end it?
    fn at_delimiter(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}' | b'#')
        )
    }

    fn integer(&mut self) -> Option<i64> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let digits = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let len = self.pos - digits;
        if len == 0 || (len > 1 && self.bytes[digits] == b'0') || !self.at_delimiter() {
            return None;
        }
        std::str::from_utf8(&self.bytes[start..self.pos])
            .ok()?
            .parse()
            .ok()
    }

    /// A basic string without escapes or control characters.
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.pos..self.pos + 3) == Some(b"\"\"\"") {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..=0x08 | 0x0a..=0x1f | 0x7f => return None,
                _ => self.pos += 1,
            }
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        self.pos += 1;
        Some(text.to_owned())
    }

    fn boolean(&mut self) -> Option<bool> {
        let rest = self.bytes.get(self.pos..)?;
        let (value, len) = if rest.starts_with(b"true") {
            (true, 4)
        } else if rest.starts_with(b"false") {
            (false, 5)
        } else {
            return None;
        };
        self.pos += len;
        self.at_delimiter().then_some(value)
    }

    /// `{ key = value, ... }` on one line, keys at/label/notify/rule, each once.
    fn table(&mut self) -> Option<RawMilestoneTable> {
        self.pos += 1;
        let mut table = RawMilestoneTable {
            at: None,
            rule: None,
            label: None,
            notify: None,
        };
        loop {
            self.skip_spaces();
            let key_start = self.pos;
            while matches!(self.peek(), Some(b'a'..=b'z')) {
                self.pos += 1;
            }
            let key = &self.bytes[key_start..self.pos];
            self.skip_spaces();
            if self.peek()? != b'=' {
                return None;
            }
            self.pos += 1;
            self.skip_spaces();
            match key {
                b"at" if table.at.is_none() => {
                    let start = self.pos;
                    let instant = if self.peek()? == b'"' {
                        RawInstant::Text(self.string()?)
                    } else {
                        RawInstant::Epoch(self.integer()?)
                    };
                    let span: Range<usize> = start..self.pos;
                    table.at = Some(Spanned::new(span, instant));
                }
                b"label" if table.label.is_none() && self.peek()? == b'"' => {
                    table.label = Some(self.string()?);
                }
                b"rule" if table.rule.is_none() && self.peek()? == b'"' => {
                    table.rule = Some(self.string()?);
                }
                b"notify" if table.notify.is_none() => table.notify = Some(self.boolean()?),
                _ => return None,
            }
            self.skip_spaces();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(table);
                }
                _ => return None,
            }
        }
    }
}
