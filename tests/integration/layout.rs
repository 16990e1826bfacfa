//! The shape issue 10 asked for, checked on the source itself (parsed with
//! syn): no file in `src/` longer than 600 lines without its tests, no
//! function longer than 80 lines, and no module importing from a layer
//! above it (`config` and `time` know nothing of `cli`, `commands` or the
//! settings; the display never queries the schedule; the live loop knows
//! nothing of the bus; only `clock` has `unsafe`). And issue 20's:
//! `commands/` holds one module per subcommand and nothing else; every
//! module with submodules is a `foo/mod.rs`; notifications go through
//! notify-rust, in one file, and D-Bus through nothing else.

use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::visit::{self, Visit};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

/// Every `.rs` file under `src/`, but the test modules (`tests.rs`).
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

fn parse(path: &Path) -> (String, syn::File) {
    let text = std::fs::read_to_string(path).expect("a readable source file");
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (text, file)
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

fn lines_of(span: Span) -> usize {
    span.end().line - span.start().line + 1
}

/// The functions (outside `#[cfg(test)]` modules) and their lengths; the
/// lines of those test modules; whether there is `unsafe` code.
#[derive(Default)]
struct Survey {
    functions: Vec<(String, usize, usize)>,
    test_lines: usize,
    unsafe_at: Vec<usize>,
}

impl Survey {
    fn function(&mut self, name: &syn::Ident, span: Span) {
        self.functions
            .push((name.to_string(), span.start().line, lines_of(span)));
    }
}

impl<'ast> Visit<'ast> for Survey {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if is_cfg_test(&item.attrs) {
            if item.content.is_some() {
                self.test_lines += lines_of(syn::spanned::Spanned::span(item));
            }
            return;
        }
        visit::visit_item_mod(self, item);
    }
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if is_cfg_test(&item.attrs) {
            return;
        }
        self.function(&item.sig.ident, syn::spanned::Spanned::span(item));
        visit::visit_item_fn(self, item);
    }
    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(&item.sig.ident, syn::spanned::Spanned::span(item));
        visit::visit_impl_item_fn(self, item);
    }
    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if item.default.is_some() {
            self.function(&item.sig.ident, syn::spanned::Spanned::span(item));
        }
        visit::visit_trait_item_fn(self, item);
    }
    fn visit_expr_unsafe(&mut self, expr: &'ast syn::ExprUnsafe) {
        self.unsafe_at.push(expr.unsafe_token.span.start().line);
        visit::visit_expr_unsafe(self, expr);
    }
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if let Some(token) = item.unsafety {
            self.unsafe_at.push(token.span.start().line);
        }
        visit::visit_item_impl(self, item);
    }
}

fn survey(path: &Path) -> (String, Survey) {
    let (text, file) = parse(path);
    let mut survey = Survey::default();
    survey.visit_file(&file);
    (text, survey)
}

