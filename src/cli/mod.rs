//! The command line: argument definitions (clap derive) and one function per
//! subcommand. `main.rs` parses, calls [`run`], and maps the [`Outcome`] to an exit code.

mod add;
mod build;
mod check;
mod diff;
mod fmt;
mod import;
mod new;
mod print;
mod serve;
mod toc;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use self::print::is_reader_gone;

/// Build the quarterly policy compilation (政策汇编) from Markdown sources.
///
/// An edition is a folder under `sources/` (e.g. `sources/2021-Q4/`) holding
/// `edition.toml` and one Markdown file per policy. Give an edition by its id
/// (`2021-Q4`) or by the path to its folder.
#[derive(Debug, Parser)]
#[command(
    name = "huibian",
    version,
    propagate_version = true,
    after_help = "Exit status: 0 success; 1 the sources have errors (each printed with \
                  file:line:column), `fmt --check` would change files, or `diff` found \
                  differences; 2 a usage or I/O error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build editions: print-ready PDF, toc.json and the HTML site under out/<ID>/.
    ///
    /// With no edition given, builds every edition under `sources/`. Outputs are
    /// written atomically: a failed build leaves the previous files untouched.
    Build(BuildArgs),

    /// Report what is wrong in editions' sources, with file:line:column.
    ///
    /// With `--pdf`, also read the built PDF back (independently of the layout engine)
    /// and verify it against toc.json: page count, bookmarks, page labels, and the page
    /// numbers printed in the 目录, 本期变化 and the indexes. With `--suggest`, also
    /// propose the validity each policy's text states (自…起施行, 有效期至…, 有效期3年,
    /// 同时废止《…》) as front matter, with the sentence it was read from; nothing is
    /// written. Exits 1 if anything is wrong (proposals never fail).
    Check(CheckArgs),

    /// Compare two editions: what was added, removed, changed, moved, renamed.
    ///
    /// Each side is an edition id, an edition folder, or a `.txt` of an older
    /// edition's text (imported on the fly). Policies are matched by id, 文号, title,
    /// then by content; changes are located by section, sentence and character.
    /// Exit status: 0 no differences, 1 differences, 2 error.
    Diff(DiffArgs),

    /// Rewrite sources in canonical form.
    ///
    /// Numbering markers, headings, punctuation width and spaces in Chinese text,
    /// front matter order, blank lines. Never changes a Han character or a digit of the text. Lists the files it
    /// changes; with `--check` changes nothing, prints a diff and exits 1 if any file
    /// would change. Numbering is legal text: it is renumbered only with `--renumber`.
    Fmt(FmtArgs),

    /// Add policies from the pages and files they were published in.
    ///
    /// Reads each input by its content, whatever its name: a saved web page (.html
    /// with its _files folder, or .mhtml; UTF-8 or GBK), a Word file (.docx; .doc and
    /// .wps through LibreOffice) or a PDF with text. Keeps the article, drops the
    /// site around it, turns Word's automatic numbering into the text's own markers,
    /// lifts the title, issuer, 文号 and dates into front matter (what it cannot find
    /// is left as 【待核：…】 for you to fill in), writes one canonical Markdown file
    /// per input into the category's folder, lists it in edition.toml (your
    /// comments and layout kept), and prints where it read each field and what
    /// `check` finds in the new file. A policy already in the edition (same 文号 or
    /// title) is refused unless --replace is given.
    Add(AddArgs),

    /// Import an older edition from its PDF, or from the text extracted from it.
    ///
    /// Reads the book's own 目录 for its structure, splits the text at the titles it
    /// lists, repairs what extraction broke (line-break spaces, inline page numbers,
    /// ASCII punctuation, paragraphs, headings) and writes `sources/<ID>/`. Prints what
    /// it repaired and the places to proofread.
    Import(ImportArgs),

    /// Start the next quarter's edition from the last one.
    ///
    /// Same categories and style, the next quarter's subtitle and period, the
    /// introduction copied with its dates marked 【待核：…】 for revision. Never
    /// overwrites.
    New(NewArgs),

    /// Preview an edition while editing it, with live reload.
    ///
    /// Builds, serves the site and the PDF on 127.0.0.1 (see --bind), rebuilds on every save and
    /// reloads the open browser page. A broken edit does not stop the server: the last good version stays served,
    /// with the errors shown over it until the file is fixed.
    Serve(ServeArgs),

    /// Print the regenerated table of contents, with page numbers from the real layout.
    ///
    /// Builds the edition first when its PDF is missing or older than its sources.
    Toc(TocArgs),
}

