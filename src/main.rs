//! The `cxsim` command. All argv parsing, printing and exit codes live in
//! `cli`; the library never prints or exits.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    restore_sigpipe();
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(cli::exit_code(&err))
        }
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`cxsim … | head`)
/// would panic. Restore the default so that the process ends quietly like
/// other command-line tools. Output files are complete by then: they are
/// committed before anything is printed.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: called first thing in main, before any thread starts; SIG_DFL
    // is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
