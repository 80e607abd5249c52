//! The `huibian` binary: parse the command line, run it, map the outcome to an exit
//! status (0 success, 1 errors in the sources, 2 usage or I/O error).

use std::process::ExitCode;

use clap::Parser;
use huibian::cli::{Cli, Outcome, is_reader_gone, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::SourceErrors | Outcome::Differences) => ExitCode::from(1),
        // `huibian check --format json | head`: the reader had what it wanted.
        Err(err) if is_reader_gone(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
