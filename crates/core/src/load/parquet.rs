//! Reading Parquet through polars. Numeric, boolean and binary columns keep their type
//! (binary holds WKB geometry in GeoParquet); every other type is read as text.

use std::io::Cursor;

use polars::prelude::{DataType, ParquetReader, SerReader};

use crate::error::{Error, Result};
use crate::model::Source;

use super::table::{Column, RawTable};

/// Reads Parquet `bytes` (the whole file).
pub(crate) fn read_parquet(path: String, sha256: String, bytes: Vec<u8>) -> Result<RawTable> {
    let format_error = |message: String| Error::Format {
        path: path.clone(),
        message,
    };
    let frame = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|error| format_error(format!("not a readable Parquet file: {error}")))?;
    let mut columns = Vec::with_capacity(frame.width());
    let mut cells = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        let name = column.name().to_string();
        let column_error =
            |error: polars::prelude::PolarsError| format_error(format!("column {name:?}: {error}"));
        let cell = match column.dtype() {
            DataType::Float32 | DataType::Float64 => Column::Float(
                column
                    .cast(&DataType::Float64)
                    .and_then(|c| c.f64().cloned())
                    .map_err(column_error)?,
            ),
            dtype if dtype.is_integer() => Column::Int(
                column
                    .cast(&DataType::Int64)
                    .and_then(|c| c.i64().cloned())
                    .map_err(column_error)?,
            ),
            DataType::Boolean => Column::Bool(column.bool().map_err(column_error)?.clone()),
            DataType::Binary => Column::Binary(column.binary().map_err(column_error)?.clone()),
            _ => Column::Text(
                column
                    .cast(&DataType::String)
                    .and_then(|c| c.str().cloned())
                    .map_err(column_error)?,
            ),
        };
        columns.push(name);
        cells.push(cell);
    }
    let n_rows = frame.height();
    let source = Source {
        path,
        format: "parquet",
        sha256,
        rows: n_rows,
        dialect: None,
    };
    Ok(RawTable::tabular(source, columns, cells, n_rows))
}
