//! What the user may say about how to read an input file.

use chrono_tz::Tz;

use crate::model::BoundingBox;

/// What to do with points far from the rest of the data (or outside `--bbox`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutlierPolicy {
    /// Keep them, and report them with their row numbers.
    #[default]
    Keep,
    /// Drop them as skipped rows, with their reason.
    Drop,
}

/// What to do about the order of the two coordinates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AxisOrder {
    /// Read them as the columns are named, and refuse a file whose points fit only the
    /// other way round.
    #[default]
    Check,
    /// Read them the other way round: the "latitude" holds longitudes and vice versa.
    Swap,
    /// Read them as named, without checking.
    Keep,
}

/// Options for loading a table of schools or incidents. Every column left `None` is detected
/// from the header (see the README for the names that are recognised).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// The latitude column.
    pub lat_column: Option<String>,
    /// The longitude column.
    pub lon_column: Option<String>,
    /// A column holding whole points: WKT, WKB (hex or binary) or "(lat, lon)" text.
    pub point_column: Option<String>,
    /// The id column. Without one, and none detected, the id is the 1-based row number.
    pub id_column: Option<String>,
    /// The name column (schools only).
    pub name_column: Option<String>,
    /// The date or date-time column.
    pub date_column: Option<String>,
    /// A time-of-day column to combine with a date-only column.
    pub time_column: Option<String>,
    /// Do not look for a time-of-day column.
    pub no_time_column: bool,
    /// The category column (incidents only); categories are counted only when it is named.
    pub category_column: Option<String>,
    /// The incident key column (incidents only): rows sharing a key are one incident.
    pub key_column: Option<String>,
    /// Do not look for an incident key column.
    pub no_key_column: bool,
    /// The time zone of the data: date-times written with a UTC offset are converted to it.
    pub timezone: Option<Tz>,
    /// How to read the two coordinates.
    pub axes: AxisOrder,
    /// What to do with outliers.
    pub outliers: OutlierPolicy,
    /// Points outside this box are the outliers, instead of those far from the rest.
    pub bbox: Option<BoundingBox>,
    /// A SQL boolean expression on the file's columns: only rows for which it is true are
    /// used (polars SQL).
    pub filter: Option<String>,
    /// Columns to read as numbers in `filter`; cells that are not numbers become null and
    /// are counted.
    pub numeric_columns: Vec<String>,
    /// Turn the first unusable row into an error instead of skipping it.
    pub strict: bool,
    /// Keep every column's value on each incident (schools always keep theirs).
    pub keep_attributes: bool,
    /// Keep every skipped row's cells, to write them out.
    pub keep_rejects: bool,
}
