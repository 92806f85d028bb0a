//! The JSON form of a table's accounting: where it came from, which columns were used, and
//! every row that was skipped or kept with a note. Shared by the report and `inspect`.

use serde_json::{Map, Value, json};

use crate::load::{AxisOrder, LoadOptions, OutlierPolicy};
use crate::model::{BoundingBox, RowLog, RowNotes, RowSample, Table};

/// `{"count", "first_rows", "example"}`.
pub(crate) fn sample_json(sample: &RowSample) -> Value {
    json!({ "count": sample.count, "first_rows": sample.first_rows, "example": sample.example })
}

/// Skipped rows by reason.
pub(crate) fn log_json(log: &RowLog) -> Value {
    Value::Object(
        log.iter()
            .map(|(kind, sample)| (kind.label().to_string(), sample_json(sample)))
            .collect(),
    )
}

/// `[west, south, east, north]`, as GeoJSON writes boxes.
pub(crate) fn bbox_json(bbox: &Option<BoundingBox>) -> Value {
    bbox.map_or(Value::Null, |b| json!([b.west, b.south, b.east, b.north]))
}

/// Rows kept with a note; only the notes that have rows.
pub(crate) fn notes_json(notes: &RowNotes) -> Value {
    let mut out = Map::new();
    let samples = [
        ("unreadable_dates", &notes.unreadable_dates),
        ("zoned_times", &notes.zoned_times),
        ("empty_ids", &notes.empty_ids),
        ("duplicate_rows", &notes.duplicate_rows),
        ("duplicate_ids", &notes.duplicate_ids),
        ("empty_incident_keys", &notes.empty_keys),
    ];
    for (name, sample) in samples {
        if !sample.is_empty() {
            out.insert(name.to_string(), sample_json(sample));
        }
    }
    if !notes.not_numeric.is_empty() {
        let columns: Map<String, Value> = notes
            .not_numeric
            .iter()
            .map(|(column, sample)| (column.clone(), sample_json(sample)))
            .collect();
        out.insert("not_numeric".to_string(), Value::Object(columns));
    }
    if !notes.outliers.is_empty() {
        let rows: Vec<Value> = notes
            .outliers
            .iter()
            .map(|o| {
                json!({
                    "row": o.row,
                    "lat": o.point.y(),
                    "lon": o.point.x(),
                    "distance_km": o.distance_km.map(|km| crate::report::round_to(km, 1)),
                })
            })
            .collect();
        out.insert(
            "outliers".to_string(),
            json!({
                "count": notes.outliers.len(),
                "action": if notes.outliers_dropped { "dropped" } else { "kept" },
                "limit_km": notes.outlier_limit_km.map(|km| crate::report::round_to(km, 1)),
                "rows": rows,
            }),
        );
    }
    Value::Object(out)
}

/// Rows read, loaded, skipped (by reason), noted, filtered and used.
pub(crate) fn table_summary<T>(table: &Table<T>) -> Value {
    json!({
        "rows": table.source.rows,
        "loaded": table.loaded(),
        "skipped": table.skipped.total(),
        "skipped_by_reason": log_json(&table.skipped),
        "notes": notes_json(&table.notes),
        "where": table.filter.as_ref().map(|f| json!({
            "expression": f.expression, "excluded": f.excluded, "null": f.null,
        })),
    })
}

/// The input's identity, dialect, and the columns used for each role.
pub(crate) fn source_json<T>(table: &Table<T>) -> Value {
    let (source, roles) = (&table.source, &table.roles);
    let dialect = source.dialect.as_ref().map(|dialect| {
        let renamed: Vec<Value> = dialect
            .renamed_columns
            .iter()
            .map(|(from, to)| json!({ "from": from, "to": to }))
            .collect();
        json!({
            "delimiter": dialect.delimiter.to_string(),
            "byte_order_mark": dialect.bom,
            "line_endings": dialect.line_endings,
            "invalid_utf8_sequences": dialect.invalid_utf8_sequences,
            "renamed_columns": renamed,
        })
    });
    let alternatives: Vec<Value> = table
        .alternatives
        .iter()
        .map(|a| {
            json!({
                "source": a.source,
                "valid_rows": a.valid_rows,
                "disagreeing_rows": a.disagreeing_rows,
                "rows_only_here": a.rows_only_here,
                "note": a.note,
            })
        })
        .collect();
    json!({
        "path": source.path,
        "format": source.format,
        "sha256": source.sha256,
        "rows": source.rows,
        "csv_dialect": dialect,
        "points": roles.points,
        "axes_swapped": roles.axes_swapped,
        "other_point_sources": alternatives,
        "columns_used": {
            "lat": roles.lat, "lon": roles.lon, "id": roles.id, "name": roles.name,
            "date": roles.date, "time": roles.time, "category": roles.category,
            "incident_key": roles.key,
        },
        "id_note": roles.id_note,
        "extent": bbox_json(&table.extent),
    })
}

/// Every loading option, as given.
pub(crate) fn options_json(options: &LoadOptions) -> Value {
    json!({
        "lat_column": options.lat_column,
        "lon_column": options.lon_column,
        "point_column": options.point_column,
        "id_column": options.id_column,
        "name_column": options.name_column,
        "date_column": options.date_column,
        "time_column": options.time_column,
        "no_time_column": options.no_time_column,
        "category_column": options.category_column,
        "incident_key": options.key_column,
        "no_incident_key": options.no_key_column,
        "timezone": options.timezone.map(|zone| zone.name()),
        "axes": match options.axes {
            AxisOrder::Check => "check",
            AxisOrder::Swap => "swap",
            AxisOrder::Keep => "keep",
        },
        "outliers": match options.outliers {
            OutlierPolicy::Keep => "keep",
            OutlierPolicy::Drop => "drop",
        },
        "bbox": options.bbox.map(|b| json!([b.west, b.south, b.east, b.north])),
        "where": options.filter,
        "numeric": options.numeric_columns,
        "strict": options.strict,
    })
}
