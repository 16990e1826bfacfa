//! Where a dotted key too deep for the TOML parser is. `toml` refuses a key
//! of more parts than its recursion limit (`[a.a.a…]` 5,000 deep) with
//! "recursion limit" and no place; this finds the deepest dotted key with
//! the same lexer and event parser (`toml_parser`), so the message can name
//! its line and column. Run only on that error: one linear pass.

use toml_parser::parser::EventReceiver;
use toml_parser::{ErrorSink, Source, Span};

/// The deepest dotted key of `text`: the byte offset of its first part and
/// how many parts it has; None when there is no key at all.
pub fn deepest(text: &str) -> Option<(usize, usize)> {
    let tokens = Source::new(text).lex().into_vec();
    let mut keys = KeyRuns::default();
    toml_parser::parser::parse_document(&tokens, &mut keys, &mut ());
    keys.deepest
}

/// Runs of `part . part . part`, whitespace allowed between them.
#[derive(Default)]
struct KeyRuns {
    /// The run being read: its start and parts so far.
    current: Option<(usize, usize)>,
    /// A `.` was read after the current run's last part.
    after_dot: bool,
    deepest: Option<(usize, usize)>,
}

impl KeyRuns {
    fn other(&mut self) {
        self.current = None;
        self.after_dot = false;
    }
}

impl EventReceiver for KeyRuns {
    fn simple_key(
        &mut self,
        span: Span,
        _kind: Option<toml_parser::decoder::Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        let run = match self.current {
            Some((start, parts)) if self.after_dot => (start, parts + 1),
            _ => (span.start(), 1),
        };
        self.current = Some(run);
        self.after_dot = false;
        if self.deepest.is_none_or(|(_, parts)| run.1 > parts) {
            self.deepest = Some(run);
        }
    }
    fn key_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.after_dot = self.current.is_some();
    }
    fn whitespace(&mut self, _span: Span, _error: &mut dyn ErrorSink) {}
    fn std_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn array_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn array_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn inline_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.other();
        true
    }
    fn inline_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn array_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.other();
        true
    }
    fn array_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn key_val_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn scalar(
        &mut self,
        _span: Span,
        _kind: Option<toml_parser::decoder::Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        self.other();
    }
    fn value_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn comment(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn newline(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.other();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_deepest_dotted_key() {
        assert_eq!(deepest("x = 1\n[a.b]\n[ c . 'd.e' . f ]\n"), Some((14, 3)));
        assert_eq!(deepest("a.b = { c.d.e.f = 1 }"), Some((8, 4)));
        assert_eq!(deepest("v = [1.5, 2.5]"), Some((0, 1)));
        assert_eq!(deepest(""), None);
    }
}
