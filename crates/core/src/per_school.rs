//! The report as a table: one row per school, for spreadsheets, R, pandas and SQL. Written
//! as CSV or Parquet through polars.

use std::collections::BTreeSet;
use std::io::Write;

use polars::prelude::{
    Column, CsvWriter, DataFrame, IntoColumn, NamedFrom, ParquetWriter, SerWriter, Series,
};

use crate::error::{Error, Result};
use crate::report::{NO_CATEGORY_KEY, Report, UNDATED_KEY, round_to};

/// The file format of the per-school table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated values with a header.
    Csv,
    /// Apache Parquet, with typed columns.
    Parquet,
}

impl TableFormat {
    /// The format a file name asks for: Parquet for `.parquet` or `.pq`, CSV otherwise.
    pub fn from_path(path: &std::path::Path) -> TableFormat {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("parquet" | "pq") => TableFormat::Parquet,
            _ => TableFormat::Csv,
        }
    }
}

impl Report {
    /// The per-school table, in the schools' order: `school_id`, `school_name`, `lon`, `lat`,
    /// `incidents_within`, `victims_within` (with an incident key), `nearest_m`,
    /// `nearest_incident_id`, `first_incident_date`, `last_incident_date`, then one
    /// `incidents_YYYY` column per year with incidents within the radius of some school
    /// (`incidents_unknown_year` for undated ones) and, with a category column, one
    /// `category_NAME` column per category. Counts are integers, distances metres.
    pub fn per_school_table(&self) -> Result<DataFrame> {
        let schools = &self.schools.records;
        let stats = &self.statistics.schools;
        let precision = self.config.precision;
        let mut columns: Vec<Column> = Vec::new();
        let mut push = |series: Series| columns.push(series.into_column());
        push(Series::new(
            "school_id".into(),
            schools.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ));
        push(Series::new(
            "school_name".into(),
            schools
                .iter()
                .map(|s| s.name.as_deref())
                .collect::<Vec<_>>(),
        ));
        push(Series::new(
            "lon".into(),
            schools
                .iter()
                .map(|s| round_to(s.point.x(), precision))
                .collect::<Vec<_>>(),
        ));
        push(Series::new(
            "lat".into(),
            schools
                .iter()
                .map(|s| round_to(s.point.y(), precision))
                .collect::<Vec<_>>(),
        ));
        let count = |name: &str, value: &dyn Fn(usize) -> usize| {
            Series::new(
                name.into(),
                (0..stats.len())
                    .map(|i| value(i) as u64)
                    .collect::<Vec<_>>(),
            )
        };
        push(count("incidents_within", &|i| stats[i].incidents_within));
        if self.has_incident_key() {
            push(count("victims_within", &|i| stats[i].victims_within));
        }
        push(Series::new(
            "nearest_m".into(),
            stats
                .iter()
                .map(|s| s.nearest.map(|hit| round_to(hit.distance_m, 3)))
                .collect::<Vec<_>>(),
        ));
        push(Series::new(
            "nearest_incident_id".into(),
            stats
                .iter()
                .map(|s| s.nearest.map(|hit| self.incident_label(hit.index)))
                .collect::<Vec<_>>(),
        ));
        push(Series::new(
            "first_incident_date".into(),
            stats
                .iter()
                .map(|s| s.first_incident.map(|t| t.to_string()))
                .collect::<Vec<_>>(),
        ));
        push(Series::new(
            "last_incident_date".into(),
            stats
                .iter()
                .map(|s| s.last_incident.map(|t| t.to_string()))
                .collect::<Vec<_>>(),
        ));
        let years: BTreeSet<i32> = stats
            .iter()
            .flat_map(|s| s.by_year.keys().copied())
            .collect();
        for year in years {
            push(count(&format!("incidents_{year}"), &|i| {
                stats[i].by_year.get(&year).copied().unwrap_or(0)
            }));
        }
        if stats.iter().any(|s| s.undated_within > 0) {
            push(count(&format!("incidents_{UNDATED_KEY}_year"), &|i| {
                stats[i].undated_within
            }));
        }
        if self.incidents.roles.category.is_some() {
            let categories: BTreeSet<&Option<std::sync::Arc<str>>> =
                stats.iter().flat_map(|s| s.by_category.keys()).collect();
            for category in categories {
                let name = category.as_deref().unwrap_or(NO_CATEGORY_KEY);
                push(count(&format!("category_{name}"), &|i| {
                    stats[i].by_category.get(category).copied().unwrap_or(0)
                }));
            }
        }
        DataFrame::new(schools.len(), columns).map_err(|e| Error::Invalid(e.to_string()))
    }

    /// Writes [`per_school_table`](Self::per_school_table) as CSV or Parquet.
    pub fn write_table(&self, format: TableFormat, out: impl Write) -> Result<()> {
        let mut frame = self.per_school_table()?;
        let written = match format {
            TableFormat::Csv => CsvWriter::new(out).include_header(true).finish(&mut frame),
            TableFormat::Parquet => ParquetWriter::new(out).finish(&mut frame).map(|_| ()),
        };
        written.map_err(|e| Error::Invalid(format!("cannot write the table: {e}")))
    }
}