/// Arguments of `huibian check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Editions to check: ids under `sources/` or paths; all under `sources/` if none.
    #[arg(value_name = "ED")]
    pub editions: Vec<String>,

    /// Output format of the findings.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,

    /// Also verify the built PDF (out/<ID>/<ID>.pdf) against its toc.json.
    #[arg(long)]
    pub pdf: bool,

    /// Folder holding the built editions (for `--pdf`).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Propose front matter (`effective`, `expires`, `repeals`) read from the text,
    /// each with the sentence it came from. Writes nothing.
    #[arg(long)]
    pub suggest: bool,
}

/// How `check` prints findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Like a compiler: location, source line, caret, hints.
    Text,
    /// One JSON document with every finding.
    Json,
}

/// Arguments of `huibian diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The older edition (id, folder, or extracted .txt).
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The newer edition (id, folder, or extracted .txt).
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only the summary table (text format).
    #[arg(long)]
    pub stat: bool,

    /// Report punctuation-width and spacing changes too (normally they are ignored).
    #[arg(long)]
    pub exact: bool,
}

/// How `diff` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A summary table, then each change (coloured on a terminal).
    Text,
    /// A stable JSON schema (huibian-diff/1).
    Json,
    /// A self-contained HTML report.
    Html,
    /// A redline: the new edition typeset as a PDF with the changes marked in its
    /// text (insertions underlined in blue, deletions struck through in red),
    /// changed policies flagged in the 目录 and a 变更说明 page listing every change
    /// with its page. Written to --output, by default out/<NEW>/<NEW>.redline.pdf.
    Pdf,
}

/// Arguments of `huibian fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Editions (ids or folders) or single Markdown files; all editions if none.
    #[arg(value_name = "ED|FILE")]
    pub targets: Vec<String>,

    /// Change nothing; print what would change and exit 1 if anything would.
    #[arg(long)]
    pub check: bool,

    /// Also repair numbering sequences (gaps, duplicates, wrong restarts).
    #[arg(long)]
    pub renumber: bool,
}

/// Arguments of `huibian add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The published files: saved web pages, .mhtml, .docx/.doc/.wps, PDFs.
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The edition to add them to: an id under sources/ or a folder.
    #[arg(long, value_name = "ED")]
    pub edition: String,

    /// The category: its number as printed in the 目录 (1, 2, …) or its title (or a
    /// part of it). Needed when the edition has more than one.
    #[arg(long, value_name = "TITLE|N")]
    pub category: Option<String>,

    /// Print the Markdown and the change to edition.toml; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Rewrite the file of a policy already in the edition (same 文号 or title) with
    /// the new text, and print the diff of the old and new text (a 修订).
    #[arg(long)]
    pub replace: bool,
}

/// Arguments of `huibian import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The edition's text as extracted from its PDF (`.txt`, UTF-8), or the PDF itself.
    #[arg(value_name = "TEXT-OR-PDF")]
    pub input: PathBuf,

    /// Id of the new edition, e.g. 2021-Q4: it is written to `sources/<ID>/`.
    #[arg(long, value_name = "ID")]
    pub edition: String,

    /// Replace `sources/<ID>/` if it exists.
    #[arg(long)]
    pub force: bool,

    /// Read the PDF's printed text even when it carries its own sources (a PDF built
    /// by huibian attaches them, and import otherwise restores them byte for byte).
    #[arg(long)]
    pub from_text: bool,
}

/// Arguments of `huibian new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new edition's id, e.g. 2022-Q1 (YYYY-Qn gives the quarter).
    #[arg(value_name = "ID")]
    pub id: String,

    /// The edition to start from (default: the latest under `sources/`).
    #[arg(long, value_name = "ED")]
    pub from: Option<String>,
}

/// Arguments of `huibian serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The edition: an id under `sources/` or a path.
    #[arg(value_name = "ED")]
    pub edition: String,

    /// Port to listen on (default: the first free one from 3000).
    #[arg(long)]
    pub port: Option<u16>,

    /// Address to listen on. The default, 127.0.0.1, shows the preview to this
    /// machine only. `--bind 0.0.0.0` (or `::`) shares it with every machine that can
    /// reach this one, on the LAN or beyond: they can all read the whole edition,
    /// unpublished drafts included, with no password. Share only on a network you
    /// trust.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Folder that receives the built outputs, as for `build`.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Open the editor's desk: the edition edited in the browser (its policies as
    /// forms, checked as `check` checks them; arranged by dragging; published pages,
    /// Word files and PDFs added by dropping them; every change kept and undoable in
    /// `.huibian/history/`). The command prints the desk's address with a token, which
    /// is needed to edit.
    #[arg(long)]
    pub edit: bool,

    /// With --edit and a --bind other than loopback: let other machines edit. Anyone
    /// who can reach this one and has the printed address can then change the
    /// edition, over unencrypted HTTP.
    #[arg(long, requires = "edit")]
    pub allow_remote_edit: bool,
}

