//! A file's cells before any column is given a meaning: CSV (all text), Parquet (typed
//! columns) or a GeoJSON FeatureCollection (JSON properties and Point geometry).

use std::borrow::Cow;
use std::path::Path;

use geo::Point;
use polars::prelude::{BinaryChunked, BooleanChunked, Float64Chunked, Int64Chunked, StringChunked};
use polars_utils::mmap::MMapSemaphore;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{SkipReason, Source};

/// A file's cells, column by column, before any column is given a meaning.
pub(crate) struct RawTable {
    /// The file's header (CSV, Parquet) or the union of property keys (GeoJSON), in order.
    pub columns: Vec<String>,
    /// How many data rows or features.
    pub n_rows: usize,
    /// Where the file came from.
    pub source: Source,
    /// For GeoJSON: each feature's point, or why it has none.
    pub geometry: Option<Vec<std::result::Result<Point, SkipReason>>>,
    /// For GeoJSON: each feature's `id` member, if any.
    pub feature_ids: Option<Vec<Option<String>>>,
    /// The cells, one entry per column.
    pub cells: Vec<Column>,
}

/// One column's cells.
pub(crate) enum Column {
    /// Text as written (CSV, and Parquet columns of other types read as text); null when
    /// the cell is empty.
    Text(StringChunked),
    /// Parquet floating-point numbers.
    Float(Float64Chunked),
    /// Parquet integers.
    Int(Int64Chunked),
    /// Parquet booleans.
    Bool(BooleanChunked),
    /// Parquet binary values (WKB geometry, for example).
    Binary(BinaryChunked),
    /// GeoJSON property values.
    Json(Vec<Value>),
}

/// A cell as [`Column::key`] gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CellKey<'a> {
    Null,
    Text(Cow<'a, str>),
    Number(u64),
    Bytes(&'a [u8]),
}

impl Column {
    /// The cell as text: text as written, numbers in their shortest exact form, binary as
    /// lowercase hexadecimal, JSON strings as they are and other JSON values in JSON notation;
    /// `None` for an empty or null cell.
    pub fn text(&self, row: usize) -> Option<Cow<'_, str>> {
        match self {
            Column::Text(cells) => cells.get(row).map(Cow::Borrowed),
            Column::Float(cells) => cells.get(row).map(|v| Cow::Owned(v.to_string())),
            Column::Int(cells) => cells.get(row).map(|v| Cow::Owned(v.to_string())),
            Column::Bool(cells) => cells.get(row).map(|v| Cow::Owned(v.to_string())),
            Column::Binary(cells) => cells.get(row).map(|v| Cow::Owned(hex(v))),
            Column::Json(cells) => match &cells[row] {
                Value::Null => None,
                Value::String(text) => Some(Cow::Borrowed(text.as_str())),
                other => Some(Cow::Owned(other.to_string())),
            },
        }
    }

    /// The cell as a JSON value: text as strings, typed values with their type; `null` for
    /// an empty cell.
    pub fn value(&self, row: usize) -> Value {
        match self {
            Column::Text(cells) => cells
                .get(row)
                .map_or(Value::Null, |text| Value::String(text.to_string())),
            Column::Float(cells) => cells.get(row).map_or(Value::Null, Value::from),
            Column::Int(cells) => cells.get(row).map_or(Value::Null, Value::from),
            Column::Bool(cells) => cells.get(row).map_or(Value::Null, Value::from),
            Column::Binary(cells) => cells
                .get(row)
                .map_or(Value::Null, |bytes| Value::String(hex(bytes))),
            Column::Json(cells) => cells[row].clone(),
        }
    }

    /// The cell as a number, for typed numeric columns only (`None` for other columns).
    /// A null cell is `Some(None)`.
    pub fn number(&self, row: usize) -> Option<Option<f64>> {
        match self {
            Column::Float(cells) => Some(cells.get(row)),
            Column::Int(cells) => Some(cells.get(row).map(|v| v as f64)),
            _ => None,
        }
    }

    /// The cell as a value that is equal to another cell's of the same column exactly when
    /// their [`text`](Self::text) is, and hashes alike then, without formatting numbers.
    pub fn key(&self, row: usize) -> CellKey<'_> {
        match self {
            Column::Text(cells) => cells
                .get(row)
                .map_or(CellKey::Null, |text| CellKey::Text(Cow::Borrowed(text))),
            Column::Float(cells) => cells.get(row).map_or(CellKey::Null, |value| {
                // Every NaN is written "NaN"; otherwise the shortest round-trip text is
                // one-to-one with the bits (-0 and 0 differ in both).
                CellKey::Number(if value.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    value.to_bits()
                })
            }),
            Column::Int(cells) => cells
                .get(row)
                .map_or(CellKey::Null, |value| CellKey::Number(value as u64)),
            Column::Bool(cells) => cells
                .get(row)
                .map_or(CellKey::Null, |value| CellKey::Number(u64::from(value))),
            Column::Binary(cells) => cells.get(row).map_or(CellKey::Null, CellKey::Bytes),
            Column::Json(_) => self.text(row).map_or(CellKey::Null, CellKey::Text),
        }
    }

    /// The cell's bytes, for binary columns only.
    pub fn bytes(&self, row: usize) -> Option<&[u8]> {
        match self {
            Column::Binary(cells) => cells.get(row),
            _ => None,
        }
    }
}

