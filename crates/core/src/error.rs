//! The one error type of the library.

use std::fmt;

use crate::model::SkipReason;

/// A `Result` whose error is [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library. Messages are lowercase, without a
/// trailing period, and name the file, the 1-based row and the column when they apply.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written. The message says what the operating
    /// system said, so the error is not also given as a `source`.
    #[error("{path}: {}", describe_io(cause))]
    Io {
        /// The file, as the user named it.
        path: String,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// A file is not of the expected format as a whole (not CSV, not GeoJSON, empty).
    #[error("{path}: {message}")]
    Format {
        /// The file, as the user named it.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A column that was asked for by name is not in the file.
    #[error("{path}: no column {column:?}{hint}")]
    NoSuchColumn {
        /// The file, as the user named it.
        path: String,
        /// The name that was asked for.
        column: String,
        /// The closest real names, or the list of columns, already formatted.
        hint: ColumnHint,
    },
    /// No column holding latitudes and longitudes could be found.
    #[error(
        "{path}: no latitude/longitude columns found (looked for lat/latitude/y and lon/lng/long/longitude/x in any case); columns are: {columns}"
    )]
    NoCoordinateColumns {
        /// The file, as the user named it.
        path: String,
        /// The file's columns, comma-separated.
        columns: String,
    },
    /// A source of coordinates was found, but no row has a usable point.
    #[error(
        "{path}: no usable coordinates in {points}: none of the {rows} rows has a valid point; for example {example}{hint}"
    )]
    NoUsableCoordinates {
        /// The file, as the user named it.
        path: String,
        /// The source that was tried, e.g. `columns X, Y`.
        points: String,
        /// How many rows.
        rows: usize,
        /// The first row's problem.
        example: String,
        /// Why that may be, already formatted (may be empty).
        hint: String,
    },
    /// The points fit only with latitude and longitude the other way round.
    #[error(
        "{path}: {points} look swapped: {swapped} rows fit only with latitude and longitude the other way round, {as_written} only as written; pass --swap-axes to swap them, or --keep-axes to keep them as written"
    )]
    AxesSwapped {
        /// The file, as the user named it.
        path: String,
        /// The source of points, e.g. `columns lat, lon`.
        points: String,
        /// Rows that fit only swapped.
        swapped: usize,
        /// Rows that fit only as written.
        as_written: usize,
    },
    /// A `--where` expression that cannot be evaluated.
    #[error("{path}: --where {expression:?}: {message}")]
    Filter {
        /// The file, as the user named it.
        path: String,
        /// The expression as given.
        expression: String,
        /// What is wrong, with a hint when there is one.
        message: String,
    },
    /// Nothing is left to work with after the filters.
    #[error("{path}: no rows left: {message}")]
    NothingLeft {
        /// The file, as the user named it.
        path: String,
        /// What removed them.
        message: String,
    },
    /// A row that would be skipped, in strict mode.
    #[error("{path}: {place}: {reason}")]
    BadRow {
        /// The file, as the user named it.
        path: String,
        /// `row N` for tables (1-based, header excluded) or `feature N` for GeoJSON.
        place: RowPlace,
        /// Why the row cannot be used.
        reason: SkipReason,
    },
    /// A distance such as `0.1mi` could not be understood.
    #[error("invalid distance {input:?}: {message}")]
    Distance {
        /// The text as given.
        input: String,
        /// What is wrong, and what is accepted.
        message: String,
    },
    /// A date or date-time could not be understood.
    #[error("invalid date {input:?}: {message}")]
    Date {
        /// The text as given.
        input: String,
        /// What is accepted.
        message: String,
    },
    /// An option's value is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

/// Where a row sits in its file: a table row or a GeoJSON feature, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPlace {
    /// 1-based position among the data rows (header excluded) or among the features.
    pub number: usize,
    /// Whether the file is a GeoJSON FeatureCollection.
    pub is_feature: bool,
}

impl fmt::Display for RowPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.is_feature { "feature" } else { "row" };
        write!(f, "{word} {}", self.number)
    }
}

/// The helpful tail of a [`Error::NoSuchColumn`] message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnHint {
    /// Real column names that are close to the one asked for, best first.
    pub suggestions: Vec<String>,
    /// Every column of the file.
    pub columns: Vec<String>,
}

impl fmt::Display for ColumnHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.suggestions.is_empty() {
            let quoted: Vec<String> = self.suggestions.iter().map(|s| format!("{s:?}")).collect();
            write!(f, "; did you mean {}?", quoted.join(" or "))?;
        }
        write!(f, " (columns are: {})", self.columns.join(", "))
    }
}

/// An operating-system error in plain words: "no such file" rather than "No such file or
/// directory (os error 2)".
fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => error.to_string(),
    }
}
