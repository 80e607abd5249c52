//! Findings about the sources, as data.
//!
//! Every stage pushes [`Diagnostic`]s into a [`Diagnostics`] sink instead of failing
//! on the first problem, so an editor sees everything wrong with an edition in one run.
//! A diagnostic points at a [`Span`]; [`emit_human`] prints it the way rustc and typst
//! do (`error[code]: message`, `┌─ file:line:col`, the source line, `= hint:`).

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};
use serde::Serialize;

use crate::source::{SourceId, Sources, Span, printable};

/// How bad a finding is: errors fail the command (exit 1), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The edition cannot be built correctly until this is fixed.
    Error,
    /// Worth an editor's look; the build goes on.
    Warning,
    /// A proposal (`check --suggest`): what the tool read and would write, never
    /// written unasked, and never a reason to fail.
    Help,
}

/// One finding, located in a source file when it has a location.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case code (`yaml`, `missing-file`, …), for JSON consumers and docs.
    pub code: &'static str,
    /// What is wrong, written for the editor.
    pub message: String,
    /// Where; `None` for findings about the edition as a whole.
    pub span: Option<Span>,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it, when we know.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error with a code and message.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning with a code and message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A proposal with a code and message (`check --suggest`).
    pub fn help(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Help, code, message)
    }

    /// A finding whose severity its producer decided.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            span: None,
            label: None,
            hints: Vec::new(),
        }
    }

    /// Points the finding at a span.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds the text shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The sink every stage pushes its findings into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a finding.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    /// Number of errors and of warnings (proposals are neither).
    pub fn counts(&self) -> (usize, usize) {
        let count =
            |severity| self.list.iter().filter(|d| d.severity == severity).count();
        (count(Severity::Error), count(Severity::Warning))
    }

    /// The findings in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Takes the findings out, leaving the sink empty.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.list)
    }

    /// Whether there are no findings.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Prints findings to stderr like rustc and typst: code, location, source line, hints.
/// Colour only on a terminal.
pub fn emit_human(sources: &Sources, diagnostics: &[Diagnostic]) {
    let mut stream = StandardStream::stderr(color_choice());
    emit_to(&mut stream, &Config::default(), sources, diagnostics);
}

/// Prints findings to stderr one line each, `file:line:col: warning[code]: message`,
/// without the source line: for inputs whose lines are too long to show (the text
/// of a whole PDF, extracted as one line).
pub fn emit_short(sources: &Sources, diagnostics: &[Diagnostic]) {
    let mut stream = StandardStream::stderr(color_choice());
    let config = Config {
        display_style: codespan_reporting::term::DisplayStyle::Short,
        ..Config::default()
    };
    emit_to(&mut stream, &config, sources, diagnostics);
}

fn color_choice() -> ColorChoice {
    if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never }
}

fn emit_to(
    stream: &mut StandardStream,
    config: &Config,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) {
    for diagnostic in diagnostics {
        let cs = to_codespan(diagnostic);
        if term::emit(stream, config, sources, &cs).is_err() {
            // The span no longer fits its file (should not happen); still say what is wrong.
            eprintln!("{}: {}", severity_word(diagnostic.severity), diagnostic.message);
        }
    }
}

/// Renders findings to a string without colour, as [`emit_human`] prints them.
/// Used by tests and by anything that shows diagnostics outside a terminal.
pub fn render_plain(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
    let config = Config::default();
    for diagnostic in diagnostics {
        let cs = to_codespan(diagnostic);
        if term::emit(&mut buffer, &config, sources, &cs).is_err() {
            let line = format!(
                "{}: {}\n",
                severity_word(diagnostic.severity),
                diagnostic.message
            );
            std::io::Write::write_all(&mut buffer, line.as_bytes()).ok();
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Help => "help",
    }
}

fn to_codespan(diagnostic: &Diagnostic) -> CsDiagnostic<SourceId> {
    let base = match diagnostic.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
        Severity::Help => CsDiagnostic::help(),
    };
    let mut labels = Vec::new();
    if let Some(span) = &diagnostic.span {
        let mut label = Label::primary(span.source, span.range.clone());
        if let Some(text) = &diagnostic.label {
            label = label.with_message(printable(text));
        }
        labels.push(label);
    }
    // Messages quote source text (a bad date, a title): print it harmlessly too.
    base.with_code(diagnostic.code)
        .with_message(printable(&diagnostic.message))
        .with_labels(labels)
        .with_notes(
            diagnostic.hints.iter().map(|h| format!("hint: {}", printable(h))).collect(),
        )
}

/// One finding as JSON: the same fields [`emit_human`] prints, with the location as
/// numbers so tools need not parse `file:line:col`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error`, `warning` or `help`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// File path, if located.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line of the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters) of the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Text under the caret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Hints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

/// Findings as JSON-ready values.
pub fn to_json(sources: &Sources, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let located = d.span.as_ref().map(|span| {
                let file = sources.get(span.source);
                let (line, column) = file.line_col(span.range.start);
                (file.path.display().to_string(), line, column)
            });
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                file: located.as_ref().map(|l| l.0.clone()),
                line: located.as_ref().map(|l| l.1),
                column: located.as_ref().map(|l| l.2),
                label: d.label.clone(),
                hints: d.hints.clone(),
            }
        })
        .collect()
}
