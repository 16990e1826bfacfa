//! Tests of the settings layer: flags over environment over file over defaults.

use super::*;

fn parse(text: &str) -> Config {
    Config::from_toml(text, Path::new("/c.toml")).unwrap()
}

#[test]
fn environment_overrides_file_and_flags_override_both() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "[alerts]\nremind = [\"1d\"]\n[display]\ncolor = \"auto\"\n",
    )
    .unwrap();
    let vars = Environment {
        remind: Some("1m".into()),
        no_color: true,
        ..Environment::default()
    };
    let config = configuration(Some(&path), &vars).unwrap();
    let color_for = |config: &Config, flag| color(config, flag, &vars);
    assert_eq!(config.alerts.remind, vec![60]);
    assert_eq!(config.origins.remind, Origin::Env("EPOCHWATCH_REMIND"));
    assert_eq!(config.display.color, ColorMode::Never);
    assert_eq!(color_for(&config, Some(ColorMode::Auto)), ColorMode::Never);
    assert_eq!(
        color_for(&config, Some(ColorMode::Always)),
        ColorMode::Always
    );

    let args = AlertArgs {
        remind: Some("10s".into()),
        bell: true,
        no_notify: true,
        countdown: Some("30s".into()),
        exec: Some(vec!["true".into()]),
    };
    let resolved = alerts(&config, &args).unwrap();
    assert_eq!(resolved.remind, vec![10]);
    assert_eq!(resolved.countdown, 30);
    assert!(resolved.bell && !resolved.desktop);
    assert_eq!(resolved.exec, Some(vec!["true".to_string()]));

    let bad = AlertArgs {
        remind: Some("soon".into()),
        ..AlertArgs::default()
    };
    assert!(
        alerts(&config, &bad)
            .unwrap_err()
            .0
            .starts_with("--remind \"soon\": ")
    );
    for (text, why) in [("-5s", "--countdown \"-5s\": "), ("2h", "at most 1h")] {
        let bad = AlertArgs {
            countdown: Some(text.into()),
            ..AlertArgs::default()
        };
        let err = alerts(&config, &bad).unwrap_err().0;
        assert!(err.contains(why), "{err}");
    }
    assert_eq!(catch_up(&config, Some("30m")).unwrap(), 1_800);
    assert_eq!(catch_up(&config, None).unwrap(), 3_600);
    assert!(catch_up(&config, Some("x")).is_err());
}

#[test]
fn no_defaults_without_specs_is_an_error() {
    let args = MilestoneArgs {
        milestones: vec![],
        no_defaults: true,
    };
    let msg = schedule(&Config::default(), &args, Zone::Utc)
        .unwrap_err()
        .0;
    assert!(msg.contains("--no-defaults"), "{msg}");
}

#[test]
fn display_zone_flags_win() {
    let config = parse("[display]\nzone = \"Europe/Berlin\"\n");
    let none = ZoneArgs::default();
    assert_eq!(display_zone(&config, &none).unwrap(), config.display.zone);
    let utc = ZoneArgs {
        utc: true,
        tz: None,
    };
    assert_eq!(display_zone(&config, &utc).unwrap(), Zone::Utc);
    let bad = ZoneArgs {
        utc: false,
        tz: Some("Nowhere/Land".into()),
    };
    assert!(display_zone(&config, &bad).is_err());
}
