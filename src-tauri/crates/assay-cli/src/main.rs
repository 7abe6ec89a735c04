//! `assay`: the command line over Assay's core. Parses arguments, calls one use case, prints.
//!
//! Contract (shared/docs/cli.md): `--json` prints exactly one JSON document on stdout; progress and
//! diagnostics go to stderr; exit 0 on success, 1 when the user's input or file is wrong (one line on
//! stderr naming the file, the place and the problem), 2 on an internal error.
//!
//! Layout: [`cli`] holds the clap definitions and the dispatch; [`cmd`] one module per command
//! group; [`output`] and [`progress`] the printing.

// First, so its printing macros are in scope in every module below.
#[macro_use]
mod output;
mod cli;
mod cmd;
mod progress;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, UserError};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are successes; every other parse error is the user's input.
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(cli) {
        Ok(code) => code,
        // The reader of stdout went away (`| head`): nothing left to say, and nobody to say it to.
        Err(err) if output::is_closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let user = err
                .downcast_ref::<assay_core::Error>()
                .map(|e| e.is_user_error());
            // The core's messages already name the file and the cause; no chain to append.
            output::print_error(&err);
            match user {
                Some(false) => ExitCode::from(2),
                // Errors we raised ourselves about arguments or files are the user's to fix.
                _ if err.downcast_ref::<UserError>().is_some() => ExitCode::from(1),
                Some(true) => ExitCode::from(1),
                None => ExitCode::from(2),
            }
        }
    }
}
