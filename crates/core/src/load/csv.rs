//! Reading CSV through polars, after the dialect has been sniffed and normalised: every
//! column is read as text, so that nothing is altered on the way in (ids keep their leading
//! zeros, coordinates are parsed row by row with reasons for every failure).

use std::io::Cursor;

use polars::prelude::{CsvReadOptions, DataType, SerReader};

use crate::error::{Error, Result};
use crate::model::Source;

use super::dialect::normalize;
use super::table::{Column, RawTable};

/// Reads CSV `bytes` (the whole file) into text columns. The source's checksum is left
/// for the caller to fill in.
pub(crate) fn read_csv(path: String, bytes: &[u8]) -> Result<RawTable> {
    let format_error = |message: String| Error::Format {
        path: path.clone(),
        message,
    };
    let (bytes, dialect) = normalize(bytes);
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_rechunk(true)
        .map_parse_options(|options| options.with_separator(dialect.delimiter as u8))
        .into_reader_with_file_handle(Cursor::new(bytes.as_ref()))
        .finish()
        .map_err(|error| format_error(format!("not a readable CSV file: {error}")))?;
    let mut columns = Vec::with_capacity(frame.width());
    let mut cells = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        columns.push(column.name().to_string());
        let text = column
            .cast(&DataType::String)
            .and_then(|cast| cast.str().cloned())
            .map_err(|error| format_error(format!("column {:?}: {error}", column.name())))?;
        cells.push(Column::Text(text));
    }
    let n_rows = frame.height();
    let source = Source {
        path,
        format: "csv",
        sha256: String::new(),
        rows: n_rows,
        dialect: Some(dialect),
    };
    Ok(RawTable::tabular(source, columns, cells, n_rows))
}
