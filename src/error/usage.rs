//! The argument parser's usage errors as one line: clap's structured
//! context (the kind, the argument, the value, the accepted values, its
//! suggestions) put into one sentence, instead of its several-line report
//! with a usage block. What the user typed is quoted as typed; the one
//! escaping of control characters happens when the line is printed
//! ([`super::escape`]).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The one-line message (without "epochwatch: error: ") of a clap error.
pub fn one_line(err: &clap::Error) -> String {
    let mut out = sentence(err).unwrap_or_else(|| first_line(err));
    if let Some(valid) = strings(err, ContextKind::ValidValue) {
        out.push_str(&format!(" (accepted: {})", valid.join(", ")));
    }
    if let Some(valid) = strings(err, ContextKind::ValidSubcommand) {
        out.push_str(&format!(" (accepted: {})", valid.join(", ")));
    }
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        if let Some(similar) = strings(err, kind) {
            let quoted: Vec<String> = similar.iter().map(|s| format!("'{s}'")).collect();
            out.push_str(&format!(" (did you mean {}?)", quoted.join(" or ")));
        }
    }
    if let Some(ContextValue::StyledStrs(tips)) = err.get(ContextKind::Suggested) {
        for tip in tips {
            out.push_str(&format!(" ({})", tip.to_string().trim()));
        }
    }
    out.push_str("; see --help");
    out
}

/// The message for the kinds that carry their facts as context; None for
/// the others (and for errors made from a message), which keep clap's line.
fn sentence(err: &clap::Error) -> Option<String> {
    let arg = text(err, ContextKind::InvalidArg).map(arg_name);
    let value = text(err, ContextKind::InvalidValue);
    let line = match err.kind() {
        ErrorKind::InvalidValue if value?.is_empty() => {
            format!("a value is required for {}", arg?)
        }
        ErrorKind::InvalidValue => format!("invalid value '{}' for {}", value?, arg?),
        ErrorKind::ValueValidation => {
            let mut line = format!("invalid value '{}' for {}", value?, arg?);
            if let Some(source) = std::error::Error::source(err) {
                line.push_str(&format!(": {source}"));
            }
            line
        }
        ErrorKind::UnknownArgument => format!("unexpected argument '{}'", arg?),
        ErrorKind::InvalidSubcommand => format!(
            "unknown subcommand '{}'",
            text(err, ContextKind::InvalidSubcommand)?
        ),
        ErrorKind::MissingSubcommand => format!(
            "'{}' needs a subcommand",
            text(err, ContextKind::InvalidSubcommand)?
        ),
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(err, ContextKind::InvalidArg)?;
            let names: Vec<&str> = missing.iter().map(|a| arg_name(a)).collect();
            format!("required but not given: {}", names.join(", "))
        }
        ErrorKind::ArgumentConflict => conflict(err, arg?)?,
        ErrorKind::NoEquals => format!("{} needs '=' before its value", arg?),
        ErrorKind::TooManyValues => format!("unexpected value '{}' for {}", value?, arg?),
        _ => return None,
    };
    Some(line)
}

fn conflict(err: &clap::Error, arg: &str) -> Option<String> {
    Some(match err.get(ContextKind::PriorArg) {
        Some(ContextValue::String(prior)) if arg_name(prior) == arg => {
            format!("{arg} is given more than once")
        }
        Some(ContextValue::String(prior)) => {
            format!("{arg} cannot be used with {}", arg_name(prior))
        }
        Some(ContextValue::Strings(prior)) => {
            let prior: Vec<&str> = prior.iter().map(|p| arg_name(p)).collect();
            format!("{arg} cannot be used with {}", prior.join(", "))
        }
        _ => format!("{arg} cannot be used with the other arguments given"),
    })
}

/// clap's own first line, for the kinds without context.
fn first_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid arguments");
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

/// An argument as clap names it ("--count <COUNT>", "<SHELL>", "[+FORMAT]",
/// "<EPOCH>...") as the user knows it: "--count", "SHELL", "+FORMAT", "EPOCH".
fn arg_name(arg: &str) -> &str {
    if arg.starts_with('-') {
        return arg.split(' ').next().unwrap_or(arg);
    }
    let arg = arg.strip_suffix("...").unwrap_or(arg);
    arg.trim_start_matches(['<', '['])
        .trim_end_matches(['>', ']'])
}

fn text(err: &clap::Error, kind: ContextKind) -> Option<&str> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s),
        _ => None,
    }
}

fn strings(err: &clap::Error, kind: ContextKind) -> Option<Vec<String>> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn line_of(args: &[&str]) -> String {
        let cmd = Command::new("ew")
            .subcommand(
                Command::new("completions").arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(["bash", "zsh"]),
                ),
            )
            .subcommand(
                Command::new("next").arg(
                    Arg::new("count")
                        .short('n')
                        .long("count")
                        .value_name("COUNT")
                        .value_parser(clap::value_parser!(u32)),
                ),
            )
            .arg(Arg::new("color").long("color").num_args(1));
        one_line(&cmd.try_get_matches_from(args).unwrap_err())
    }

    #[test]
    fn each_kind_is_one_sentence() {
        assert_eq!(
            line_of(&["ew", "completions", "foo"]),
            "invalid value 'foo' for SHELL (accepted: bash, zsh); see --help"
        );
        assert_eq!(
            line_of(&["ew", "next", "-n", "x"]),
            "invalid value 'x' for --count: invalid digit found in string; see --help"
        );
        assert_eq!(
            line_of(&["ew", "--colr", "x"]),
            "unexpected argument '--colr' (did you mean '--color'?); see --help"
        );
        assert_eq!(
            line_of(&["ew", "completions"]),
            "required but not given: SHELL; see --help"
        );
        assert_eq!(
            line_of(&["ew", "complete"]),
            "unknown subcommand 'complete' (did you mean 'completions'?); see --help"
        );
        assert_eq!(
            line_of(&["ew", "completions", "a\nb"]),
            "invalid value 'a\nb' for SHELL (accepted: bash, zsh); see --help"
        );
    }

    #[test]
    fn argument_names_as_typed() {
        assert_eq!(arg_name("--count <COUNT>"), "--count");
        assert_eq!(arg_name("<SHELL>"), "SHELL");
        assert_eq!(arg_name("[+FORMAT]"), "+FORMAT");
        assert_eq!(arg_name("<EPOCH>..."), "EPOCH");
        assert_eq!(arg_name("--exec <PROGRAM [ARG]...>"), "--exec");
    }
}
