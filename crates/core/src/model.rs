//! Schools, incidents, and the accounting of every row of an input.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
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
    /// (empty cells are null), GeoJSON and Parquet values keep their type.
    pub attributes: Vec<Value>,
}

/// An incident row (often one victim): an id, a point, an optional time, category and
/// incident key, and its other columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// 1-based position in the input (data row, or GeoJSON feature).
    pub row: usize,
    /// The id as written, or the row number when the file has no id column. Short ids (up
    /// to 24 bytes) are stored inline, without an allocation of their own.
    pub id: CompactString,
    /// Location as WGS84 (lon, lat).
    pub point: Point,
    /// When it happened, if the file has a date column and the cell could be read.
    pub timestamp: Option<Timestamp>,
    /// The category, when a category column is named and the cell is not empty. Rows with
    /// the same category share one allocation.
    pub category: Option<Arc<str>>,
    /// The incident this row belongs to, when rows are victims grouped by an incident key
    /// (such as `INCIDENT_KEY`); `None` when there is no key column or the cell is empty, in
    /// which case the row is an incident of its own. Rows with the same key share one
    /// allocation.
    pub key: Option<Arc<str>>,
    /// The input columns' values, aligned with [`Table::columns`], when they were kept
    /// (see `LoadOptions::keep_attributes`); empty otherwise.
    pub attributes: Vec<Value>,
}

/// The columns that were used for each role, as found in the file's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnRoles {
    /// Where the points come from, e.g. `columns LAT, LNG` or `WKT column the_geom`.
    pub points: String,
    /// Latitude column, when points come from latitude/longitude columns.
    pub lat: Option<String>,
    /// Longitude column, when points come from latitude/longitude columns.
    pub lon: Option<String>,
    /// Whether the two coordinate columns were read the other way round (`--swap-axes`).
    pub axes_swapped: bool,
    /// Id column; `None` when the id is the row number (or a GeoJSON feature id).
    pub id: Option<String>,
    /// Why a column that looks like an id was not used as one, if so.
    pub id_note: Option<String>,
    /// Name column (schools).
    pub name: Option<String>,
    /// Date or date-time column.
    pub date: Option<String>,
    /// Time-of-day column combined with the date column, when the two are separate.
    pub time: Option<String>,
    /// Category column (incidents).
    pub category: Option<String>,
    /// Incident key column: rows sharing a key are victims of one incident.
    pub key: Option<String>,
}

/// Another source of points the file offers, compared with the one chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeSource {
    /// The source, described like [`ColumnRoles::points`].
    pub source: String,
    /// Rows with a valid point in this source.
    pub valid_rows: usize,
    /// Rows where both sources have a valid point and they differ by more than about a metre
    /// (1e-5 degrees).
    pub disagreeing_rows: usize,
    /// Rows with a valid point only in this source.
    pub rows_only_here: usize,
    /// Why this source has no valid points, when that has a likely explanation (projected
    /// coordinates in feet or metres, for example).
    pub note: Option<String>,
}

/// Where a table came from: enough to identify the exact input again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as the user gave it.
    pub path: String,
    /// `csv`, `geojson` or `parquet`.
    pub format: &'static str,
    /// Lowercase hexadecimal SHA-256 of the file's bytes.
    pub sha256: String,
    /// Data rows (CSV records after the header, GeoJSON features, Parquet rows) in the file.
    pub rows: usize,
    /// For CSV: the dialect found, and what was normalised before parsing.
    pub dialect: Option<CsvDialect>,
}

/// What was found in a CSV file's bytes, and what had to be normalised to read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvDialect {
    /// The field delimiter, sniffed from the header: `,`, `;`, tab or `|`.
    pub delimiter: char,
    /// Whether the file starts with a UTF-8 byte-order mark (removed).
    pub bom: bool,
    /// `LF`, `CRLF`, `CR` (bare carriage returns, read as line breaks), `mixed`, or `none`.
    pub line_endings: &'static str,
    /// Invalid UTF-8 byte sequences, each replaced by U+FFFD.
    pub invalid_utf8_sequences: usize,
    /// Header names changed to be usable (trimmed, empty ones named, repeats numbered):
    /// (as written, as used).
    pub renamed_columns: Vec<(String, String)>,
}

/// A box of latitudes and longitudes, in degrees. With `west > east` it crosses the
/// antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Southern latitude.
    pub south: f64,
    /// Northern latitude.
    pub north: f64,
    /// Western longitude.
    pub west: f64,
    /// Eastern longitude.
    pub east: f64,
}