impl RawTable {
    /// A table of named columns from a tabular file (CSV, Parquet), with no geometry.
    pub fn tabular(
        source: Source,
        columns: Vec<String>,
        cells: Vec<Column>,
        n_rows: usize,
    ) -> RawTable {
        RawTable {
            columns,
            n_rows,
            source,
            geometry: None,
            feature_ids: None,
            cells,
        }
    }

    /// Reads `path`: Parquet when it starts with the Parquet magic bytes, GeoJSON when its
    /// name ends in `.geojson` or `.json` or its first non-blank byte is `{`, CSV otherwise.
    pub fn read(path: &Path) -> Result<RawTable> {
        let display = path.display().to_string();
        let file = FileBytes::read(path).map_err(|cause| Error::Io {
            path: display.clone(),
            cause,
        })?;
        let bytes: &[u8] = &file;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::Format {
                path: display,
                message: "the file is empty".to_string(),
            });
        }
        // The checksum is computed beside the parsing; both only read the bytes.
        let (sha256, table) = rayon::join(
            || hex(&Sha256::digest(bytes)),
            || {
                if bytes.starts_with(b"PAR1") {
                    super::parquet::read_parquet(display, bytes)
                } else if looks_like_geojson(path, bytes) {
                    super::geojson::read_geojson(display, bytes)
                } else {
                    super::csv::read_csv(display, bytes)
                }
            },
        );
        let mut table = table?;
        table.source.sha256 = sha256;
        Ok(table)
    }

    /// The cell as text (see [`Column::text`]).
    pub fn text(&self, column: usize, row: usize) -> Option<Cow<'_, str>> {
        self.cells[column].text(row)
    }

    /// The cell as a JSON value (see [`Column::value`]).
    pub fn value(&self, column: usize, row: usize) -> Value {
        self.cells[column].value(row)
    }

    /// The 1-based place of the 0-based row `row`, for messages.
    pub fn place(&self, row: usize) -> crate::error::RowPlace {
        crate::error::RowPlace {
            number: row + 1,
            is_feature: self.geometry.is_some(),
        }
    }

    /// Every cell of a row as text, for rejected rows.
    pub fn row_text(&self, row: usize) -> Vec<Option<String>> {
        let mut cells: Vec<Option<String>> = (0..self.columns.len())
            .map(|column| self.text(column, row).map(Cow::into_owned))
            .collect();
        if let Some(geometry) = &self.geometry {
            cells.push(Some(match &geometry[row] {
                Ok(point) => format!("POINT ({} {})", point.x(), point.y()),
                Err(reason) => reason.to_string(),
            }));
        }
        cells
    }

    /// The columns of [`RawTable::row_text`]: the table's, and `geometry` for GeoJSON.
    pub fn row_text_columns(&self) -> Vec<String> {
        let mut columns = self.columns.clone();
        if self.geometry.is_some() {
            columns.push("geometry".to_string());
        }
        columns
    }
}

/// A file's bytes: mapped into memory when it is a regular file of some size, so that they
/// are neither copied nor held twice; read into memory otherwise (pipes, small files).
/// Mapping is how polars itself reads files; like any program that maps its input, the
/// process would be stopped by the system if another one truncated the file meanwhile.
enum FileBytes {
    Mapped(MMapSemaphore),
    Read(Vec<u8>),
}

/// Below this size a file is simply read: mapping it would not pay for itself.
const MIN_BYTES_TO_MAP: u64 = 1 << 20;

impl FileBytes {
    fn read(path: &Path) -> std::io::Result<FileBytes> {
        let file = std::fs::File::open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_file()
            && metadata.len() >= MIN_BYTES_TO_MAP
            && let Ok(mapped) = MMapSemaphore::new_from_file(&file)
        {
            return Ok(FileBytes::Mapped(mapped));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut &file, &mut bytes)?;
        Ok(FileBytes::Read(bytes))
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(mapped) => mapped.as_ref(),
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(DIGITS[usize::from(byte >> 4)] as char);
        text.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_keys_are_equal_exactly_when_texts_are() {
        use polars::prelude::NewChunkedArray;
        let floats = Column::Float(Float64Chunked::from_slice_options(
            "x".into(),
            &[
                Some(0.0),
                Some(-0.0),
                Some(f64::NAN),
                Some(-f64::NAN),
                Some(1.5),
                None,
            ],
        ));
        let ints = Column::Int(Int64Chunked::from_slice_options(
            "i".into(),
            &[Some(7), Some(7), Some(-7), None],
        ));
        for (column, rows) in [(&floats, 6), (&ints, 4)] {
            for a in 0..rows {
                for b in 0..rows {
                    assert_eq!(
                        column.key(a) == column.key(b),
                        column.text(a) == column.text(b),
                        "rows {a} and {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn mapped_and_read_files_give_the_same_bytes() {
        let folder = tempfile::tempdir().unwrap();
        for (name, len, mapped) in [("small.csv", 1000, false), ("large.csv", 3 << 20, true)] {
            let path = folder.path().join(name);
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            let read = FileBytes::read(&path).unwrap();
            assert_eq!(matches!(read, FileBytes::Mapped(_)), mapped, "{name}");
            assert!(*read == bytes[..], "{name}");
        }
        let missing = FileBytes::read(&folder.path().join("missing.csv"));
        assert_eq!(
            missing.err().map(|error| error.kind()),
            Some(std::io::ErrorKind::NotFound)
        );
    }

    #[test]
    fn hex_digits() {
        assert_eq!(hex(&[0x01, 0xab, 0xff, 0x00]), "01abff00");
        assert_eq!(hex(&[]), "");
    }
}
