//! Loading incidents.

use std::path::Path;

use crate::dates::DateParser;
use crate::error::Result;
use crate::model::{ColumnRoles, Incident, RowLog, SkipKind, Table, is_null_spelling};

use super::columns::{detect_date, named_or_detected};
use super::options::LoadOptions;
use super::rows::RowReader;
use super::table::RawTable;

/// Loads incidents from a CSV or GeoJSON file. Rows without a usable point or id are skipped
/// and counted in [`Table::skipped`]; date cells that cannot be read are counted in
/// [`Table::unreadable_dates`] and their rows kept without a date.
///
/// ```no_run
/// let incidents = proximity::load_incidents("incidents.csv".as_ref(), &Default::default())?;
/// println!("{} incidents", incidents.records.len());
/// # Ok::<(), proximity::Error>(())
/// ```
pub fn load_incidents(path: &Path, options: &LoadOptions) -> Result<Table<Incident>> {
    let table = RawTable::read(path)?;
    let mut roles = ColumnRoles::default();
    let reader = RowReader::new(&table, options, &mut roles)?;
    let date_column = named_or_detected(&table, options.date_column.as_deref(), detect_date)?;
    let category_column = named_or_detected(&table, options.category_column.as_deref(), |_| None)?;
    roles.date = date_column.map(|column| table.columns[column].clone());
    roles.category = category_column.map(|column| table.columns[column].clone());

    let dates = DateParser::default();
    let mut skipped = RowLog::default();
    let mut unreadable_dates = RowLog::default();
    let mut records = Vec::with_capacity(table.n_rows);
    for row in 0..table.n_rows {
        let (point, id) = match reader.point_and_id(row) {
            Ok(found) => found,
            Err(reason) => {
                reader.skip(row, reason, &mut skipped)?;
                continue;
            }
        };
        let timestamp = match date_column.and_then(|column| table.text(column, row)) {
            None => None,
            Some(text) => dates.parse(&text).unwrap_or_else(|_| {
                let place = reader.place(row);
                let column = &table.columns[date_column.unwrap_or_default()];
                unreadable_dates.record(SkipKind::UnreadableDate, place.number, || {
                    format!("{place}: column {column:?}: not a date: {text:?}")
                });
                None
            }),
        };
        let category = category_column
            .and_then(|column| table.text(column, row))
            .filter(|text| !is_null_spelling(text))
            .map(|text| text.into_owned());
        let attributes = if options.keep_attributes {
            (0..table.columns.len())
                .map(|column| table.value(column, row))
                .collect()
        } else {
            Vec::new()
        };
        records.push(Incident {
            row: row + 1,
            id,
            point,
            timestamp,
            category,
            attributes,
        });
    }
    Ok(table.into_table(records, roles, skipped, unreadable_dates))
}