/// Arguments of `huibian toc`.
#[derive(Debug, clap::Args)]
pub struct TocArgs {
    /// The edition: an id under `sources/` or a path.
    #[arg(value_name = "ED")]
    pub edition: String,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TocFormat,

    /// Deepest level shown in text and Markdown (1 categories, 2 policies, 3 sections).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub depth: u8,

    /// Folder holding the built editions.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

/// How `toc` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TocFormat {
    /// Titles, dot leaders and page numbers, like the printed 目录.
    Text,
    /// A nested Markdown list.
    Markdown,
    /// toc.json as it is.
    Json,
}

/// Arguments of `huibian build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Editions to build: ids under `sources/` or paths to edition folders.
    #[arg(value_name = "ED")]
    pub editions: Vec<String>,

    /// Folder that receives one sub-folder per edition.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Extra folder to search for fonts (repeatable); `fonts/` in the project is
    /// always searched, and so are the system's fonts.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,

    /// Build only the PDF (and toc.json) or only the HTML site (which then takes its
    /// page numbers from the last toc.json).
    #[arg(long, value_enum)]
    pub only: Option<OnlyOutput>,

    /// Also write exactly what the Typst compiler sees (template and data) into DIR,
    /// so that `typst compile DIR/edition.typ` typesets the same book.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,

    /// Do not use the system's fonts, only `fonts/`, `--font-path` and the Latin fonts
    /// built into huibian (for builds that must not depend on the machine).
    #[arg(long)]
    pub ignore_system_fonts: bool,

    /// PDF standards to conform to, comma-separated, over the edition's `[pdf]
    /// standard`: a-1b, a-1a, a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, a-4, a-4f, a-4e
    /// (one PDF/A part at most), ua-1, a PDF version (1.4 … 2.0), or none. Default:
    /// a-3a,ua-1 (archival and accessible; PDF/A-3 allows the attached sources, see
    /// `[pdf] embed_sources`). What a standard forbids (an image with no alt text, a
    /// character no font draws) fails the build at its source line.
    #[arg(long, value_name = "S", value_parser = parse_pdf_standard)]
    pub pdf_standard: Option<crate::edition::pdf::PdfSettings>,

    /// Write where Typst spent its time (each layout pass, the PDF export) to FILE as
    /// a Chrome trace, like `typst compile --timings`: open it in Perfetto or
    /// chrome://tracing. For looking into a slow build; the outputs are the same.
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,
}

fn parse_pdf_standard(value: &str) -> Result<crate::edition::pdf::PdfSettings, String> {
    let standards = crate::edition::pdf::parse([value])?;
    Ok(crate::edition::pdf::PdfSettings {
        standards,
        origin: crate::edition::pdf::Origin::CommandLine,
        ..Default::default()
    })
}

/// The outputs `build --only` can restrict to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyOutput {
    /// `<ID>.pdf` and toc.json.
    Pdf,
    /// `html/`.
    Html,
}

impl From<Option<OnlyOutput>> for crate::pipeline::Only {
    fn from(only: Option<OnlyOutput>) -> Self {
        match only {
            None => Self::All,
            Some(OnlyOutput::Pdf) => Self::Pdf,
            Some(OnlyOutput::Html) => Self::Html,
        }
    }
}

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked (exit 0).
    Success,
    /// `diff` found differences (exit 1, like diff(1)).
    Differences,
    /// The sources have errors (exit 1); they have been printed.
    SourceErrors,
}

/// Runs a parsed command line. `Err` is a usage or I/O problem (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Build(args) => build::build(&args),
        Command::Check(args) => check::check(&args),
        Command::Toc(args) => toc::toc(&args),
        Command::Import(args) => import::import(&args),
        Command::Add(args) => add::add(&args),
        Command::Fmt(args) => fmt::fmt(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::New(args) => new::new(&args),
        Command::Serve(args) => serve::serve(&args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
