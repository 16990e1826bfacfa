//! What an alert says: notification summary and body, the daemon's log
//! line, and the small formatting helpers they share. Pure.

use super::{Alert, AlertKind};
use crate::engine::MissCause;
use crate::milestone::Epoch;
use crate::time::{Zone, duration_words, format_datetime, late_phrase};

/// The text of one notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub summary: String,
    pub body: String,
}

use crate::milestone::group_thousands;

/// "1,800,000,000 (1.8 billion)", or just the number when the label says nothing more.
fn named(epoch: Epoch, label: &str) -> String {
    let grouped = group_thousands(epoch);
    let label = label.trim();
    if label.is_empty() || label == grouped || label == epoch.to_string() {
        grouped
    } else {
        format!("{grouped} ({label})")
    }
}

/// The notification for an alert.
pub fn message(alert: &Alert, zone: Zone) -> Message {
    let m = &alert.milestone;
    let when = format_datetime(m.epoch, zone);
    match &alert.kind {
        AlertKind::Milestone => {
            let summary = format!("Unix time {}", named(m.epoch, &m.label));
            let body = match late_phrase(alert.late_ms) {
                None => format!("{} reached at {when}.", group_thousands(m.epoch)),
                Some(late) => format!(
                    "{} reached {late} ago, at {when}.",
                    group_thousands(m.epoch)
                ),
            };
            Message { summary, body }
        }
        AlertKind::Reminder { .. } => {
            // Say how long is really left, even when the reminder is late.
            let now_ms = i128::from(alert.due) * 1_000 + i128::from(alert.late_ms);
            let left_ms = i128::from(m.epoch) * 1_000 - now_ms;
            let left = i64::try_from((left_ms + 999).div_euclid(1_000)).unwrap_or(0);
            let summary = format!(
                "Unix time {} in {}",
                group_thousands(m.epoch),
                duration_words(left)
            );
            let label = m.label.trim();
            let body = if label.is_empty() || label == group_thousands(m.epoch) {
                format!("{} at {when}.", group_thousands(m.epoch))
            } else {
                format!("{label}: {} at {when}.", group_thousands(m.epoch))
            };
            Message { summary, body }
        }
        AlertKind::Missed {
            count,
            first,
            cause,
        } => {
            let noun = if *count == 1 {
                "milestone"
            } else {
                "milestones"
            };
            let why = match cause {
                MissCause::NotRunning => "while epochwatch was not running",
                MissCause::ClockJump => "while the clock jumped ahead",
            };
            let summary = format!("{count} {noun} passed {why}");
            // Each fact once: the title says how many and why, the body which and when.
            let last = named(m.epoch, &m.label);
            let body = if *count <= 1 || first.epoch == m.epoch {
                format!("{last}, at {when}.")
            } else {
                format!(
                    "{} … {last}, the last at {when}.",
                    group_thousands(first.epoch)
                )
            };
            Message { summary, body }
        }
    }
}

/// `text` as markup that reads as `text`: the five characters that mean
/// something in the notification specification's XML-based markup
/// replaced by their entities, so a label is shown as written.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The kind as hooks and logs name it: `milestone`, `reminder`, `missed`.
pub fn kind_name(kind: &AlertKind) -> &'static str {
    match kind {
        AlertKind::Milestone => "milestone",
        AlertKind::Reminder { .. } => "reminder",
        AlertKind::Missed { .. } => "missed",
    }
}

/// One line for a log or `daemon --verbose`.
pub fn log_line(alert: &Alert, zone: Zone) -> String {
    let msg = message(alert, zone);
    format!("{}: {} — {}", kind_name(&alert.kind), msg.summary, msg.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milestone::Milestone;

    fn milestone(epoch: Epoch, label: &str) -> Milestone {
        Milestone {
            epoch,
            label: label.to_string(),
            rule: "test".to_string(),
            notify: true,
        }
    }

    #[test]
    fn milestone_text() {
        let alert = Alert {
            kind: AlertKind::Milestone,
            milestone: milestone(1_800_000_000, "1.8 billion"),
            due: 1_800_000_000,
            late_ms: 0,
        };
        let msg = message(&alert, Zone::Utc);
        assert_eq!(msg.summary, "Unix time 1,800,000,000 (1.8 billion)");
        assert!(
            msg.body.starts_with("1,800,000,000 reached at "),
            "{}",
            msg.body
        );
        assert!(msg.body.contains("2027-01-15 08:00:00"), "{}", msg.body);
        let late = Alert {
            late_ms: 12_400,
            ..alert
        };
        assert!(message(&late, Zone::Utc).body.contains("reached 12 s ago"));
    }

    #[test]
    fn reminder_text() {
        let alert = Alert {
            kind: AlertKind::Reminder { lead: 3_600 },
            milestone: milestone(1_800_000_000, "1.8 billion"),
            due: 1_800_000_000 - 3_600,
            late_ms: 0,
        };
        let msg = message(&alert, Zone::Utc);
        assert_eq!(msg.summary, "Unix time 1,800,000,000 in 1 hour");
        assert!(msg.body.starts_with("1.8 billion: 1,800,000,000 at "));
        assert!(msg.body.contains("2027-01-15"), "{}", msg.body);
    }

    #[test]
    fn missed_text() {
        let alert = Alert {
            kind: AlertKind::Missed {
                count: 3,
                first: milestone(1_800_000_000, "1.8 billion"),
                cause: MissCause::NotRunning,
            },
            milestone: milestone(1_900_000_000, "1.9 billion"),
            due: 1_900_000_000,
            late_ms: 5_000_000,
        };
        let msg = message(&alert, Zone::Utc);
        assert_eq!(
            msg.summary,
            "3 milestones passed while epochwatch was not running"
        );
        // The body says what the title does not, and each fact once.
        assert_eq!(
            msg.body,
            "1,800,000,000 … 1,900,000,000 (1.9 billion), the last at \
             Sun 2030-03-17 17:46:40 +00:00."
        );
        assert!(!msg.body.contains(&msg.summary));
        assert!(!msg.body.contains("passed"), "{}", msg.body);
        assert_eq!(msg.body.matches("1,900,000,000").count(), 1);
        let jumped = Alert {
            kind: AlertKind::Missed {
                count: 3,
                first: milestone(1_800_000_000, "1.8 billion"),
                cause: MissCause::ClockJump,
            },
            ..alert.clone()
        };
        let jumped = message(&jumped, Zone::Utc);
        assert_eq!(
            jumped.summary,
            "3 milestones passed while the clock jumped ahead"
        );
        assert!(!jumped.summary.contains("not running"));
        assert_eq!(jumped.body, msg.body, "the cause is said in the title only");
        let one = Alert {
            kind: AlertKind::Missed {
                count: 1,
                first: milestone(1_900_000_000, "1.9 billion"),
                cause: MissCause::ClockJump,
            },
            ..alert
        };
        let one = message(&one, Zone::Utc);
        assert_eq!(
            one.summary,
            "1 milestone passed while the clock jumped ahead"
        );
        assert_eq!(
            one.body,
            "1,900,000,000 (1.9 billion), at Sun 2030-03-17 17:46:40 +00:00."
        );
    }

    #[test]
    fn markup_is_escaped_so_it_reads_as_written() {
        assert_eq!(
            escape_markup(r#"<b>bold</b> & <a href="x">link</a> 'q'"#),
            "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;link&lt;/a&gt; &apos;q&apos;"
        );
        assert_eq!(escape_markup("1.8 billion ✓"), "1.8 billion ✓");
        assert_eq!(
            escape_markup("&amp;"),
            "&amp;amp;",
            "an entity in a label is text too"
        );
    }
}
