use std::path::{Path, PathBuf};

use super::*;
use crate::milestone::DEFAULT_SPECS;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml(text, Path::new("/c.toml"))
}

fn err(text: &str) -> String {
    match parse(text) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(err) => err.0,
    }
}

fn specs(config: &Config) -> Vec<(String, bool)> {
    config
        .milestones
        .iter()
        .map(|e| (e.spec.clone(), e.notify))
        .collect()
}

#[test]
fn empty_file_is_defaults() {
    let config = parse("").unwrap();
    assert!(config.milestones.is_empty());
    assert_eq!(config.alerts, Config::default().alerts);
    assert_eq!(config.display.zone, Zone::Local);
    assert_eq!(config.display.color, ColorMode::Auto);
}

#[test]
fn starter_loads_and_matches_defaults() {
    let config = parse(STARTER).unwrap();
    assert_eq!(config.alerts, Config::default().alerts);
    let want: Vec<(String, bool)> = DEFAULT_SPECS
        .iter()
        .map(|s| (s.to_string(), true))
        .collect();
    assert_eq!(specs(&config), want);
    assert_eq!(config.display.zone, Zone::Local);
    assert_eq!(config.display.color, ColorMode::Auto);
    assert_eq!(config.bar, BarSettings::default());
}

#[test]
fn the_suggested_format_loads() {
    let config = parse(
        r#"
milestones = [
  "every:100000000", "repdigit",
  2000000000,
  "2100000000=Two point one billion",
  { at = 2222222222, label = "All twos" },
  { at = "2040-01-01T00:00:00Z" },
  { rule = "palindrome", notify = false },
  -86400,
]
[alerts]
remind = ["1h", "1d", "10s", "1m", "1h"]
desktop = false
bell = true
exec = ["notify-send", "epoch"]
timeout = "2s"
catch_up = 600
countdown = "5s"
sound = false
[display]
zone = "Europe/Berlin"
color = "never"
"#,
    )
    .unwrap();
    assert_eq!(
        specs(&config),
        vec![
            ("every:100000000".to_string(), true),
            ("repdigit".to_string(), true),
            ("2000000000".to_string(), true),
            ("2100000000=Two point one billion".to_string(), true),
            ("2222222222=All twos".to_string(), true),
            ("2208988800".to_string(), true),
            ("palindrome".to_string(), false),
            ("-86400".to_string(), true),
        ]
    );
    assert_eq!(config.milestone_positions[0], Position { line: 3, col: 3 });
    assert_eq!(config.milestone_positions[2], Position { line: 4, col: 3 });
    assert_eq!(config.milestone_positions[7], Position { line: 9, col: 3 });
    assert_eq!(
        config.alerts,
        AlertSettings {
            remind: vec![86_400, 3_600, 60, 10],
            desktop: false,
            bell: true,
            exec: Some(vec!["notify-send".into(), "epoch".into()]),
            timeout_ms: 2_000,
            catch_up: 600,
            countdown: 5,
            sound: false,
        }
    );
    assert_eq!(config.display.zone, Zone::parse("Europe/Berlin").unwrap());
    assert_eq!(config.display.color, ColorMode::Never);
    assert_eq!(config.origins.bell, Origin::File);
}

#[test]
fn unknown_keys_name_line_and_column() {
    let msg = err("[alerts]\nbell = true\n  remindr = [\"1h\"]\n");
    assert!(
        msg.starts_with("config file /c.toml:3:3: unknown field `remindr`, expected one of"),
        "{msg}"
    );
    let msg = err("colour = \"auto\"\n");
    assert!(
        msg.starts_with("config file /c.toml:1:1: unknown field `colour`"),
        "{msg}"
    );
    let msg = err("milestones = [\n  { at = 1, lable = \"x\" },\n]\n");
    assert!(msg.contains("/c.toml:2:"), "{msg}");
    assert!(msg.contains("unknown field `lable`"), "{msg}");
}

