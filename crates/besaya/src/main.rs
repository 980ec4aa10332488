//! The `besaya` binary: reads the command line and hands over to the library.
use std::process::ExitCode;

/// mimalloc: allocation and freeing showed as ~15% of a page request with glibc's
/// allocator (perf, docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
