//! The process's exit codes.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success.
    Ok,
    /// Something failed that is not the input's fault, such as writing the output.
    Failure,
    /// Bad usage or bad input (clap also exits with 2 on bad usage).
    BadInput,
}

impl ExitStatus {
    /// The status for an error: input and option errors from the library are the user's to
    /// fix (2); anything else, such as a failed write, is a failure (1).
    pub fn of_error(error: &anyhow::Error) -> ExitStatus {
        if error.downcast_ref::<proximity::Error>().is_some() {
            ExitStatus::BadInput
        } else {
            ExitStatus::Failure
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Ok => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::BadInput => ExitCode::from(2),
        }
    }
}