#[test]
fn bad_values_name_line_and_column() {
    let msg = err("[alerts]\nbell = \"yes\"\n");
    assert!(msg.starts_with("config file /c.toml:2:8: "), "{msg}");
    let msg = err("[alerts]\nremind = [\"1h\", \"soon\"]\n");
    assert!(
        msg.starts_with("config file /c.toml:2:17: alerts.remind: "),
        "{msg}"
    );
    assert!(msg.contains("\"soon\""), "{msg}");
    let msg = err("[alerts]\ntimeout = \"0s\"\n");
    assert!(msg.contains("/c.toml:2:11: alerts.timeout"), "{msg}");
    let msg = err("[alerts]\ncountdown = \"2h\"\n");
    assert!(
        msg.contains("/c.toml:2:13: alerts.countdown: at most 1h"),
        "{msg}"
    );
    let msg = err("[display]\nzone = \"Mars/Olympus\"\n");
    assert!(
        msg.starts_with("config file /c.toml:2:8: display.zone: unknown time zone"),
        "{msg}"
    );
    let msg = err("[display]\ncolor = \"sometimes\"\n");
    assert!(
        msg.contains("/c.toml:2:9: unknown variant `sometimes`"),
        "{msg}"
    );
    let msg = err("milestones = [true]\n");
    assert!(msg.contains("/c.toml:1:15: invalid type: boolean"), "{msg}");
    let msg = err("milestones = [{ label = \"x\" }]\n");
    assert!(msg.contains("needs `at`"), "{msg}");
    let msg = err("milestones = [{ at = \"someday\" }]\n");
    assert!(
        msg.contains("/c.toml:1:22: milestone at: invalid date-time"),
        "{msg}"
    );
    let msg = err("milestones = [18446744073709551615]\n");
    assert!(msg.contains("/c.toml:1:"), "{msg}");
}

