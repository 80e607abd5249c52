//! The command line: argument definitions (clap derive) and one function per
//! subcommand. `main.rs` parses, calls [`run`], and maps the [`Outcome`] to an exit code.

mod build;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
                  file:line:column); 2 a usage or I/O error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build editions to print-ready PDF (out/<ID>/<ID>.pdf).
    ///
    /// With no edition given, builds every edition under `sources/`. Outputs are
    /// written atomically: a failed build leaves the previous files untouched.
    Build(BuildArgs),
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

    /// Do not use the system's fonts, only `fonts/`, `--font-path` and the Latin fonts
    /// built into huibian (for builds that must not depend on the machine).
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked (exit 0).
    Success,
    /// The sources have errors (exit 1); they have been printed.
    SourceErrors,
}

/// Runs a parsed command line. `Err` is a usage or I/O problem (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Build(args) => build::build(&args),
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
