//! `config show`: the effective settings as TOML that loads back, each value
//! followed by a comment saying where it came from.

use std::fmt::Write;

use super::{Config, ConfigSource, Origin};
use crate::milestone::DEFAULT_SPECS;
use crate::time::format_duration;
use crate::time::world::{City, DEFAULT_CITIES, DEFAULT_SHARE};

fn origin(origin: Origin) -> String {
    match origin {
        Origin::Default => "# default".to_string(),
        Origin::File => "# file".to_string(),
        Origin::Env(name) => format!("# {name}"),
    }
}

/// A TOML string literal (basic string, escaped as needed).
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", items.join(", "))
}

/// The effective configuration as TOML: re-loadable, commented with origins.
pub fn render_effective(config: &Config) -> String {
    let mut out = String::new();
    let source = match &config.source {
        ConfigSource::None => "none (no home directory)".to_string(),
        other if config.loaded => other.to_string(),
        other => format!("{other}; not present"),
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "# Effective epochwatch settings (command line > environment > file > defaults)."
    );
    let _ = writeln!(out, "# Config file: {source}");
    let _ = writeln!(out, "# Zone database: {}", crate::time::database());
    let _ = writeln!(out);
    render_milestones(&mut out, config);
    render_alerts(&mut out, config);
    render_display(&mut out, config);
    render_world(&mut out, config);
    render_bar(&mut out, config);
    out
}

fn render_milestones(out: &mut String, config: &Config) {
    if config.milestones.is_empty() {
        let _ = writeln!(out, "# the embedded defaults (no milestones configured)");
        let _ = writeln!(out, "milestones = [");
        for spec in DEFAULT_SPECS {
            let _ = writeln!(out, "  {},", quote(spec));
        }
        let _ = writeln!(out, "]");
    } else {
        let _ = writeln!(out, "# from the file (line numbers as written there)");
        let _ = writeln!(out, "milestones = [");
        for (i, entry) in config.milestones.iter().enumerate() {
            let line = config
                .milestone_positions
                .get(i)
                .map(|p| format!("  # line {}", p.line))
                .unwrap_or_default();
            if entry.notify {
                let _ = writeln!(out, "  {},{line}", quote(&entry.spec));
            } else {
                let _ = writeln!(
                    out,
                    "  {{ rule = {}, notify = false }},{line}",
                    quote(&entry.spec)
                );
            }
        }
        let _ = writeln!(out, "]");
    }
}

fn render_alerts(out: &mut String, config: &Config) {
    let a = &config.alerts;
    let o = &config.origins;
    let _ = writeln!(out, "\n[alerts]");
    let remind = a
        .remind
        .iter()
        .map(|s| format_duration(*s))
        .collect::<Vec<_>>();
    let _ = writeln!(
        out,
        "remind = {}  {}",
        string_array(remind.iter().map(String::as_str)),
        origin(o.remind)
    );
    let _ = writeln!(out, "desktop = {}  {}", a.desktop, origin(o.desktop));
    let _ = writeln!(out, "bell = {}  {}", a.bell, origin(o.bell));
    match &a.exec {
        Some(exec) => {
            let _ = writeln!(
                out,
                "exec = {}  {}",
                string_array(exec.iter().map(String::as_str)),
                origin(o.exec)
            );
        }
        None => {
            let _ = writeln!(out, "# exec: not set  {}", origin(o.exec));
        }
    }
    // Whole seconds: the file cannot say anything finer.
    let timeout = quote(&format_duration(
        i64::try_from(a.timeout_ms / 1000).unwrap_or(i64::MAX),
    ));
    let _ = writeln!(out, "timeout = {timeout}  {}", origin(o.timeout));
    duration_line(out, "catch_up", a.catch_up, o.catch_up);
    duration_line(out, "countdown", a.countdown, o.countdown);
    let _ = writeln!(out, "sound = {}  {}", a.sound, origin(o.sound));
}

/// `key = "1h30m"  # origin`.
fn duration_line(out: &mut String, key: &str, secs: i64, from: Origin) {
    let _ = writeln!(
        out,
        "{key} = {}  {}",
        quote(&format_duration(secs)),
        origin(from)
    );
}

fn render_display(out: &mut String, config: &Config) {
    let (d, o) = (&config.display, &config.origins);
    let _ = writeln!(out, "\n[display]");
    let _ = writeln!(
        out,
        "zone = {}  {}",
        quote(d.zone.setting()),
        origin(o.zone)
    );
    let _ = writeln!(
        out,
        "color = {}  {}",
        quote(d.color.as_str()),
        origin(o.color)
    );
}

fn render_world(out: &mut String, config: &Config) {
    let (w, o) = (&config.world, &config.origins);
    let _ = writeln!(out, "\n[world]");
    render_cities(
        out,
        "cities",
        w.cities.as_deref(),
        DEFAULT_CITIES,
        o.world_cities,
    );
    render_cities(
        out,
        "share",
        w.share.as_deref(),
        DEFAULT_SHARE,
        o.world_share,
    );
}

fn render_bar(out: &mut String, config: &Config) {
    let (b, o) = (&config.bar, &config.origins);
    let _ = writeln!(out, "\n[bar]");
    duration_line(out, "soon", b.soon, o.bar_soon);
    duration_line(out, "imminent", b.imminent, o.bar_imminent);
}

/// A list of cities as `{ zone = …, name = … }` tables, one a line.
fn render_cities(
    out: &mut String,
    key: &str,
    cities: Option<&[City]>,
    defaults: &[(&str, &str)],
    from: Origin,
) {
    let entries: Vec<(String, String)> = match cities {
        Some(cities) => cities
            .iter()
            .map(|c| (c.zone.setting().to_string(), c.name.clone()))
            .collect(),
        None => defaults
            .iter()
            .map(|(zone, name)| (zone.to_string(), name.to_string()))
            .collect(),
    };
    let _ = writeln!(out, "{key} = [  {}", origin(from));
    for (zone, name) in entries {
        let _ = writeln!(
            out,
            "  {{ zone = {}, name = {} }},",
            quote(&zone),
            quote(&name)
        );
    }
    let _ = writeln!(out, "]");
}