impl BoundingBox {
    /// Whether `point` (lon, lat) is inside the box, edges included.
    pub fn contains(&self, point: Point) -> bool {
        let (lon, lat) = (point.x(), point.y());
        let lon_inside = if self.west <= self.east {
            (self.west..=self.east).contains(&lon)
        } else {
            lon >= self.west || lon <= self.east
        };
        lon_inside && (self.south..=self.north).contains(&lat)
    }

    /// The smallest box (not crossing the antimeridian) holding every point, if any.
    pub fn of_points(points: impl IntoIterator<Item = Point>) -> Option<BoundingBox> {
        points.into_iter().fold(None, |bbox, point| {
            let (lon, lat) = (point.x(), point.y());
            Some(match bbox {
                None => BoundingBox {
                    south: lat,
                    north: lat,
                    west: lon,
                    east: lon,
                },
                Some(b) => BoundingBox {
                    south: b.south.min(lat),
                    north: b.north.max(lat),
                    west: b.west.min(lon),
                    east: b.east.max(lon),
                },
            })
        })
    }
}

impl std::str::FromStr for BoundingBox {
    type Err = crate::error::Error;

    /// `south,north,west,east` in degrees, such as `41.64,42.03,-87.95,-87.52`. A box with
    /// `west > east` crosses the antimeridian.
    fn from_str(text: &str) -> crate::error::Result<BoundingBox> {
        let invalid =
            |message: String| crate::error::Error::Invalid(format!("--bbox {text:?}: {message}"));
        let numbers: Vec<f64> = text
            .split(',')
            .map(|part| part.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| invalid("expected four numbers: south,north,west,east".into()))?;
        let [south, north, west, east] = numbers[..] else {
            return Err(invalid(
                "expected four numbers: south,north,west,east".into(),
            ));
        };
        if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) || south >= north {
            return Err(invalid(format!(
                "latitudes must satisfy -90 <= south < north <= 90, got south {south}, north {north}"
            )));
        }
        if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) || west == east {
            return Err(invalid(format!(
                "longitudes must be within [-180, 180] and differ, got west {west}, east {east}"
            )));
        }
        Ok(BoundingBox {
            south,
            north,
            west,
            east,
        })
    }
}

impl fmt::Display for BoundingBox {
    /// `lat 41.64 to 42.03, lon -87.95 to -87.52`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lat {} to {}, lon {} to {}",
            self.south, self.north, self.west, self.east
        )
    }
}

/// A loaded input: the usable records, and an account of every other row.
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
    /// Rows that were kept but have something worth knowing: unreadable dates, duplicates,
    /// outliers, cells that are not numbers.
    pub notes: RowNotes,
    /// The other sources of points the file offers, and how far they agree.
    pub alternatives: Vec<AlternativeSource>,
    /// The `--where` filter, if one was given, and how many loaded rows it removed.
    pub filter: Option<WhereFilter>,
    /// The extent of the loaded points (after dropped outliers, before `--where`), if any.
    pub extent: Option<BoundingBox>,
    /// Rows that were skipped, unchanged, when they were asked for.
    pub rejects: Option<Rejects>,
    /// How long each phase of loading took.
    pub timings: crate::Timings,
}

impl<T> Table<T> {
    /// Rows with a usable point, before any `--where` filter: the records plus the rows the
    /// filter removed.
    pub fn loaded(&self) -> usize {
        self.records.len() + self.filter.as_ref().map_or(0, |filter| filter.excluded)
    }
}

/// A `--where` expression and its effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhereFilter {
    /// The SQL expression as given.
    pub expression: String,
    /// Loaded rows for which the expression was false or null.
    pub excluded: usize,
    /// Of those, rows for which it was null (a cell it needs is empty or not a number).
    pub null: usize,
}

/// Rows that could not be used, kept exactly as read so that nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejects {
    /// The input's columns.
    pub columns: Vec<String>,
    /// Each rejected row, in input order.
    pub rows: Vec<RejectedRow>,
}

/// One rejected row: where it was, why, and its cells as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based row (or feature) number.
    pub row: usize,
    /// Why it was rejected.
    pub reason: String,
    /// Its cells as read, aligned with [`Rejects::columns`]; `None` for an empty cell.
    pub cells: Vec<Option<String>>,
}

