//! Big digits for the full-screen counter: a 3x5 cell font, scaled to fit.

/// Each glyph is 5 rows of 3 cells; '#' is filled.
const GLYPHS: [[&str; 5]; 10] = [
    ["###", "# #", "# #", "# #", "###"],
    ["  #", "  #", "  #", "  #", "  #"],
    ["###", "  #", "###", "#  ", "###"],
    ["###", "  #", "###", "  #", "###"],
    ["# #", "# #", "###", "  #", "  #"],
    ["###", "#  ", "###", "  #", "###"],
    ["###", "#  ", "###", "# #", "###"],
    ["###", "  #", "  #", "  #", "  #"],
    ["###", "# #", "###", "# #", "###"],
    ["###", "# #", "###", "  #", "###"],
];

const MINUS: [&str; 5] = ["   ", "   ", "###", "   ", "   "];

pub const GLYPH_WIDTH: u16 = 3;
pub const GLYPH_HEIGHT: u16 = 5;

/// A horizontal and vertical magnification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub x: u16,
    pub y: u16,
}

/// The sizes tried, largest first.
pub const SCALES: [Scale; 3] = [
    Scale { x: 2, y: 2 },
    Scale { x: 2, y: 1 },
    Scale { x: 1, y: 1 },
];

/// Width and height in cells of `text` rendered at `scale` (one scaled gap between glyphs).
pub fn size(text: &str, scale: Scale) -> (u16, u16) {
    let n = text.chars().count() as u16;
    if n == 0 {
        return (0, 0);
    }
    let width = n * GLYPH_WIDTH * scale.x + (n - 1) * scale.x;
    (width, GLYPH_HEIGHT * scale.y)
}

/// The largest scale at which `text` fits in `width` x `height`, if any.
pub fn fitting_scale(text: &str, width: u16, height: u16) -> Option<Scale> {
    SCALES.into_iter().find(|&scale| {
        let (w, h) = size(text, scale);
        w <= width && h <= height
    })
}

/// The glyph of `ch`: a digit, or the minus sign for anything else.
pub fn glyph(ch: char) -> &'static [&'static str; 5] {
    match ch.to_digit(10) {
        Some(d) => &GLYPHS[d as usize],
        None => &MINUS,
    }
}

/// Append `cells` (a slice of a glyph row, '#' filled) magnified `scale_x`
/// times across: '█' for a filled cell, ' ' for an empty one.
pub fn push_cells(out: &mut Vec<u8>, cells: &str, scale_x: u16) {
    for cell in cells.bytes() {
        let c: &[u8] = if cell == b'#' { "█".as_bytes() } else { b" " };
        for _ in 0..scale_x {
            out.extend_from_slice(c);
        }
    }
}

/// Append glyph row `row` (0..GLYPH_HEIGHT) of all of `text` at `scale`, with
/// the gaps between glyphs: one full row of the big digits.
pub fn push_row(out: &mut Vec<u8>, text: &str, row: usize, scale: Scale) {
    for (i, ch) in text.chars().enumerate() {
        if i > 0 {
            push_cells(out, " ", scale.x);
        }
        push_cells(out, glyph(ch)[row], scale.x);
    }
}

/// Render `text` (digits and '-') as rows of '█' and ' '.
pub fn render(text: &str, scale: Scale) -> Vec<String> {
    let mut rows = Vec::with_capacity(usize::from(GLYPH_HEIGHT * scale.y));
    for row in 0..usize::from(GLYPH_HEIGHT) {
        let mut line = Vec::new();
        push_row(&mut line, text, row, scale);
        // Only '█' and ' ' were pushed, so nothing is lost.
        let line = String::from_utf8_lossy(&line).into_owned();
        for _ in 0..scale.y {
            rows.push(line.clone());
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_with_digits() {
        assert_eq!(size("1234567890", Scale { x: 1, y: 1 }), (39, 5));
        assert_eq!(size("1234567890", Scale { x: 2, y: 2 }), (78, 10));
        assert_eq!(size("", Scale { x: 1, y: 1 }), (0, 0));
    }

    #[test]
    fn picks_the_largest_fitting_scale() {
        assert_eq!(
            fitting_scale("1234567890", 80, 24),
            Some(Scale { x: 2, y: 2 })
        );
        assert_eq!(
            fitting_scale("1234567890", 80, 6),
            Some(Scale { x: 2, y: 1 })
        );
        assert_eq!(
            fitting_scale("1234567890", 40, 5),
            Some(Scale { x: 1, y: 1 })
        );
        assert_eq!(fitting_scale("1234567890", 38, 5), None);
    }

    #[test]
    fn renders_a_minus_and_scales() {
        let rows = render("-7", Scale { x: 2, y: 1 });
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[2], "██████      ██");
        assert_eq!(rows[4], "            ██");
    }

    #[test]
    fn renders_a_one() {
        let rows = render("1", Scale { x: 1, y: 1 });
        assert_eq!(rows, vec!["  █"; 5]);
    }
}
