//! Text in columns: each cell padded to its column's width (in characters),
//! two spaces between columns, nothing trailing. The one layout of `next`'s
//! milestone table and of the world table; widths are set before the rows
//! are written, so a table can be streamed once they are known.

/// The widths and alignment of `N` columns, and a line reused row to row.
pub struct Columns<const N: usize> {
    widths: [usize; N],
    right_aligned: [bool; N],
    line: String,
}

impl<const N: usize> Columns<N> {
    /// Columns as wide as their `headers`, aligned as `right_aligned` says.
    pub fn new(headers: &[&str; N], right_aligned: [bool; N]) -> Columns<N> {
        Columns {
            widths: headers.map(|h| h.chars().count()),
            right_aligned,
            line: String::with_capacity(128),
        }
    }

    /// Widen the columns to hold `cells`.
    pub fn fit(&mut self, cells: &[&str; N]) {
        for (width, cell) in self.widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }

    /// Widen the columns to at least `widths`.
    pub fn widen(&mut self, widths: [usize; N]) {
        for (width, at_least) in self.widths.iter_mut().zip(widths) {
            *width = (*width).max(at_least);
        }
    }

    /// The row of `cells`, after `indent`, without trailing blanks or a
    /// newline (valid until the next call).
    pub fn row(&mut self, indent: &str, cells: &[&str; N]) -> &str {
        self.line.clear();
        self.line.push_str(indent);
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push_str("  ");
            }
            let pad = self.widths[i].saturating_sub(cell.chars().count());
            if self.right_aligned[i] {
                self.line.extend(std::iter::repeat_n(' ', pad));
                self.line.push_str(cell);
            } else {
                self.line.push_str(cell);
                self.line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        self.line.trim_end()
    }
}
