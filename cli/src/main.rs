//! `tandem`: the desktop command line over tandem-core.

mod args;
mod commands;
#[cfg(feature = "demo")]
mod demo;
mod keyring;
mod output;
mod parse;
mod session;

use std::io::Write;

use clap::Parser;

fn main() {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(text) => {
            // A closed pipe (`tandem show | head`) is not an error worth reporting.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
        }
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "tandem: {}", failure.message());
            std::process::exit(failure.exit_code());
        }
    }
}