/// `path` relative to the package, with forward slashes.
fn name(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn no_source_file_is_longer_than_600_lines_without_its_tests() {
    let mut long = Vec::new();
    for path in sources() {
        let (text, survey) = survey(&path);
        let lines = text.lines().count() - survey.test_lines;
        if lines > MAX_FILE_LINES {
            long.push(format!("{}: {lines} lines", name(&path)));
        }
    }
    assert!(
        long.is_empty(),
        "longer than {MAX_FILE_LINES} lines: {long:#?}"
    );
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let mut long = Vec::new();
    let mut count = 0;
    for path in sources() {
        let (_, survey) = survey(&path);
        count += survey.functions.len();
        for (function, line, lines) in survey.functions {
            if lines > MAX_FN_LINES {
                long.push(format!("{}:{line} {function}: {lines} lines", name(&path)));
            }
        }
    }
    assert!(count > 200, "the survey found only {count} functions");
    assert!(
        long.is_empty(),
        "longer than {MAX_FN_LINES} lines: {long:#?}"
    );
}

/// The `crate::` paths a file names (in `use` items and in code).
fn crate_paths(text: &str) -> Vec<String> {
    let file = syn::parse_file(text).expect("parses");
    #[derive(Default)]
    struct Paths(Vec<String>);
    impl<'ast> Visit<'ast> for Paths {
        fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
            if !is_cfg_test(&item.attrs) {
                visit::visit_item_mod(self, item);
            }
        }
        fn visit_path(&mut self, path: &'ast syn::Path) {
            let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if segments.first().is_some_and(|s| s == "crate") {
                self.0.push(segments.join("::"));
            }
            visit::visit_path(self, path);
        }
        fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
            fn flatten(tree: &syn::UseTree, prefix: &str, out: &mut Vec<String>) {
                match tree {
                    syn::UseTree::Path(p) => {
                        flatten(&p.tree, &format!("{prefix}{}::", p.ident), out)
                    }
                    syn::UseTree::Name(n) => out.push(format!("{prefix}{}", n.ident)),
                    syn::UseTree::Rename(r) => out.push(format!("{prefix}{}", r.ident)),
                    syn::UseTree::Glob(_) => out.push(format!("{prefix}*")),
                    syn::UseTree::Group(g) => {
                        for t in &g.items {
                            flatten(t, prefix, out);
                        }
                    }
                }
            }
            let mut all = Vec::new();
            flatten(tree, "", &mut all);
            self.0
                .extend(all.into_iter().filter(|p| p.starts_with("crate::")));
        }
    }
    let mut paths = Paths::default();
    paths.visit_file(&file);
    paths.0
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    // (the folder, the crate modules it must not name)
    let rules: &[(&str, &[&str])] = &[
        ("src/config", &["cli", "commands", "settings", "live"]),
        (
            "src/time",
            &[
                "cli", "commands", "settings", "config", "live", "engine", "display",
            ],
        ),
        (
            "src/milestone",
            &["cli", "commands", "settings", "live", "engine", "display"],
        ),
        // The engine takes instants (`WallTime`), never the clock itself.
        (
            "src/engine",
            &[
                "cli",
                "commands",
                "settings",
                "live",
                "display",
                "clock::Clock",
                "clock::SystemClock",
                "clock::read_once",
            ],
        ),
        ("src/display", &["cli", "commands", "milestone::Schedule"]),
        // The formats the commands write know nothing of the command line.
        (
            "src/output",
            &["cli", "commands", "settings", "live", "engine"],
        ),
        // The live loop hands alerts to the dispatcher and knows nothing of
        // the bus, its thread or its timing.
        ("src/live", &["alert::desktop", "cli", "commands"]),
    ];
    let mut found = Vec::new();
    let mut checked = 0;
    for path in sources() {
        let file = name(&path);
        for (folder, banned) in rules {
            if !file.starts_with(&format!("{folder}/")) {
                continue;
            }
            checked += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for used in crate_paths(&text) {
                for ban in *banned {
                    let ban = format!("crate::{ban}");
                    if used == ban || used.starts_with(&format!("{ban}::")) {
                        found.push(format!("{file}: {used}"));
                    }
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
    assert!(found.is_empty(), "imports from a layer above: {found:#?}");
}

/// The first segment of every path in `text` (`notify_rust::Hint` gives
/// `notify_rust`), in `use` trees too.
fn path_roots(text: &str) -> Vec<String> {
    #[derive(Default)]
    struct Roots(Vec<String>);
    impl<'ast> Visit<'ast> for Roots {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if let Some(first) = path.segments.first() {
                self.0.push(first.ident.to_string());
            }
            visit::visit_path(self, path);
        }
        fn visit_use_path(&mut self, path: &'ast syn::UsePath) {
            self.0.push(path.ident.to_string());
            visit::visit_use_path(self, path);
        }
    }
    let mut roots = Roots::default();
    roots.visit_file(&syn::parse_file(text).expect("parses"));
    roots.0
}

#[test]
fn notifications_go_through_notify_rust_in_one_file() {
    let mut found = Vec::new();
    let mut users = Vec::new();
    for path in sources() {
        let file = name(&path);
        let roots = path_roots(&std::fs::read_to_string(&path).unwrap());
        if roots.iter().any(|r| r == "zbus") {
            found.push(format!("{file}: zbus"));
        }
        if roots.iter().any(|r| r == "notify_rust") {
            users.push(file);
        }
    }
    assert!(found.is_empty(), "D-Bus outside notify-rust: {found:#?}");
    assert_eq!(users, ["src/alert/desktop.rs"], "notify-rust's one home");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    let manifest: toml::Table = manifest.parse().expect("Cargo.toml parses");
    let dependencies = manifest["dependencies"].as_table().expect("[dependencies]");
    assert!(dependencies.contains_key("notify-rust"), "{dependencies:?}");
    assert!(
        !dependencies.contains_key("zbus"),
        "zbus comes with notify-rust only"
    );
}

#[test]
fn only_the_clock_has_unsafe_code() {
    let mut found = Vec::new();
    for path in sources() {
        let file = name(&path);
        let (_, survey) = survey(&path);
        if !file.starts_with("src/clock/") {
            found.extend(survey.unsafe_at.iter().map(|line| format!("{file}:{line}")));
        }
    }
    assert!(found.is_empty(), "unsafe outside src/clock/: {found:#?}");
}

/// `NotifyTest` -> `notify_test`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The subcommands: the variants of `cli::Command`, in snake case.
fn subcommands() -> Vec<String> {
    let (_, file) = parse(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli.rs"));
    let command = file.items.iter().find_map(|item| match item {
        syn::Item::Enum(e) if e.ident == "Command" => Some(e),
        _ => None,
    });
    command
        .expect("enum Command in src/cli.rs")
        .variants
        .iter()
        .map(|v| snake_case(&v.ident.to_string()))
        .collect()
}

#[test]
fn commands_holds_one_module_per_subcommand_and_nothing_else() {
    let subcommands = subcommands();
    assert!(subcommands.len() >= 10, "{subcommands:?}");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut others = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = path.extension().is_some_and(|e| e == "rs") || path.is_dir();
        if stem != "mod" && !(module && subcommands.contains(&stem)) {
            others.push(name(&path));
        }
    }
    assert!(
        others.is_empty(),
        "in src/commands/ but not a subcommand of cli::Command (outputs go to src/output/): {others:#?}"
    );
}

#[test]
fn every_module_with_submodules_is_a_mod_rs() {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.with_extension("rs").exists() {
                    out.push(format!("{}.rs beside {}/", name(&path), name(&path)));
                }
                if !path.join("mod.rs").exists() {
                    out.push(format!("{}/ without mod.rs", name(&path)));
                }
                walk(&path, out);
            }
        }
    }
    let mut mixed = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut mixed,
    );
    assert!(mixed.is_empty(), "one style, foo/mod.rs: {mixed:#?}");
}

#[test]
fn the_survey_sees_what_it_looks_for() {
    // The checks above pass on the project only if they can fail.
    let text = "fn a() {\n\n}\nmod m { use crate::cli::Cli; fn b() { unsafe { x() } } }\n#[cfg(test)]\nmod tests {\n fn long() { crate::cli::x() }\n}\n";
    let file = syn::parse_file(text).unwrap();
    let mut survey = Survey::default();
    survey.visit_file(&file);
    let names: Vec<(&str, usize)> = survey
        .functions
        .iter()
        .map(|(n, _, l)| (n.as_str(), *l))
        .collect();
    assert_eq!(names, [("a", 3), ("b", 1)]);
    assert_eq!(survey.test_lines, 4);
    assert_eq!(survey.unsafe_at, [4]);
    assert_eq!(crate_paths(text), ["crate::cli::Cli"]);
    assert_eq!(snake_case("NotifyTest"), "notify_test");
    assert!(subcommands().contains(&"notify_test".to_string()));
}
