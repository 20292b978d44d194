//! Evaluates a design file against relationship definitions and prints the EvaluationResponse.
//!
//! ```text
//! cargo run --release --example evaluate -- <design.json|yaml> --relationships <file-or-dir>... [--options <json>]
//! ```
//! The design may be JSON or YAML (`-` reads stdin). `--relationships` takes a JSON or YAML file
//! holding one definition or an array of them, or a directory of such files (`*.json`, `*.yaml`,
//! `*.yml`, read in name order, not recursively); repeat it for several. A path that yields no
//! definition is bad usage: evaluating against none would delete every relationship. On error a
//! JSON object `{"code","message","path"}` goes to stderr and the exit code is 1 (bad input); bad
//! usage is a sentence and exit code 2.

#[path = "yaml/mod.rs"]
mod yaml;

use relationship_evaluator::limits::DEEPEST_NESTING;
use relationship_evaluator::model::{parse_definitions, Design, EvaluationResponse};
use relationship_evaluator::{Engine, EngineOptions, Error, ErrorCode};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Arguments {
    design: String,
    relationships: Vec<PathBuf>,
    options: String,
}

fn usage() -> ExitCode {
    eprintln!("usage: evaluate <design.json|yaml|-> --relationships <file-or-dir>... [--options <json>]");
    ExitCode::from(2)
}

fn parse_arguments() -> Option<Arguments> {
    let mut args = std::env::args().skip(1);
    let mut design = None;
    let mut relationships = Vec::new();
    let mut options = String::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--relationships" | "-r" => relationships.push(PathBuf::from(args.next()?)),
            "--options" | "-o" => options = args.next()?,
            "--help" | "-h" => return None,
            _ if design.is_none() => design = Some(arg),
            _ => return None,
        }
    }
    Some(Arguments { design: design?, relationships, options })
}

fn read_text(path: &str) -> Result<String, Error> {
    let io_error = |e: std::io::Error| Error::new(ErrorCode::InvalidJson, "", format!("cannot read {path}: {e}"));
    if path == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(io_error)?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(io_error)
}

/// JSON, or YAML when the text does not start like JSON (`{` or `[`). Text that starts like JSON
/// is read as JSON only: a JSON error is the answer, not a YAML reading of the same bytes (which
/// turned `1e400` into a string). The nesting is checked on the raw bytes before either parser
/// runs, so a deeply nested input is refused in time linear in the bytes read (issue 15 #10).
pub(crate) fn parse_document(text: &str, source: &str, max_depth: usize) -> Result<Value, Error> {
    relationship_evaluator::reading::check_raw_depth(text.as_bytes(), max_depth)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start_matches([' ', '\t', '\r', '\n']).starts_with(['{', '[']) {
        return relationship_evaluator::reading::parse_json_within(text, max_depth)
            .map_err(|e| Error::new(e.code, e.path, format!("{source}: {}", e.message)));
    }
    // The one YAML reading of every runtime (docs/yaml.md, tests/yaml/cases.json): a key twice in
    // one mapping is DUPLICATE_KEY at its path, as in JSON (issue 15 #3).
    yaml::read_yaml(text, max_depth).map_err(|e| Error::new(e.code, e.path, format!("{source}: {}", e.message)))
}

/// What a definitions path holds: the file itself, or a directory's `*.json`, `*.yaml` and
/// `*.yml` files in name order, with the subdirectories it was not searched into (the npm CLI's
/// and the Go module's rule, `js/cli.ts`, `go/loader`).
fn definition_files(path: &Path) -> Result<(Vec<PathBuf>, Vec<String>), Error> {
    if !path.is_dir() {
        return Ok((vec![path.to_path_buf()], Vec::new()));
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, "", format!("cannot list {}: {e}", path.display())))?;
    let (mut files, mut subdirectories) = (Vec::new(), Vec::new());
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            subdirectories.push(format!("{name}/"));
        } else if [".json", ".yaml", ".yml"].iter().any(|extension| name.ends_with(extension)) {
            files.push(entry.path());
        }
    }
    files.sort();
    subdirectories.sort();
    Ok((files, subdirectories))
}

/// Why the CLI stopped: bad input (exit 1, the error as JSON) or bad usage (exit 2, a sentence).
#[derive(Debug)]
pub(crate) enum Failure {
    Input(Error),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Input(error)
    }
}

/// Every definition under `paths`. A path that yields none is a usage error: evaluating against
/// no definitions would silently delete every relationship of the design.
pub(crate) fn load_definitions(paths: &[PathBuf], options: &EngineOptions) -> Result<Vec<Value>, Failure> {
    let mut definitions = Vec::new();
    for path in paths {
        let (files, subdirectories) = definition_files(path)?;
        let before = definitions.len();
        for file in &files {
            let source = file.display().to_string();
            // A file holds a definition (counted from level 3) or an array of them.
            match parse_document(&read_text(&source)?, &source, DEEPEST_NESTING - 1)? {
                Value::Array(items) => definitions.extend(items),
                Value::Null => {}
                single => definitions.push(single),
            }
        }
        if definitions.len() == before {
            let path = path.display();
            let place = if files.is_empty() {
                let searched = if subdirectories.is_empty() {
                    String::new()
                } else {
                    format!(" (directories are not searched recursively; it has {})", subdirectories.join(", "))
                };
                format!("no *.json, *.yaml or *.yml files in the directory {path}{searched}")
            } else {
                format!("{path} holds no definitions")
            };
            return Err(Failure::Usage(format!(
                "--relationships {path}: {place}; evaluating without definitions would delete every relationship of the design"
            )));
        }
    }
    options.limits.check_count("maxDefinitions", "", definitions.len(), options.limits.max_definitions)?;
    Ok(definitions)
}

fn run(arguments: Arguments) -> Result<EvaluationResponse, Failure> {
    let options = EngineOptions::from_json(&arguments.options)?;
    let design = {
        let text = read_text(&arguments.design)?;
        options.limits.check_input_size(text.len())?;
        parse_document(&text, &arguments.design, DEEPEST_NESTING)?
    };
    let design = Design::from_value(design, &options.limits)?;
    let definitions =
        parse_definitions(Value::Array(load_definitions(&arguments.relationships, &options)?), &options.limits)?;
    Ok(Engine::new(definitions, options).evaluate(design)?)
}

/// The response as pretty JSON on standard output, written as it is serialised: the whole text in
/// memory was the largest allocation of a run (twice the response, with a string's doubling).
fn print(response: &EvaluationResponse) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, response)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn main() -> ExitCode {
    let Some(arguments) = parse_arguments() else { return usage() };
    match run(arguments) {
        Ok(response) => match print(&response) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!(
                    "{}",
                    Error::new(ErrorCode::Internal, "", format!("cannot write the response: {error}")).to_json()
                );
                ExitCode::from(1)
            }
        },
        Err(Failure::Input(error)) => {
            eprintln!("{}", error.to_json());
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("evaluate: {message}");
            ExitCode::from(2)
        }
    }
}
