//! Reading Parquet through polars. Numeric, boolean and binary columns keep their type
//! (binary holds WKB geometry in GeoParquet); every other type is read as text.

use std::io::Cursor;

use polars::prelude::{DataType, ParquetReader, SerReader};

use crate::error::{Error, Result};
use crate::model::Source;

use super::table::{Column, RawTable};

/// Reads Parquet `bytes` (the whole file). The source's checksum is left for the caller
/// to fill in.
pub(crate) fn read_parquet(path: String, bytes: &[u8]) -> Result<RawTable> {
    let format_error = |message: String| Error::Format {
        path: path.clone(),
        message,
    };
    // One chunk per column, as for CSV: every later step reads cells by row number.
    let frame = ParquetReader::new(Cursor::new(bytes))
        .set_rechunk(true)
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
        sha256: String::new(),
        rows: n_rows,
        dialect: None,
    };
    Ok(RawTable::tabular(source, columns, cells, n_rows))
}

#[cfg(test)]
mod tests {
    use polars::prelude::{
        BinaryChunked, DataFrame, IntoColumn, NamedFrom, NewChunkedArray, ParquetWriter, Series,
    };

    use crate::load::{LoadOptions, load_incidents, load_schools};

    fn wkb(lon: f64, lat: f64) -> Vec<u8> {
        let mut bytes = vec![1, 1, 0, 0, 0];
        bytes.extend_from_slice(&lon.to_le_bytes());
        bytes.extend_from_slice(&lat.to_le_bytes());
        bytes
    }

    fn write(path: &std::path::Path, columns: Vec<polars::prelude::Column>) {
        let mut frame = DataFrame::new(columns[0].len(), columns).unwrap();
        let file = std::fs::File::create(path).unwrap();
        ParquetWriter::new(file).finish(&mut frame).unwrap();
    }

    #[test]
    fn parquet_with_lat_lon_columns_and_wkb_geometry() {
        let dir = tempfile::tempdir().unwrap();
        let lats = [41.88, 41.89, f64::NAN, 0.0];
        let lons = [-87.63, -87.64, -87.65, 0.0];
        let path = dir.path().join("incidents.parquet");
        write(
            &path,
            vec![
                Series::new("id".into(), [10i64, 11, 12, 13]).into_column(),
                Series::new("latitude".into(), lats).into_column(),
                Series::new("longitude".into(), lons).into_column(),
                Series::new(
                    "date".into(),
                    ["2021-01-01", "2021-01-02", "x", "2021-01-04"],
                )
                .into_column(),
            ],
        );
        let table = load_incidents(&path, &LoadOptions::default()).unwrap();
        assert_eq!(table.source.format, "parquet");
        assert_eq!(table.records.len(), 2);
        assert_eq!(table.records[1].id, "11");
        assert_eq!(table.records[1].point.y(), 41.89);
        assert_eq!(table.skipped.total(), 2);
        assert!(table.records[0].timestamp.is_some());

        // GeoParquet-style: a binary WKB geometry column.
        let path = dir.path().join("schools.parquet");
        let geometry: BinaryChunked = BinaryChunked::from_iter_options(
            "geometry".into(),
            [Some(wkb(-87.63, 41.88)), None, Some(wkb(-87.65, 41.9))].into_iter(),
        );
        write(
            &path,
            vec![
                Series::new("name".into(), ["A", "B", "C"]).into_column(),
                geometry.into_column(),
            ],
        );
        let table = load_schools(&path, &LoadOptions::default()).unwrap();
        assert_eq!(table.roles.points, "WKB column geometry");
        assert_eq!(table.records.len(), 2);
        assert_eq!(table.records[1].name.as_deref(), Some("C"));
        assert_eq!(
            (table.records[1].point.x(), table.records[1].point.y()),
            (-87.65, 41.9)
        );
    }
}
