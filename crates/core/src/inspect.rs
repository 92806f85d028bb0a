//! `inspect`: everything the tool can tell about one file before it is used: its dialect,
//! its columns and what they hold, the source of points it would use, rows loaded and
//! skipped by reason, the date range, the spatial extent, outliers and duplicates.

use std::path::Path;

use serde_json::{Value, json};

use crate::accounting::{source_json, table_summary};
use crate::dates::Timestamp;
use crate::error::Result;
use crate::load::{LoadOptions, incidents_from, load_rows, name_column_of, profile_columns};
use crate::model::{Incident, Table};
use crate::stats::incident_groups;

pub use crate::load::ColumnProfile;

/// What `inspect` found in a file, read as incidents (dates, categories and incident keys
/// are looked for) with the school name column detected too.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The file loaded, with its full accounting.
    pub table: Table<Incident>,
    /// Every column's profile, in file order.
    pub columns: Vec<ColumnProfile>,
    /// The name column a schools file would use.
    pub name_column: Option<String>,
    /// Rows with a date, among the rows used.
    pub dated: usize,
    /// The earliest and latest date among the rows used.
    pub date_range: Option<(Timestamp, Timestamp)>,
    /// Distinct incidents among the rows used, when there is an incident key.
    pub distinct_incidents: Option<usize>,
}

/// Inspects the file at `path`, read with `options`.
///
/// ```no_run
/// let inspection = proximity::inspect("shootings.csv".as_ref(), &Default::default())?;
/// println!("points from {}", inspection.table.roles.points);
/// # Ok::<(), proximity::Error>(())
/// ```
pub fn inspect(path: &Path, options: &LoadOptions) -> Result<Inspection> {
    let loaded = load_rows(path, options)?;
    let columns = profile_columns(&loaded.table);
    let name_column = name_column_of(&loaded.table, options)?;
    let table = incidents_from(loaded, options)?;
    let stamps = || table.records.iter().filter_map(|r| r.timestamp);
    let date_range = stamps().min().zip(stamps().max());
    let distinct_incidents = table
        .roles
        .key
        .is_some()
        .then(|| incident_groups(&table.records).1);
    Ok(Inspection {
        dated: stamps().count(),
        table,
        columns,
        name_column,
        date_range,
        distinct_incidents,
    })
}

impl Inspection {
    /// Everything found, as JSON: the source and columns used, the accounting of rows, each
    /// column's profile, the dates and the incident key.
    pub fn to_json(&self) -> Value {
        let table = &self.table;
        let mut summary = table_summary(table);
        summary["used"] = json!(table.records.len());
        let columns: Vec<Value> = self
            .columns
            .iter()
            .map(|c| {
                json!({
                    "name": c.name, "kind": c.kind, "filled": c.filled, "distinct": c.distinct,
                    "numbers": c.numbers, "example": c.example,
                    "first_non_number": c.first_non_number,
                })
            })
            .collect();
        json!({
            "source": source_json(table),
            "rows": summary,
            "columns": columns,
            "name_column": self.name_column,
            "dates": {
                "column": table.roles.date,
                "time_column": table.roles.time,
                "dated": self.dated,
                "first": self.date_range.map(|(first, _)| first.to_string()),
                "last": self.date_range.map(|(_, last)| last.to_string()),
            },
            "incident_key": table.roles.key.as_ref().map(|key| json!({
                "column": key,
                "rows": table.records.len(),
                "distinct_incidents": self.distinct_incidents,
            })),
        })
    }
}
