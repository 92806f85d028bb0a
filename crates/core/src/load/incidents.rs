//! Loading incidents: points, ids, dates (with a separate time column when there is one),
//! categories and incident keys, then the `--where` filter.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::{Column as PlColumn, DataType, NamedFrom, PlHashMap, Series, TimeUnit};

use crate::dates::Timestamp;
use crate::error::Result;
use crate::model::{Incident, Table, is_null_spelling};

use super::columns::{detect_key, find_named, named_or_detected};
use super::options::LoadOptions;
use super::rows::{LoadedRow, LoadedRows, load_rows};
use super::table::RawTable;
use super::times::TimeReader;
use super::where_clause::ExtraColumns;

/// The name under which `--where` sees each incident's parsed date and time.
pub const INCIDENT_TIME_COLUMN: &str = "incident_time";

/// Loads incidents from a CSV, Parquet or GeoJSON file. Rows without a usable point are
/// skipped and counted in [`Table::skipped`]; date cells that cannot be read are counted in
/// [`Table::notes`] and their rows kept without a date. With `options.filter`, only rows for
/// which the SQL expression is true are kept.
///
/// ```no_run
/// let incidents = proximity::load_incidents("incidents.csv".as_ref(), &Default::default())?;
/// println!("{} incidents", incidents.records.len());
/// # Ok::<(), proximity::Error>(())
/// ```
pub fn load_incidents(path: &Path, options: &LoadOptions) -> Result<Table<Incident>> {
    incidents_from(load_rows(path, options)?, options)
}

/// The incidents of rows already loaded.
pub(crate) fn incidents_from(
    mut loaded: LoadedRows,
    options: &LoadOptions,
) -> Result<Table<Incident>> {
    let start = std::time::Instant::now();
    let (table, roles, notes) = (&loaded.table, &mut loaded.roles, &mut loaded.notes);
    let times = TimeReader::new(table, options, roles)?;
    let category_column = named_or_detected(table, options.category_column.as_deref(), |_| None)?;
    let key_column = match (&options.key_column, options.no_key_column) {
        (_, true) => None,
        (Some(name), false) => Some(find_named(table, name)?),
        (None, false) => detect_key(table).filter(|&column| {
            roles.id.as_deref() != Some(table.columns[column].as_str())
                && has_repeats(table, column, &loaded.rows)
        }),
    };
    roles.category = category_column.map(|column| table.columns[column].clone());
    roles.key = key_column.map(|column| table.columns[column].clone());

    let mut records = Vec::with_capacity(loaded.rows.len());
    // Categories and keys repeat: each distinct text is allocated once and shared.
    let (mut categories, mut keys) = (Interner::default(), Interner::default());
    for row in loaded.rows.iter_mut() {
        let text = |column: Option<usize>| {
            column
                .and_then(|column| table.text(column, row.index))
                .filter(|text| !is_null_spelling(text))
        };
        let key = text(key_column).map(|text| keys.share(text));
        let category = text(category_column).map(|text| categories.share(text));
        if let (Some(column), None) = (key_column, &key) {
            let place = table.place(row.index);
            notes.empty_keys.record(place.number, || {
                format!(
                    "{place}: column {:?}: empty incident key; the row is an incident of its own",
                    table.columns[column]
                )
            });
        }
        records.push(Incident {
            row: row.index + 1,
            id: std::mem::take(&mut row.id),
            point: row.point,
            timestamp: times.timestamp(table, row.index, notes),
            category,
            key,
            attributes: if options.keep_attributes {
                (0..table.columns.len())
                    .map(|column| table.value(column, row.index))
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    // The interners borrow the table's text, which the filter below needs mutably.
    drop((categories, keys));
    loaded
        .timings
        .record("dates, categories, keys", start.elapsed());

    let date_column = roles.date.clone();
    let start = std::time::Instant::now();
    let filter = loaded.filter_records(&mut records, options, |records| {
        let mut extra = ExtraColumns::new();
        if times.has_dates() {
            let stamps: Vec<Option<Timestamp>> = records.iter().map(|r| r.timestamp).collect();
            extra.push(datetime_column(INCIDENT_TIME_COLUMN, &stamps, false));
            if let Some(date) = &date_column {
                let date_only =
                    times.has_time_column() || stamps.iter().flatten().all(|t| !t.has_time);
                extra.push(datetime_column(date, &stamps, date_only));
            }
        }
        extra
    })?;
    if filter.is_some() {
        loaded.timings.record("--where", start.elapsed());
    }
    Ok(loaded.into_table(records, filter))
}

/// One shared allocation per distinct text.
#[derive(Default)]
struct Interner<'a>(PlHashMap<Cow<'a, str>, Arc<str>>);

impl<'a> Interner<'a> {
    fn share(&mut self, text: Cow<'a, str>) -> Arc<str> {
        Arc::clone(
            self.0
                .entry(text)
                .or_insert_with_key(|text| Arc::from(text.as_ref())),
        )
    }
}

/// Whether some filled cell of `column` repeats among `rows`: a detected incident key is only
/// a key when it groups rows.
fn has_repeats(table: &RawTable, column: usize, rows: &[LoadedRow]) -> bool {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .filter_map(|row| table.text(column, row.index))
        .filter(|text| !is_null_spelling(text))
        .any(|text| !seen.insert(text))
}

/// A polars Date (with `date_only`) or Datetime column of timestamps.
fn datetime_column(name: &str, stamps: &[Option<Timestamp>], date_only: bool) -> PlColumn {
    let (values, dtype): (Vec<Option<i64>>, DataType) = if date_only {
        let days = stamps
            .iter()
            .map(|t| t.map(|t| t.datetime.date().to_epoch_days().into()))
            .collect();
        (days, DataType::Date)
    } else {
        let millis = stamps
            .iter()
            .map(|t| t.map(|t| t.datetime.and_utc().timestamp_millis()))
            .collect();
        (millis, DataType::Datetime(TimeUnit::Milliseconds, None))
    };
    let series = Series::new(name.into(), values);
    let typed = if date_only {
        series
            .cast(&DataType::Int32)
            .and_then(|days| days.cast(&dtype))
    } else {
        series.cast(&dtype)
    };
    PlColumn::from(typed.unwrap_or(series))
}
