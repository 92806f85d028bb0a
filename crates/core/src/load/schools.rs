//! Loading schools: points, ids, names and every column as written, then the
//! `--schools-where` filter.

use std::path::Path;

use crate::error::Result;
use crate::model::{School, Table};

use super::columns::{detect_name, named_or_detected};
use super::options::LoadOptions;
use super::rows::load_rows;
use super::table::RawTable;
use super::where_clause::ExtraColumns;

/// Loads schools from a CSV, Parquet or GeoJSON file. Rows without a usable point are
/// skipped and counted in [`Table::skipped`] (or, with `options.strict`, the first is an
/// error). With `options.filter`, only rows for which the SQL expression is true are kept.
///
/// ```no_run
/// let schools = proximity::load_schools("schools.csv".as_ref(), &Default::default())?;
/// println!("{} schools, {} rows skipped", schools.records.len(), schools.skipped.total());
/// # Ok::<(), proximity::Error>(())
/// ```
pub fn load_schools(path: &Path, options: &LoadOptions) -> Result<Table<School>> {
    let mut loaded = load_rows(path, options)?;
    let table = &loaded.table;
    let name_column = named_or_detected(table, options.name_column.as_deref(), detect_name)?;
    loaded.roles.name = name_column.map(|column| table.columns[column].clone());
    let mut records: Vec<School> = loaded
        .rows
        .iter()
        .map(|row| School {
            row: row.index + 1,
            id: row.id.to_string(),
            name: name_column
                .and_then(|column| table.text(column, row.index))
                .map(|name| name.into_owned()),
            point: row.point,
            attributes: (0..table.columns.len())
                .map(|column| table.value(column, row.index))
                .collect(),
        })
        .collect();
    let filter = loaded.filter_records(&mut records, options, |_| ExtraColumns::new())?;
    Ok(loaded.into_table(records, filter))
}

/// The school name column: named in `options`, or detected.
pub(crate) fn name_column_of(table: &RawTable, options: &LoadOptions) -> Result<Option<String>> {
    let column = named_or_detected(table, options.name_column.as_deref(), detect_name)?;
    Ok(column.map(|column| table.columns[column].clone()))
}