#[test]
fn garbage_is_one_line() {
    let msg = err("this is not toml at all\n\u{1}\u{2}");
    assert!(msg.starts_with("config file /c.toml:1:"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
}

#[test]
fn remind_text_forms() {
    assert_eq!(
        parse_remind("1d,1h,1m,10s").unwrap(),
        vec![86_400, 3_600, 60, 10]
    );
    assert_eq!(parse_remind("none").unwrap(), Vec::<i64>::new());
    assert_eq!(parse_remind(" 10s, 1h ").unwrap(), vec![3_600, 10]);
    assert!(parse_remind("").is_err());
    assert!(parse_remind("0s").is_err());
    assert!(parse_remind("1x").is_err());
    let config = parse("[alerts]\nremind = \"none\"\n").unwrap();
    assert!(config.alerts.remind.is_empty());
    let config = parse("[alerts]\nremind = []\n").unwrap();
    assert!(config.alerts.remind.is_empty());
}

#[test]
fn positions_count_characters() {
    let text = "a\nbé c\n\nd";
    assert_eq!(position(text, 0), Position { line: 1, col: 1 });
    assert_eq!(position(text, 2), Position { line: 2, col: 1 });
    assert_eq!(position(text, 5), Position { line: 2, col: 3 });
    assert_eq!(position(text, 9), Position { line: 4, col: 1 });
    assert_eq!(
        positions(text, &[0, 2, 5, 9]),
        vec![
            Position { line: 1, col: 1 },
            Position { line: 2, col: 1 },
            Position { line: 2, col: 3 },
            Position { line: 4, col: 1 },
        ]
    );
}

#[test]
fn positions_on_one_line_match_a_fresh_scan() {
    // Entries of mixed widths on one line and across lines, multibyte text.
    let text = "milestones = [1, \"é=ü\", 22,\n  333, { at = 4 }, \"ß\"]\n";
    let config = parse(text).unwrap();
    let offsets: Vec<usize> = (0..text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let fresh: Vec<Position> = offsets.iter().map(|&i| position(text, i)).collect();
    assert_eq!(positions(text, &offsets), fresh);
    let cols: Vec<(usize, usize)> = config
        .milestone_positions
        .iter()
        .map(|p| (p.line, p.col))
        .collect();
    assert_eq!(cols, [(1, 15), (1, 18), (1, 25), (2, 3), (2, 8), (2, 20)]);
}

#[test]
fn a_key_too_deep_is_placed() {
    let header = vec!["a"; 5000].join(".");
    let message = err(&format!("x = 1\n\n  [{header}]\n"));
    assert_eq!(
        message,
        "config file /c.toml:3:4: a dotted key of 5000 parts is nested too deeply to read"
    );
    let message = err(&format!("[t]\n{} = 1\n", vec!["'k'"; 300].join(" . ")));
    assert_eq!(
        message,
        "config file /c.toml:2:1: a dotted key of 300 parts is nested too deeply to read"
    );
}

fn env() -> EnvVars {
    EnvVars::default()
}

#[test]
fn missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let msg = Config::load_with(Some(&missing), &env()).unwrap_err().0;
    assert_eq!(
        msg,
        format!(
            "config file {} (from --config): not found",
            missing.display()
        )
    );
    let vars = EnvVars {
        config: Some(missing.clone()),
        ..env()
    };
    let msg = Config::load_with(None, &vars).unwrap_err().0;
    assert!(
        msg.ends_with("(from EPOCHWATCH_CONFIG): not found"),
        "{msg}"
    );
    let vars = EnvVars {
        xdg_config_home: Some(dir.path().to_path_buf()),
        ..env()
    };
    let config = Config::load_with(None, &vars).unwrap();
    assert!(!config.loaded);
    assert_eq!(
        config.source,
        ConfigSource::Default(dir.path().join("epochwatch/config.toml"))
    );
    let msg = Config::load_with(Some(dir.path()), &env()).unwrap_err().0;
    assert!(msg.ends_with("is a directory, not a file"), "{msg}");
}

#[test]
fn binary_file_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bin.toml");
    std::fs::write(&path, b"a = 1\n\xff\xfe\x00\x01").unwrap();
    let msg = Config::load_with(Some(&path), &env()).unwrap_err().0;
    assert!(msg.contains("bin.toml:2: not UTF-8 text"), "{msg}");
}

#[test]
fn render_loads_back_to_the_same_settings() {
    let text = r#"
milestones = [2000000000, "2100000000=Two \"point\" one", { rule = "palindrome", notify = false }]
[alerts]
remind = ["1h30m", "10s"]
exec = ["notify-send", "it's \\ time"]
timeout = "90s"
[display]
zone = "Europe/Berlin"
color = "always"
"#;
    let mut config = parse(text).unwrap();
    config.source = ConfigSource::Flag(PathBuf::from("/c.toml"));
    config.loaded = true;
    let shown = render_effective(&config);
    let again = parse(&shown).unwrap_or_else(|e| panic!("{e}\n{shown}"));
    assert_eq!(specs(&again), specs(&config));
    assert_eq!(again.alerts, config.alerts);
    assert_eq!(again.display.zone, config.display.zone);
    assert_eq!(again.display.color, config.display.color);
    assert!(shown.contains("bell = false  # default"), "{shown}");
    assert!(
        shown.contains("zone = \"Europe/Berlin\"  # file"),
        "{shown}"
    );

    let defaults = render_effective(&Config::default());
    let again = parse(&defaults).unwrap_or_else(|e| panic!("{e}\n{defaults}"));
    assert_eq!(again.alerts, Config::default().alerts);
}

#[test]
fn world_cities_and_share() {
    let config = parse(
        r#"
[world]
cities = ["America/Los_Angeles", { zone = "Asia/Kolkata", name = "Mumbai" }]
share = [{ zone = "Europe/Berlin" }]
"#,
    )
    .unwrap();
    let cities = config.world.cities.unwrap();
    let names: Vec<(&str, &str)> = cities
        .iter()
        .map(|c| (c.zone.setting(), c.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("America/Los_Angeles", "Los Angeles"),
            ("Asia/Kolkata", "Mumbai")
        ]
    );
    assert_eq!(config.world.share.unwrap()[0].name, "Berlin");
    assert_eq!(config.origins.world_cities, Origin::File);
    assert!(parse("").unwrap().world.cities.is_none());
}

#[test]
fn world_errors_name_the_place() {
    assert_eq!(
        err("[world]\ncities = [\"Asia/Tokyo\", \"Mars/Base\"]\n"),
        "config file /c.toml:2:25: world.cities: unknown time zone \"Mars/Base\" \
         (expected an IANA name such as Europe/Berlin, UTC or local)"
    );
    assert!(
        err("[world]\nshare = [{ zone = \"Nowhere\", name = \"x\" }]\n")
            .starts_with("config file /c.toml:2:19: world.share: unknown time zone")
    );
    assert!(
        err("[world]\ncities = []\n")
            .starts_with("config file /c.toml:2:10: world.cities: the list is empty")
    );
    assert!(
        err("[world]\ncities = [{ zone = \"UTC\", nmae = \"x\" }]\n")
            .contains("unknown field `nmae`")
    );
    assert!(err("[world]\ncities = [3]\n").contains("a city: an IANA zone name"));
    assert!(err("[world]\ncitys = []\n").contains("unknown field `citys`"));
}

#[test]
fn bar_thresholds_and_their_errors() {
    let config = parse("[bar]\nsoon = \"2h\"\nimminent = 30\n").unwrap();
    assert_eq!(
        config.bar,
        BarSettings {
            soon: 7_200,
            imminent: 30
        }
    );
    assert_eq!(config.origins.bar_soon, Origin::File);
    assert_eq!(parse("").unwrap().bar, BarSettings::default());
    assert_eq!(
        err("[bar]\nimminent = \"2d\"\n"),
        "config file /c.toml:2:12: bar.imminent (2d) is longer than bar.soon (1d): \
         imminent must come within soon"
    );
    assert_eq!(
        err("[bar]\nsoon = -5\n"),
        "config file /c.toml:2:8: bar.soon: must not be negative"
    );
    assert!(err("[bar]\nsoon = \"soon\"\n").starts_with("config file /c.toml:2:8: bar.soon: "));
    assert!(err("[bar]\nclass = 1\n").contains("unknown field `class`"));
}
