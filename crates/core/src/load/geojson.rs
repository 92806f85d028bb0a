//! Reading a GeoJSON FeatureCollection (or a single Feature): properties become columns in
//! first-seen order, and each feature's geometry is its point, or the reason it has none.

use geo::Point;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{SkipReason, Source};

use super::table::{Column, RawTable};

/// Reads GeoJSON `bytes`.
pub(crate) fn read_geojson(path: String, bytes: &[u8]) -> Result<RawTable> {
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
            sha256: String::new(),
            rows: n_rows,
            dialect: None,
        },
        geometry: Some(geometry),
        feature_ids: Some(feature_ids),
        cells: cells.into_iter().map(Column::Json).collect(),
    })
}

fn point_of(geometry: Option<geojson::Geometry>) -> std::result::Result<Point, SkipReason> {
    let geometry = geometry.ok_or(SkipReason::MissingGeometry)?;
    match geometry.value {
        geojson::GeometryValue::Point { coordinates } => match coordinates.as_slice() {
            [lon, lat, ..] if lon.is_finite() && lat.is_finite() => Ok(Point::new(*lon, *lat)),
            _ => Err(SkipReason::BadPosition),
        },
        other => Err(SkipReason::NotAPoint {
            kind: other.type_name().to_string(),
        }),
    }
}
