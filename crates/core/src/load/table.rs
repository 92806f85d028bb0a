//! Reading a file into a table of raw cells: CSV through polars, or a GeoJSON
//! FeatureCollection of Points. Nothing is interpreted here beyond the file format.

use std::borrow::Cow;
use std::io::Cursor;
use std::path::Path;

use geo::Point;
use polars::prelude::{CsvReadOptions, DataType, SerReader, StringChunked};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{ColumnRoles, RowLog, SkipReason, Source, Table};

/// A file's cells, column by column, before any column is given a meaning.
pub(crate) struct RawTable {
    /// The file's header (CSV) or the union of property keys (GeoJSON), in first-seen order.
    pub columns: Vec<String>,
    /// How many data rows or features.
    pub n_rows: usize,
    /// Where the file came from.
    pub source: Source,
    /// For GeoJSON: each feature's point, or why it has none.
    pub geometry: Option<Vec<std::result::Result<Point, SkipReason>>>,
    /// For GeoJSON: each feature's `id` member, if any.
    pub feature_ids: Option<Vec<Option<String>>>,
    cells: Cells,
}

enum Cells {
    /// CSV: every column read as text; empty cells are null.
    Text(Vec<StringChunked>),
    /// GeoJSON: property values as JSON.
    Json(Vec<Vec<Value>>),
}

impl RawTable {
    /// Reads `path`, which is GeoJSON when its name ends in `.geojson` or `.json` or its first
    /// non-blank byte is `{`, and CSV otherwise.
    pub fn read(path: &Path) -> Result<RawTable> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: display.clone(),
            source,
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::Format {
                path: display,
                message: "the file is empty".to_string(),
            });
        }
        let sha256 = hex(&Sha256::digest(&bytes));
        if looks_like_geojson(path, &bytes) {
            read_geojson(display, sha256, &bytes)
        } else {
            read_csv(display, sha256, bytes)
        }
    }

    /// The loaded table: `records` and their accounting, with this file's columns and source.
    pub fn into_table<T>(
        self,
        records: Vec<T>,
        roles: ColumnRoles,
        skipped: RowLog,
        unreadable_dates: RowLog,
    ) -> Table<T> {
        Table {
            records,
            columns: self.columns,
            roles,
            source: self.source,
            skipped,
            unreadable_dates,
        }
    }

    /// The cell as text: CSV cells as written; JSON strings as they are, other JSON values
    /// in JSON notation; `None` for empty or null cells.
    pub fn text(&self, column: usize, row: usize) -> Option<Cow<'_, str>> {
        match &self.cells {
            Cells::Text(columns) => columns[column].get(row).map(Cow::Borrowed),
            Cells::Json(columns) => match &columns[column][row] {
                Value::Null => None,
                Value::String(text) => Some(Cow::Borrowed(text.as_str())),
                other => Some(Cow::Owned(other.to_string())),
            },
        }
    }

    /// The cell as a JSON value: CSV cells are strings (or null when empty); GeoJSON
    /// properties keep their type.
    pub fn value(&self, column: usize, row: usize) -> Value {
        match &self.cells {
            Cells::Text(columns) => columns[column]
                .get(row)
                .map_or(Value::Null, |text| Value::String(text.to_string())),
            Cells::Json(columns) => columns[column][row].clone(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn looks_like_geojson(path: &Path, bytes: &[u8]) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(extension.as_deref(), Some("geojson" | "json")) {
        return true;
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn read_csv(path: String, sha256: String, bytes: Vec<u8>) -> Result<RawTable> {
    let format_error = |message: String| Error::Format {
        path: path.clone(),
        message,
    };
    // Every column is read as text (no schema inference), so that nothing is altered on the
    // way in: ids keep their leading zeros and coordinates are parsed, row by row, here.
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_rechunk(true)
        .into_reader_with_file_handle(Cursor::new(bytes))
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
        cells.push(text);
    }
    let n_rows = frame.height();
    Ok(RawTable {
        columns,
        n_rows,
        source: Source {
            path,
            format: "csv",
            sha256,
            rows: n_rows,
        },
        geometry: None,
        feature_ids: None,
        cells: Cells::Text(cells),
    })
}

fn read_geojson(path: String, sha256: String, bytes: &[u8]) -> Result<RawTable> {
    let format_error = |message: String| Error::Format {
        path: path.clone(),
        message,
    };
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(body)
        .map_err(|error| format_error(format!("GeoJSON must be UTF-8: {error}")))?;
    let geojson: geojson::GeoJson = text
        .parse()
        .map_err(|error| format_error(format!("not valid GeoJSON: {error}")))?;
    let features = match geojson {
        geojson::GeoJson::FeatureCollection(collection) => collection.features,
        geojson::GeoJson::Feature(feature) => vec![feature],
        geojson::GeoJson::Geometry(_) => {
            return Err(format_error(
                "a bare geometry has no properties; expected a FeatureCollection of Points"
                    .to_string(),
            ));
        }
    };
    let mut columns: Vec<String> = Vec::new();
    let mut column_of = std::collections::HashMap::new();
    for feature in &features {
        for key in feature
            .properties
            .iter()
            .flat_map(|properties| properties.keys())
        {
            if !column_of.contains_key(key) {
                column_of.insert(key.clone(), columns.len());
                columns.push(key.clone());
            }
        }
    }
    let mut cells = vec![Vec::with_capacity(features.len()); columns.len()];
    let mut geometry = Vec::with_capacity(features.len());
    let mut feature_ids = Vec::with_capacity(features.len());
    for feature in features {
        let mut properties = feature.properties.unwrap_or_default();
        for (column, name) in columns.iter().enumerate() {
            cells[column].push(properties.remove(name).unwrap_or(Value::Null));
        }
        feature_ids.push(feature.id.map(|id| match id {
            geojson::feature::Id::String(text) => text,
            geojson::feature::Id::Number(number) => number.to_string(),
        }));
        geometry.push(point_of(feature.geometry));
    }
    let n_rows = geometry.len();
    Ok(RawTable {
        columns,
        n_rows,
        source: Source {
            path,
            format: "geojson",
            sha256,
            rows: n_rows,
        },
        geometry: Some(geometry),
        feature_ids: Some(feature_ids),
        cells: Cells::Json(cells),
    })
}

fn point_of(geometry: Option<geojson::Geometry>) -> std::result::Result<Point, SkipReason> {
    let geometry = geometry.ok_or(SkipReason::MissingGeometry)?;
    match geometry.value {
        geojson::GeometryValue::Point { coordinates } => {
            let position = coordinates.as_slice();
            match position {
                [lon, lat, ..] if lon.is_finite() && lat.is_finite() => Ok(Point::new(*lon, *lat)),
                _ => Err(SkipReason::BadPosition),
            }
        }
        other => Err(SkipReason::NotAPoint {
            kind: other.type_name().to_string(),
        }),
    }
}