/// Why a row could not be used. Displayed as `column "LAT": not a number: "n/a"`.
#[derive(Debug, Clone, PartialEq)]
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
    /// A GeoJSON feature without geometry.
    MissingGeometry,
    /// A GeoJSON feature whose geometry is not a Point.
    NotAPoint {
        /// The geometry's type.
        kind: String,
    },
    /// A GeoJSON Point whose coordinates are not finite numbers.
    BadPosition,
    /// A WKT, WKB or "(lat, lon)" cell that holds no WGS84 point.
    UnreadablePoint {
        /// The column.
        column: String,
        /// The cell as found.
        value: String,
    },
    /// A point far from the rest of the data, dropped by `--outliers drop`.
    FarOutlier {
        /// Its distance from the data's median centre, in kilometres.
        distance_km: f64,
        /// The distance beyond which points are outliers, in kilometres.
        limit_km: f64,
    },
    /// A point outside the `--bbox` box, dropped.
    OutsideBox {
        /// The point.
        point: (f64, f64),
    },
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
    /// See [`SkipReason::MissingGeometry`].
    MissingGeometry,
    /// See [`SkipReason::NotAPoint`].
    NotAPoint,
    /// See [`SkipReason::BadPosition`].
    BadPosition,
    /// See [`SkipReason::UnreadablePoint`].
    UnreadablePoint,
    /// See [`SkipReason::FarOutlier`].
    FarOutlier,
    /// See [`SkipReason::OutsideBox`].
    OutsideBox,
}

impl SkipReason {
    /// The kind under which this reason is counted.
    pub fn kind(&self) -> SkipKind {
        match self {
            SkipReason::MissingCoordinate { .. } => SkipKind::MissingCoordinate,
            SkipReason::NotANumber { .. } => SkipKind::NotANumber,
            SkipReason::OutOfRange { .. } => SkipKind::OutOfRange,
            SkipReason::NullIsland => SkipKind::NullIsland,
            SkipReason::MissingGeometry => SkipKind::MissingGeometry,
            SkipReason::NotAPoint { .. } => SkipKind::NotAPoint,
            SkipReason::BadPosition => SkipKind::BadPosition,
            SkipReason::UnreadablePoint { .. } => SkipKind::UnreadablePoint,
            SkipReason::FarOutlier { .. } => SkipKind::FarOutlier,
            SkipReason::OutsideBox { .. } => SkipKind::OutsideBox,
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
                write!(f, "column {column:?}: not a number: {:?}", shorten(value))
            }
            SkipReason::OutOfRange { column, value } => {
                write!(f, "column {column:?}: out of range: {value:?}")
            }
            SkipReason::NullIsland => {
                write!(f, "point is (0, 0), a placeholder for a failed geocode")
            }
            SkipReason::MissingGeometry => write!(f, "feature has no geometry"),
            SkipReason::NotAPoint { kind } => write!(f, "geometry is a {kind}, not a Point"),
            SkipReason::BadPosition => write!(f, "point coordinates are not finite numbers"),
            SkipReason::UnreadablePoint { column, value } => {
                write!(
                    f,
                    "column {column:?}: no WGS84 point in {:?}",
                    shorten(value)
                )
            }
            SkipReason::FarOutlier {
                distance_km,
                limit_km,
            } => write!(
                f,
                "point is {distance_km:.0} km from the median centre of the data (outliers: beyond {limit_km:.0} km)"
            ),
            SkipReason::OutsideBox { point } => {
                write!(f, "point ({}, {}) is outside --bbox", point.1, point.0)
            }
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
            SkipKind::MissingGeometry => "no geometry",
            SkipKind::NotAPoint => "geometry not a point",
            SkipKind::BadPosition => "bad point coordinates",
            SkipKind::UnreadablePoint => "unreadable point",
            SkipKind::FarOutlier => "outlier far from the rest",
            SkipKind::OutsideBox => "outside --bbox",
        }
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A cell shortened to 80 characters for messages.
pub(crate) fn shorten(value: &str) -> String {
    match value.char_indices().nth(80) {
        Some((end, _)) => format!("{}...", &value[..end]),
        None => value.to_string(),
    }
}

/// How many of the first rows of each kind are remembered, for messages and reports.
pub const FIRST_ROWS_KEPT: usize = 5;

/// Rows of one kind: how many, the first few row numbers, and the first message in full.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowSample {
    /// How many rows.
    pub count: usize,
    /// The first [`FIRST_ROWS_KEPT`] row numbers (1-based).
    pub first_rows: Vec<usize>,
    /// The message for the first row, such as `row 231: column "LAT": missing coordinate`.
    pub example: String,
}

