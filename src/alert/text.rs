//! What an alert says: notification summary and body (the countdown's
//! too), the daemon's log line, and the small formatting helpers they
//! share. Pure.

use super::{Alert, AlertKind, Countdown};
use crate::engine::MissCause;
use crate::milestone::{Epoch, Milestone, group_thousands};
use crate::time::{Zone, duration_words, format_datetime, late_phrase, seconds_phrase};

/// The words of one notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    pub summary: String,
    pub body: String,
}

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
pub fn wording(alert: &Alert, zone: Zone) -> Wording {
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
            Wording { summary, body }
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
            Wording {
                summary,
                body: ahead_body(m, &when),
            }
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
            Wording { summary, body }
        }
    }
}

/// "1.8 billion: 1,800,000,000 at Fri 2027-01-15 08:00:00 +00:00." (the
/// label first, when it says more than the number).
fn ahead_body(m: &Milestone, when: &str) -> String {
    let label = m.label.trim();
    if label.is_empty() || label == group_thousands(m.epoch) {
        format!("{} at {when}.", group_thousands(m.epoch))
    } else {
        format!("{label}: {} at {when}.", group_thousands(m.epoch))
    }
}

/// The countdown's notification at one second: which milestone, how many
/// seconds are left ("Unix time 1,800,000,000 in 9 s"), and when.
pub fn countdown_wording(countdown: &Countdown, zone: Zone) -> Wording {
    let m = &countdown.milestone;
    Wording {
        summary: format!(
            "Unix time {} in {}",
            group_thousands(m.epoch),
            seconds_phrase(countdown.left)
        ),
        body: ahead_body(m, &format_datetime(m.epoch, zone)),
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
    let msg = wording(alert, zone);
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
        let msg = wording(&alert, Zone::Utc);
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
        assert!(wording(&late, Zone::Utc).body.contains("reached 12 s ago"));
    }

    #[test]
    fn reminder_text() {
        let alert = Alert {
            kind: AlertKind::Reminder { lead: 3_600 },
            milestone: milestone(1_800_000_000, "1.8 billion"),
            due: 1_800_000_000 - 3_600,
            late_ms: 0,
        };
        let msg = wording(&alert, Zone::Utc);
        assert_eq!(msg.summary, "Unix time 1,800,000,000 in 1 hour");
        assert!(msg.body.starts_with("1.8 billion: 1,800,000,000 at "));
        assert!(msg.body.contains("2027-01-15"), "{}", msg.body);
    }

    #[test]
    fn countdown_text() {
        let countdown = Countdown {
            milestone: milestone(1_800_000_000, "1.8 billion"),
            left: 9,
        };
        let words = countdown_wording(&countdown, Zone::Utc);
        assert_eq!(words.summary, "Unix time 1,800,000,000 in 9 s");
        assert_eq!(
            words.body,
            "1.8 billion: 1,800,000,000 at Fri 2027-01-15 08:00:00 +00:00."
        );
        let long = Countdown {
            left: 600,
            ..countdown
        };
        assert_eq!(
            countdown_wording(&long, Zone::Utc).summary,
            "Unix time 1,800,000,000 in 10 minutes"
        );
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
        let msg = wording(&alert, Zone::Utc);
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
        let jumped = wording(&jumped, Zone::Utc);
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
        let one = wording(&one, Zone::Utc);
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
