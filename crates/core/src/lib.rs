//! `proximity`: what happened near each school?
//!
//! The library loads school locations and incident points (CSV or GeoJSON, with the quirks
//! of real open-data exports), indexes the incidents in an R-tree, and computes per-school
//! statistics within a radius: counts, the nearest incident, counts by year and category,
//! and totals across schools. Every distance is the WGS84 ellipsoidal geodesic distance
//! (Karney 2013), as PostGIS `geography` computes it; none is measured in degrees.
//!
//! The main types:
//! - [`Distance`]: a length with its unit (`0.1mi`, `400m`);
//! - [`load_schools`], [`load_incidents`]: read a file into a [`Table`], accounting for
//!   every row that cannot be used ([`RowLog`]);
//! - [`PointIndex`]: radius, nearest and k-nearest queries;
//! - [`compute_statistics`]: per-school [`SchoolStats`];
//! - [`Report`]: all of the above, written as RFC 7946 GeoJSON.
//!
//! ```no_run
//! use proximity::{Report, ReportConfig};
//! let config = ReportConfig::new("0.1mi".parse()?);
//! let report = Report::build("schools.csv".as_ref(), "incidents.csv".as_ref(), config)?;
//! report.write_geojson(std::io::stdout().lock()).map_err(|e| proximity::Error::Invalid(e.to_string()))?;
//! # Ok::<(), proximity::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod accounting;
mod dates;
mod error;
mod filter;
#[cfg(test)]
mod fuzz_tests;
mod geodesy;
mod index;
mod inspect;
mod load;
mod model;
mod per_school;
mod rejects;
mod report;
mod stats;
mod synth;
#[cfg(test)]
mod test_utilities;
mod timings;
mod units;

pub use dates::{
    ACCEPTED_DATE_FORMATS, DateParser, DateRange, Timestamp, Zoned, parse_date_option,
    parse_time_of_day, parse_timezone,
};
pub use error::{ColumnHint, Error, Result, RowPlace};
pub use filter::{DateFiltered, filter_by_date};
pub use geodesy::{WGS84_FLATTENING, WGS84_SEMI_MAJOR_AXIS_M, ecef_m, geodesic_distance_m};
pub use index::{Hit, PointIndex};
pub use inspect::{ColumnProfile, Inspection, inspect};
pub use load::{
    AxisOrder, INCIDENT_TIME_COLUMN, LoadOptions, MIN_LIMIT_KM, OutlierPolicy, SPREAD_FACTOR,
    load_incidents, load_schools,
};
pub use model::{
    AlternativeSource, BoundingBox, ColumnRoles, CsvDialect, FIRST_ROWS_KEPT, Incident, Outlier,
    RejectedRow, Rejects, RowLog, RowNotes, RowSample, School, SkipKind, SkipReason, Source, Table,
    WhereFilter, is_null_spelling,
};
pub use per_school::TableFormat;
pub use rejects::{REJECT_REASON_COLUMN, REJECTED_ROW_COLUMN};
pub use report::{NO_CATEGORY_KEY, Report, ReportConfig, STATISTIC_NAMES, UNDATED_KEY, round_to};
pub use stats::{SchoolStats, Statistics, compute_statistics, incident_groups};
pub use synth::{CityConfig, SyntheticCity, SyntheticIncident, SyntheticSchool, generate_city};
pub use timings::Timings;
pub use units::{
    Distance, LengthUnit, METRES_PER_FOOT, METRES_PER_KILOMETRE, METRES_PER_MILE, METRES_PER_YARD,
};
