//! Schools, incidents, and the accounting of rows that could not be used.

use std::collections::BTreeMap;
use std::fmt;

use geo::Point;
use serde_json::Value;

use crate::dates::Timestamp;

/// A school: an id, a name, a (lon, lat) point, and its other columns as they were.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    /// 1-based position in the input (data row, or GeoJSON feature).
    pub row: usize,
    /// The id as written, or the row number when the file has no id column.
    pub id: String,
    /// The name, when the file has a name column and the cell is not empty.
    pub name: Option<String>,
    /// Location as WGS84 (lon, lat).
    pub point: Point,
    /// Every input column's value, aligned with [`Table::columns`]; CSV cells are text
    /// (empty cells are null), GeoJSON properties keep their JSON type.
    pub attributes: Vec<Value>,
}

/// An incident: an id, a point, an optional time and category, and its other columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// 1-based position in the input (data row, or GeoJSON feature).
    pub row: usize,
    /// The id as written, or the row number when the file has no id column.
    pub id: String,
    /// Location as WGS84 (lon, lat).
    pub point: Point,
    /// When it happened, if the file has a date column and the cell could be read.
    pub timestamp: Option<Timestamp>,
    /// The category, when a category column is named and the cell is not empty.
    pub category: Option<String>,
    /// The input columns' values, aligned with [`Table::columns`], when they were kept
    /// (see `LoadOptions::keep_attributes`); empty otherwise.
    pub attributes: Vec<Value>,
}

/// The columns that were used for each role, as found in the file's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnRoles {
    /// Latitude column; `None` when points come from GeoJSON geometry.
    pub lat: Option<String>,
    /// Longitude column; `None` when points come from GeoJSON geometry.
    pub lon: Option<String>,
    /// Id column; `None` when the id is the row number (or a GeoJSON feature id).
    pub id: Option<String>,
    /// Name column (schools).
    pub name: Option<String>,
    /// Date column (incidents).
    pub date: Option<String>,
    /// Category column (incidents).
    pub category: Option<String>,
}

/// Where a table came from: enough to identify the exact input again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as the user gave it.
    pub path: String,
    /// `csv` or `geojson`.
    pub format: &'static str,
    /// Lowercase hexadecimal SHA-256 of the file's bytes.
    pub sha256: String,
    /// Data rows (CSV records after the header, or GeoJSON features) in the file.
    pub rows: usize,
}

/// A loaded input: the usable records, and an account of everything else.
#[derive(Debug, Clone)]
pub struct Table<T> {
    /// The records that could be used, in input order.
    pub records: Vec<T>,
    /// Every column of the input, in input order.
    pub columns: Vec<String>,
    /// The columns used for each role.
    pub roles: ColumnRoles,
    /// The file the table came from.
    pub source: Source,
    /// Rows that were skipped, by reason.
    pub skipped: RowLog,
    /// Date cells that could not be read; their rows are kept without a date.
    pub unreadable_dates: RowLog,
}

/// Why a row could not be used. Displayed as `column "LAT": not a number: "n/a"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The coordinate cell is empty or a null spelling such as `None` or `NA`.
    MissingCoordinate {
        /// The column.
        column: String,
        /// The cell as found (possibly empty).
        value: String,
    },
    /// The coordinate cell is not a number.
    NotANumber {
        /// The column.
        column: String,
        /// The cell as found.
        value: String,
    },
    /// The latitude is outside [-90, 90] or the longitude outside [-180, 180].
    OutOfRange {
        /// The column.
        column: String,
        /// The cell as found.
        value: String,
    },
    /// The point is (0, 0), the usual placeholder for a failed geocode.
    NullIsland,
    /// The id cell is empty.
    MissingId {
        /// The id column.
        column: String,
    },
    /// A GeoJSON feature without geometry.
    MissingGeometry,
    /// A GeoJSON feature whose geometry is not a Point.
    NotAPoint {
        /// The geometry's type.
        kind: String,
    },
    /// A GeoJSON Point whose coordinates are not finite numbers.
    BadPosition,
}

/// The kind of a [`SkipReason`], under which skipped rows are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipKind {
    /// See [`SkipReason::MissingCoordinate`].
    MissingCoordinate,
    /// See [`SkipReason::NotANumber`].
    NotANumber,
    /// See [`SkipReason::OutOfRange`].
    OutOfRange,
    /// See [`SkipReason::NullIsland`].
    NullIsland,
    /// See [`SkipReason::MissingId`].
    MissingId,
    /// See [`SkipReason::MissingGeometry`].
    MissingGeometry,
    /// See [`SkipReason::NotAPoint`].
    NotAPoint,
    /// See [`SkipReason::BadPosition`].
    BadPosition,
    /// A date cell that could not be read (the row is kept without a date).
    UnreadableDate,
}

