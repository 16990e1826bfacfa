//! What the commands print, where it is more than a line: the formats that
//! a command writes, or that two commands share, each in its own file (as
//! hyperfine keeps its exports apart from its commands).
//!
//! - `milestone_table`: `next`'s table, streamed with its columns aligned;
//! - `world_table`: the cities at one instant, as a table or JSON (`--world`);
//! - `share_line`: the one line to paste (`--share`);
//! - `ics`: `next --ics`, an iCalendar file;
//! - `columns`: the column layout of the two tables.

mod columns;
pub mod ics;
pub mod milestone_table;
pub mod share_line;
pub mod world_table;