impl RowSample {
    /// Counts one row at 1-based `row`, described by `message` if it is the first.
    pub fn record(&mut self, row: usize, message: impl FnOnce() -> String) {
        if self.count == 0 {
            self.example = message();
        }
        self.count += 1;
        if self.first_rows.len() < FIRST_ROWS_KEPT {
            self.first_rows.push(row);
        }
    }

    /// Whether no row was counted.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Skipped rows counted by kind, with examples. Iterates in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowLog {
    entries: BTreeMap<SkipKind, RowSample>,
}

impl RowLog {
    /// Counts one row of `kind` at 1-based `row`, described by `message`.
    pub fn record(&mut self, kind: SkipKind, row: usize, message: impl FnOnce() -> String) {
        self.entries.entry(kind).or_default().record(row, message);
    }

    /// The total number of rows counted.
    pub fn total(&self) -> usize {
        self.entries.values().map(|entry| entry.count).sum()
    }

    /// The count for one kind.
    pub fn count(&self, kind: SkipKind) -> usize {
        self.entries.get(&kind).map_or(0, |entry| entry.count)
    }

    /// Each kind with its rows, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = (SkipKind, &RowSample)> {
        self.entries.iter().map(|(kind, entry)| (*kind, entry))
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Rows that were kept, but with something the user should know.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowNotes {
    /// Date (or time) cells that could not be read; the rows are kept without a date.
    pub unreadable_dates: RowSample,
    /// Date-times written with a UTC offset: converted to `--timezone`, or else kept as the
    /// wall-clock time written.
    pub zoned_times: RowSample,
    /// Rows whose id cell is empty; their row number is used as the id.
    pub empty_ids: RowSample,
    /// Rows identical, cell for cell, to an earlier row (the example names that row).
    pub duplicate_rows: RowSample,
    /// Rows whose id was already used by an earlier row.
    pub duplicate_ids: RowSample,
    /// Every point far from the rest of the data (or outside `--bbox`), kept or dropped.
    pub outliers: Vec<Outlier>,
    /// Whether the outliers were dropped (and counted as skipped rows) or kept.
    pub outliers_dropped: bool,
    /// The outlier distance limit found, in kilometres, when outliers were looked for by
    /// distance (not with `--bbox`) among enough points.
    pub outlier_limit_km: Option<f64>,
    /// Cells of `--numeric` columns that are not numbers, read as null, by column.
    pub not_numeric: Vec<(String, RowSample)>,
    /// Rows whose incident key cell is empty; each is an incident of its own.
    pub empty_keys: RowSample,
}

/// A point flagged as far from the rest of the data, or outside `--bbox`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlier {
    /// 1-based row (or feature) number.
    pub row: usize,
    /// The point.
    pub point: Point,
    /// Its distance from the data's median centre, in kilometres; `None` when it was
    /// flagged for being outside `--bbox`.
    pub distance_km: Option<f64>,
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

    #[test]
    fn boxes() {
        let chicago = BoundingBox {
            south: 41.64,
            north: 42.03,
            west: -87.95,
            east: -87.52,
        };
        assert!(chicago.contains(Point::new(-87.63, 41.88)));
        assert!(chicago.contains(Point::new(-87.95, 42.03)));
        assert!(!chicago.contains(Point::new(-86.17, 39.77)));
        let across = BoundingBox {
            south: -20.0,
            north: -10.0,
            west: 170.0,
            east: -170.0,
        };
        assert!(across.contains(Point::new(179.9, -15.0)));
        assert!(across.contains(Point::new(-175.0, -15.0)));
        assert!(!across.contains(Point::new(0.0, -15.0)));
        let extent = BoundingBox::of_points([Point::new(1.0, 2.0), Point::new(-3.0, 5.0)]).unwrap();
        assert_eq!(
            (extent.south, extent.north, extent.west, extent.east),
            (2.0, 5.0, -3.0, 1.0)
        );
        assert_eq!(BoundingBox::of_points(std::iter::empty()), None);
        let parsed: BoundingBox = " 41.64, 42.03,-87.95,-87.52".parse().unwrap();
        assert_eq!(parsed, chicago);
        for bad in [
            "1,2,3",
            "42,41,-87,-86",
            "a,b,c,d",
            "41,42,-87,-87",
            "41,42,-190,0",
        ] {
            assert!(bad.parse::<BoundingBox>().is_err(), "{bad}");
        }
    }
}