impl SkipReason {
    /// The kind under which this reason is counted.
    pub fn kind(&self) -> SkipKind {
        match self {
            SkipReason::MissingCoordinate { .. } => SkipKind::MissingCoordinate,
            SkipReason::NotANumber { .. } => SkipKind::NotANumber,
            SkipReason::OutOfRange { .. } => SkipKind::OutOfRange,
            SkipReason::NullIsland => SkipKind::NullIsland,
            SkipReason::MissingId { .. } => SkipKind::MissingId,
            SkipReason::MissingGeometry => SkipKind::MissingGeometry,
            SkipReason::NotAPoint { .. } => SkipKind::NotAPoint,
            SkipReason::BadPosition => SkipKind::BadPosition,
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::MissingCoordinate { column, value } if value.trim().is_empty() => {
                write!(f, "column {column:?}: missing coordinate")
            }
            SkipReason::MissingCoordinate { column, value } => {
                write!(f, "column {column:?}: missing coordinate: {value:?}")
            }
            SkipReason::NotANumber { column, value } => {
                write!(f, "column {column:?}: not a number: {value:?}")
            }
            SkipReason::OutOfRange { column, value } => {
                write!(f, "column {column:?}: out of range: {value:?}")
            }
            SkipReason::NullIsland => {
                write!(f, "point is (0, 0), a placeholder for a failed geocode")
            }
            SkipReason::MissingId { column } => write!(f, "column {column:?}: empty id"),
            SkipReason::MissingGeometry => write!(f, "feature has no geometry"),
            SkipReason::NotAPoint { kind } => write!(f, "geometry is a {kind}, not a Point"),
            SkipReason::BadPosition => write!(f, "point coordinates are not finite numbers"),
        }
    }
}

impl SkipKind {
    /// A short, stable label, used as the key in reports.
    pub fn label(self) -> &'static str {
        match self {
            SkipKind::MissingCoordinate => "missing coordinate",
            SkipKind::NotANumber => "coordinate not a number",
            SkipKind::OutOfRange => "coordinate out of range",
            SkipKind::NullIsland => "point at (0, 0)",
            SkipKind::MissingId => "empty id",
            SkipKind::MissingGeometry => "no geometry",
            SkipKind::NotAPoint => "geometry not a point",
            SkipKind::BadPosition => "bad point coordinates",
            SkipKind::UnreadableDate => "unreadable date",
        }
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How many of the first rows of each kind are remembered, for messages and reports.
pub const FIRST_ROWS_KEPT: usize = 5;

/// Rows of one kind: how many, the first few row numbers, and the first message in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowLogEntry {
    /// How many rows.
    pub count: usize,
    /// The first [`FIRST_ROWS_KEPT`] row numbers (1-based).
    pub first_rows: Vec<usize>,
    /// The message for the first row, such as `column "LAT": missing coordinate: "None"`.
    pub example: String,
}

/// A count of rows by kind, with examples. Iterates in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowLog {
    entries: BTreeMap<SkipKind, RowLogEntry>,
}

impl RowLog {
    /// Counts one row of `kind` at 1-based `row`, described by `message`.
    pub fn record(&mut self, kind: SkipKind, row: usize, message: impl FnOnce() -> String) {
        let entry = self.entries.entry(kind).or_insert_with(|| RowLogEntry {
            count: 0,
            first_rows: Vec::new(),
            example: message(),
        });
        entry.count += 1;
        if entry.first_rows.len() < FIRST_ROWS_KEPT {
            entry.first_rows.push(row);
        }
    }

    /// The total number of rows counted.
    pub fn total(&self) -> usize {
        self.entries.values().map(|entry| entry.count).sum()
    }

    /// The count for one kind.
    pub fn count(&self, kind: SkipKind) -> usize {
        self.entries.get(&kind).map_or(0, |entry| entry.count)
    }

    /// Each kind with its entry, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = (SkipKind, &RowLogEntry)> {
        self.entries.iter().map(|(kind, entry)| (*kind, entry))
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Whether a cell is empty or one of the spellings exports use for a missing value:
/// `None`, `NA`, `N/A`, `null`, `NaN` (any case, surrounding spaces ignored).
pub fn is_null_spelling(text: &str) -> bool {
    let text = text.trim();
    text.is_empty()
        || ["none", "na", "n/a", "null", "nan"]
            .iter()
            .any(|spelling| text.eq_ignore_ascii_case(spelling))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_spellings() {
        for null in [
            "", " ", "None", "NONE", "NA", "n/a", "N/A", "null", "NaN", " none ",
        ] {
            assert!(is_null_spelling(null), "{null:?}");
        }
        for value in ["0", "-87.6", "Nan Avenue", "nil?", "NAN1"] {
            assert!(!is_null_spelling(value), "{value:?}");
        }
    }

    #[test]
    fn row_log_counts_and_keeps_first_rows() {
        let mut log = RowLog::default();
        for row in 1..=8 {
            log.record(SkipKind::MissingCoordinate, row, || format!("row {row}"));
        }
        log.record(SkipKind::NullIsland, 42, || "zero".to_string());
        assert_eq!(log.total(), 9);
        assert_eq!(log.count(SkipKind::MissingCoordinate), 8);
        let (kind, entry) = log.iter().next().unwrap();
        assert_eq!(kind, SkipKind::MissingCoordinate);
        assert_eq!(entry.first_rows, vec![1, 2, 3, 4, 5]);
        assert_eq!(entry.example, "row 1");
    }

    #[test]
    fn reasons_read_well() {
        let reason = SkipReason::NotANumber {
            column: "lat".into(),
            value: "n/a?".into(),
        };
        assert_eq!(reason.to_string(), "column \"lat\": not a number: \"n/a?\"");
        let reason = SkipReason::MissingCoordinate {
            column: "LAT".into(),
            value: "None".into(),
        };
        assert_eq!(
            reason.to_string(),
            "column \"LAT\": missing coordinate: \"None\""
        );
    }
}
