//! The modules of `src/` depend on each other one way: reads every
//! `crate::…` path outside comments and test code, builds the graph of the
//! top-level modules, and fails on any cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the crate root re-exports, by the module it comes from.
fn module_of_root_item(item: &str) -> Option<&'static str> {
    Some(match item {
        "Error" => "error",
        "Settings" => "config",
        // `crate::diagnostic` is `rules::diagnostic`, re-exported.
        "diagnostic" | "Diagnostic" | "Severity" | "Applicability" | "Edit" | "Fix" => "rules",
        "check_in" | "check_path" | "check_text" | "check_with" | "fix_in" | "fix_path"
        | "fix_text" | "fix_with" | "FixOutcome" | "Surroundings" | "fix_from" | "FixSource" => {
            "linter"
        }
        "parse" => "parser",
        "registry" | "Rule" | "RuleMeta" => "rules",
        "SourceFile" => "source",
        "ConvertFormat" => "convert",
        _ => return None,
    })
}

/// The source of a file without comments and without its test module (by
/// convention the last item, after `#[cfg(test)]`).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`, in `use`
/// lines (`use crate::{a, b::c}` too) and in paths.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let items: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: the first segment of each item.
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').collect()
        } else {
            vec![rest]
        };
        for item in items {
            let item = item.trim_start();
            let name: String = item
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                continue;
            }
            match module_of_root_item(&name) {
                Some(module) => names.insert(module.to_string()),
                None => names.insert(name),
            };
        }
    }
    names
}

fn visit(folder: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Top-level module → the top-level modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
        // The binary and the crate root see everything.
        if matches!(module.as_str(), "main" | "lib" | "cli") {
            continue;
        }
        // Test files of a module folder are test code.
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let named = graph.entry(module.clone()).or_default();
        for other in named_modules(&code) {
            if other != module {
                named.insert(other);
            }
        }
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn connect<'g>(state: &mut State<'g>, node: &'g str) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        state.on_stack.insert(node);
        if let Some(targets) = state.graph.get(node) {
            for target in targets {
                let target = target.as_str();
                if !state.graph.contains_key(target) {
                    continue;
                }
                if !state.index.contains_key(target) {
                    connect(state, target);
                    let low = state.low[target].min(state.low[node]);
                    state.low.insert(node, low);
                } else if state.on_stack.contains(target) {
                    let low = state.index[target].min(state.low[node]);
                    state.low.insert(node, low);
                }
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            connect(&mut state, node);
        }
    }
    state.found.sort();
    state.found
}

#[test]
fn the_reader_finds_each_kind_of_path() {
    let code = "use crate::config::Settings;\nuse crate::{fix::Edit, model};\n\
                let x = crate::yaml::parse(); crate::Error::Io; crate::check_in(a);";
    let found: Vec<String> = named_modules(&code_of(code)).into_iter().collect();
    assert_eq!(found, ["config", "error", "fix", "linter", "model", "yaml"]);
    // Comments and test modules name nothing.
    let code = "// crate::cache\n/// crate::online\nfn a() {}\n#[cfg(test)]\nmod tests { use crate::rules; }";
    assert!(named_modules(&code_of(code)).is_empty());
}

#[test]
fn tarjan_finds_a_cycle_and_only_it() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a", "d"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(cycles(&graph), [["a", "b", "c"]]);
}

#[test]
fn no_import_cycle() {
    let graph = graph();
    assert!(graph.contains_key("pipeline") && graph.contains_key("parser"));
    // The layers: what the linter uses, the linter uses it too.
    assert!(graph["pipeline"].contains("linter") && graph["linter"].contains("rules"));
    let found = cycles(&graph);
    let edges: Vec<String> = found
        .iter()
        .flat_map(|cycle| {
            cycle.iter().flat_map(|from| {
                graph[from]
                    .iter()
                    .filter(|to| cycle.contains(to))
                    .map(move |to| format!("{from} → {to}"))
            })
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles among {found:?}; the edges inside them:\n{}",
        edges.join("\n")
    );
}

/// Issue 11: no file in `src/` over 450 lines (tests included): a file
/// that grows past it is split by job.
#[test]
fn no_source_file_is_over_450_lines() {
    fn walk(dir: &std::path::Path, long: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, long);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = std::fs::read_to_string(&path).unwrap().lines().count();
                if lines > 450 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    let mut long = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut long,
    );
    assert!(long.is_empty(), "over 450 lines: {long:?}");
}
