//! The `proximity` command: per-school proximity reports from school and incident files.

mod cli;
mod config;
mod exit_codes;
mod huge_pages;
mod output;
mod summary;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Command, Opts};
use crate::exit_codes::ExitStatus;

#[global_allocator]
static ALLOCATOR: huge_pages::HugePageHint = huge_pages::HugePageHint;

fn main() -> ExitCode {
    let opts = Opts::parse();
    match run(opts) {
        Ok(status) => status.into(),
        Err(error) => {
            eprintln!("error: {error:#}");
            if let Some(hint) = hint_for(&error) {
                eprintln!("hint: {hint}");
            }
            ExitStatus::of_error(&error).into()
        }
    }
}

fn run(opts: Opts) -> anyhow::Result<ExitStatus> {
    match opts.command {
        Command::Report(args) => {
            let config = config::ReportJob::try_from(*args)?;
            config.run()
        }
        Command::Inspect(args) => {
            let job = config::InspectJob::try_from(*args)?;
            job.run()
        }
        Command::Generate(args) => {
            let job = config::GenerateJob::try_from(args)?;
            job.run()
        }
    }
}

/// A next step for errors whose fix is a flag.
fn hint_for(error: &anyhow::Error) -> Option<&'static str> {
    match error.downcast_ref::<proximity::Error>()? {
        proximity::Error::NoCoordinateColumns { .. } => Some(
            "name the columns with --lat-col and --lon-col (or --schools-lat-col, --incidents-lon-col, ...)",
        ),
        proximity::Error::BadRow { .. } => {
            Some("without --strict, unusable rows are skipped and counted")
        }
        _ => None,
    }
}
