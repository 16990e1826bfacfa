//! The integration tests, as one test binary: one module per area, all on
//! the one harness in `harness/`.
//!
//! | module | what |
//! |---|---|
//! | `smoke` | the binary starts and says its version; usage errors exit 2 |
//! | `time_exact` | `now +FORMAT`, `when` and `at` against GNU `date` and Python's `zoneinfo`, in every zone |
//! | `cli_fast_path` | the command lines read without clap (`now`, `bar --once`, plain `when`) against clap, over generated argument lists |
//! | `cli_time` | `now`, `when`, `at`, `completions`, `man`: exact output |
//! | `cli_next_config` | `next` and `config`, and the configuration file |
//! | `cli_ics` | `next --ics` read back by Python's icalendar, imported by calcurse and khal; `--until`, `-o` |
//! | `cli_world` | `when`/`next --world` and `--share` against Python's zoneinfo; `[world]` in the config |
//! | `bar` | `bar`: every format across a milestone (libfaketime); stepping, SIGSTOP/SIGCONT, `--once` |
//! | `bar_real` | real status bars on the segment, started by the README's snippets: i3bar under i3 and polybar in Xvfb, Waybar in a headless sway; screenshots and logs |
//! | `watch_lines` | `watch` into pipes: `--plain` and `--json` lines |
//! | `watch_tty` | `watch` full screen in a real terminal (tmux) |
//! | `alerts_e2e` | the daemon's alerts on a private desktop (D-Bus, Xvfb, dunst) |
//! | `alerts_watch_e2e` | the watcher's alerts, and time kept while they fail |
//! | `countdown` | the final countdown: one notification updated in place each second, becoming the milestone's; with a hung server, a restarted bus, reloads |
//! | `notify_bus` | labels reach the user as written in every notification kind; one kept bus connection; a restarted dunst or bus |
//! | `delivery` | the delivery contract against faults: random kills, a full disk, an immutable or future state, two daemons |
//! | `hostile` | generated hostile arguments and config files: no panic, no hang, errors in one line |
//! | `layout` | the source's shape: file and function lengths, imports between layers, `unsafe` only in the clock |
//! | `engine_sim` | the engine over ten simulated years with clock jumps |
//! | `milestone_props` | every milestone rule against brute force |
//! | `render` | the full-screen display in memory, at sizes down to 1x1 |
//! | `screen_writer` | the live display's partial updates replayed on vt100 |
//! | `vm_kernel` | clock steps and suspend on a real kernel (a QEMU guest) |

mod harness;

mod alerts_e2e;
mod alerts_watch_e2e;
mod bar;
mod bar_real;
mod cli_fast_path;
mod cli_ics;
mod cli_next_config;
mod cli_time;
mod cli_world;
mod countdown;
mod delivery;
mod engine_sim;
mod hostile;
mod layout;
mod milestone_props;
mod notify_bus;
mod render;
mod screen_writer;
mod smoke;
mod time_exact;
mod vm_kernel;
mod watch_lines;
mod watch_tty;
