//! The `besaya` binary: reads the command line and hands over to the library.
use std::process::ExitCode;

fn main() -> ExitCode {
    match besaya::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line naming the problem; the cause chain is joined with ": ".
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
