//! Loading schools.

use std::path::Path;

use crate::error::Result;
use crate::model::{ColumnRoles, RowLog, School, Table};

use super::columns::{detect_name, named_or_detected};
use super::options::LoadOptions;
use super::rows::RowReader;
use super::table::RawTable;

/// Loads schools from a CSV or GeoJSON file. Rows without a usable point or id are skipped
/// and counted in [`Table::skipped`] (or, with `options.strict`, the first is an error).
///
/// ```no_run
/// let schools = proximity::load_schools("schools.csv".as_ref(), &Default::default())?;
/// println!("{} schools, {} rows skipped", schools.records.len(), schools.skipped.total());
/// # Ok::<(), proximity::Error>(())
/// ```
pub fn load_schools(path: &Path, options: &LoadOptions) -> Result<Table<School>> {
    let table = RawTable::read(path)?;
    let mut roles = ColumnRoles::default();
    let reader = RowReader::new(&table, options, &mut roles)?;
    let name_column = named_or_detected(&table, options.name_column.as_deref(), detect_name)?;
    roles.name = name_column.map(|column| table.columns[column].clone());
    let mut skipped = RowLog::default();
    let mut records = Vec::with_capacity(table.n_rows);
    for row in 0..table.n_rows {
        match reader.point_and_id(row) {
            Ok((point, id)) => records.push(School {
                row: row + 1,
                id,
                name: name_column
                    .and_then(|column| table.text(column, row))
                    .map(|name| name.into_owned()),
                point,
                attributes: (0..table.columns.len())
                    .map(|column| table.value(column, row))
                    .collect(),
            }),
            Err(reason) => reader.skip(row, reason, &mut skipped)?,
        }
    }
    Ok(table.into_table(records, roles, skipped, RowLog::default()))
}
