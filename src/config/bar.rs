//! `[bar]`: the status-bar segment's classes by the time left to the next
//! milestone (`imminent` within one duration, `soon` within a longer one).

use super::raw::RawBar;
use super::{ConfigError, Converter, Origin, Origins};

/// The thresholds of the bar's classes, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarSettings {
    /// Class `soon` when the milestone is at most this far.
    pub soon: i64,
    /// Class `imminent` when it is at most this far.
    pub imminent: i64,
}

impl Default for BarSettings {
    fn default() -> Self {
        BarSettings {
            soon: 86_400,
            imminent: 60,
        }
    }
}

impl Converter<'_> {
    pub(super) fn bar(
        &self,
        raw: RawBar,
        origins: &mut Origins,
    ) -> Result<BarSettings, ConfigError> {
        let mut bar = BarSettings::default();
        let mut spans = Vec::new();
        for (value, key, slot, origin) in [
            (raw.soon, "bar.soon", &mut bar.soon, &mut origins.bar_soon),
            (
                raw.imminent,
                "bar.imminent",
                &mut bar.imminent,
                &mut origins.bar_imminent,
            ),
        ] {
            let Some(value) = value else { continue };
            let span = value.span();
            let secs = self.duration(value, key)?;
            if secs < 0 {
                return Err(self.err(span, format!("{key}: must not be negative")));
            }
            *slot = secs;
            *origin = Origin::File;
            spans.push(span);
        }
        if bar.imminent > bar.soon {
            let span = spans.last().cloned().unwrap_or(0..0);
            return Err(self.err(
                span,
                format!(
                    "bar.imminent ({}) is longer than bar.soon ({}): imminent must come within soon",
                    crate::time::format_duration(bar.imminent),
                    crate::time::format_duration(bar.soon)
                ),
            ));
        }
        Ok(bar)
    }
}
