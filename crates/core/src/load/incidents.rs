//! Loading incidents: points, ids, dates (with a separate time column when there is one),
//! categories and incident keys, then the `--where` filter.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::{
    Column as PlColumn, DataType, NamedFrom, PlHashMap, PlHashSet, Series, TimeUnit,
};
use rayon::prelude::*;

use crate::dates::{DateParser, Timestamp};
use crate::error::Result;
use crate::model::{Incident, Table, is_null_spelling};

use super::columns::{detect_key, find_named, named_or_detected};
use super::options::LoadOptions;
use super::rows::{LoadedRow, LoadedRows, load_rows};
use super::table::RawTable;
use super::times::{DateNote, TimeReader};
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

    // Categories and keys repeat: each distinct text is allocated once and shared.
    let categories = Interner::of(table, category_column, &loaded.rows);
    let keys = Interner::of(table, key_column, &loaded.rows);
    let (mut records, marks): (Vec<Incident>, Vec<(DateNote, bool)>) = loaded
        .rows
        .par_iter_mut()
        .map_init(DateParser::default, |parser, row| {
            let key = filled_text(table, key_column, row.index).map(|text| keys.share(&text));
            let category =
                filled_text(table, category_column, row.index).map(|text| categories.share(&text));
            let empty_key = key_column.is_some() && key.is_none();
            let (timestamp, date_note) = times.timestamp(parser, table, row.index);
            let incident = Incident {
                row: row.index + 1,
                id: std::mem::take(&mut row.id),
                point: row.point,
                timestamp,
                category,
                key,
                attributes: if options.keep_attributes {
                    (0..table.columns.len())
                        .map(|column| table.value(column, row.index))
                        .collect()
                } else {
                    Vec::new()
                },
            };
            (incident, (date_note, empty_key))
        })
        .unzip();
    // What the rows noticed is counted in row order, so that the examples are the first.
    for (row, (date_note, empty_key)) in loaded.rows.iter().zip(marks) {
        if let (Some(column), true) = (key_column, empty_key) {
            let place = table.place(row.index);
            notes.empty_keys.record(place.number, || {
                format!(
                    "{place}: column {:?}: empty incident key; the row is an incident of its own",
                    table.columns[column]
                )
            });
        }
        times.note(table, row.index, date_note, notes);
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

/// The 0-based row's cell in `column`, unless there is no such column or the cell is empty
/// or a null spelling.
fn filled_text(table: &RawTable, column: Option<usize>, row: usize) -> Option<Cow<'_, str>> {
    column
        .and_then(|column| table.text(column, row))
        .filter(|text| !is_null_spelling(text))
}

/// One shared allocation per distinct text of a column.
#[derive(Default)]
struct Interner<'a>(PlHashMap<Cow<'a, str>, Arc<str>>);

impl<'a> Interner<'a> {
    /// The distinct filled texts of `column` among `rows` (none without a column).
    fn of(table: &'a RawTable, column: Option<usize>, rows: &[LoadedRow]) -> Interner<'a> {
        if column.is_none() {
            return Interner::default();
        }
        let distinct = rows
            .par_iter()
            .filter_map(|row| filled_text(table, column, row.index))
            .fold(PlHashSet::default, |mut texts, text| {
                texts.insert(text);
                texts
            })
            .reduce(PlHashSet::default, |mut texts, more| {
                texts.extend(more);
                texts
            });
        Interner(
            distinct
                .into_iter()
                .map(|text| {
                    let shared = Arc::from(text.as_ref());
                    (text, shared)
                })
                .collect(),
        )
    }

    /// The shared allocation of `text`, one of the column's filled texts.
    fn share(&self, text: &str) -> Arc<str> {
        Arc::clone(&self.0[text])
    }
}

/// Whether some filled cell of `column` repeats among `rows`: a detected incident key is only
/// a key when it groups rows.
fn has_repeats(table: &RawTable, column: usize, rows: &[LoadedRow]) -> bool {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .filter_map(|row| filled_text(table, Some(column), row.index))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the rows notice is counted in row order, with the first row's words, however the
    /// rows are spread over threads.
    #[test]
    fn notes_are_counted_in_row_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("incidents.csv");
        let mut text = String::from("id,case,date,time,kind,lat,lon\n");
        for row in 1..=5_000 {
            let (case, date, time) = match row % 1_000 {
                7 => ("", "2021-03-04", "10:00"),
                11 => ("C1", "someday", "10:00"),
                13 => ("C2", "2021-03-04T01:30:00+02:00", ""),
                17 => ("C2", "2021-03-04", "teatime"),
                _ => ("C3", "2021-03-04", "10:00"),
            };
            text.push_str(&format!(
                "{row},{case},{date},{time},k{},41.88,-87.63\n",
                row % 3
            ));
        }
        std::fs::write(&path, text).unwrap();
        let options = LoadOptions {
            key_column: Some("case".into()),
            category_column: Some("kind".into()),
            ..LoadOptions::default()
        };
        let table = load_incidents(&path, &options).unwrap();
        let notes = &table.notes;
        assert_eq!(notes.empty_keys.count, 5);
        assert_eq!(notes.empty_keys.first_rows[..2], [7, 1007]);
        assert_eq!(
            notes.empty_keys.example,
            "row 7: column \"case\": empty incident key; the row is an incident of its own"
        );
        assert_eq!(notes.unreadable_dates.count, 10);
        assert_eq!(notes.unreadable_dates.first_rows[..3], [11, 17, 1011]);
        assert_eq!(
            notes.unreadable_dates.example,
            "row 11: column \"date\": not a date: \"someday\""
        );
        assert_eq!(notes.zoned_times.count, 5);
        assert_eq!(
            notes.zoned_times.example,
            "row 13: column \"date\": \"2021-03-04T01:30:00+02:00\" has a UTC offset; \
             the wall-clock time written is kept (--timezone converts it)"
        );
        let records = &table.records;
        assert_eq!(records.len(), 5_000);
        assert!(
            records
                .iter()
                .zip(1..)
                .all(|(incident, row)| incident.row == row)
        );
        assert_eq!(records[16].timestamp.unwrap().to_string(), "2021-03-04");
        assert_eq!(
            records[0].timestamp.unwrap().to_string(),
            "2021-03-04T10:00:00"
        );
        assert_eq!(records[10].timestamp, None);
        // Each distinct category and key is one shared allocation.
        assert!(Arc::ptr_eq(
            records[0].category.as_ref().unwrap(),
            records[3].category.as_ref().unwrap()
        ));
        assert_eq!(records[1].category.as_deref(), Some("k2"));
        assert_eq!(records[6].key, None);
        assert!(Arc::ptr_eq(
            records[0].key.as_ref().unwrap(),
            records[4_998].key.as_ref().unwrap()
        ));
    }
}
