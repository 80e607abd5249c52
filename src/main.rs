//! The `huibian` binary: parse the command line, run it, map the outcome to an exit
//! status (0 success, 1 errors in the sources, 2 usage or I/O error).

use std::process::ExitCode;

use clap::Parser;
use huibian::cli::{Cli, Outcome, is_reader_gone, run};

fn main() -> ExitCode {
    limit_malloc_arenas();
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

/// glibc gives each thread that allocates its own arena, up to eight per core; a
/// build's second thread (the HTML beside the PDF export) then keeps pages of its own
/// that the first cannot reuse, and the peak memory of a build varied by 20% from run
/// to run (205–258 MiB on 2021-Q4). Two arenas hold it at Typst's own (205 MiB) at
/// no cost in time; one would serialise the threads' allocations (+15% time). A
/// `MALLOC_ARENA_MAX` in the environment is the user's choice and left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called first thing in `main`, before any other thread exists;
        // `mallopt` only sets a tuning parameter and reports failure by its result,
        // which leaves glibc's default in place.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
