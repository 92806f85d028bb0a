//! What every loader does for each row: find its point and its id, or say why it has none.

use geo::Point;

use crate::error::{Error, Result, RowPlace};
use crate::model::{ColumnRoles, RowLog, SkipReason, is_null_spelling};

use super::columns::{detect_coordinates, detect_id, find_named, named_or_detected};
use super::options::LoadOptions;
use super::table::RawTable;

/// Where each row's point comes from.
pub(crate) enum PointSource {
    /// Latitude and longitude columns.
    Columns { lat: usize, lon: usize },
    /// GeoJSON geometry.
    Geometry,
}

/// Where each row's id comes from.
pub(crate) enum IdSource {
    /// An id column.
    Column(usize),
    /// GeoJSON feature ids (every feature has one).
    FeatureId,
    /// The 1-based row number.
    RowNumber,
}

/// The point and id sources of a table, resolved once from the options and the header.
pub(crate) struct RowReader<'a> {
    pub table: &'a RawTable,
    points: PointSource,
    ids: IdSource,
    strict: bool,
}

impl<'a> RowReader<'a> {
    /// Resolves the coordinate and id columns, filling in `roles`.
    pub fn new(
        table: &'a RawTable,
        options: &LoadOptions,
        roles: &mut ColumnRoles,
    ) -> Result<Self> {
        let named = |name: &Option<String>| {
            name.as_deref()
                .map(|name| find_named(table, name))
                .transpose()
        };
        let points = if table.geometry.is_some()
            && options.lat_column.is_none()
            && options.lon_column.is_none()
        {
            PointSource::Geometry
        } else {
            let (lat, lon) = match (named(&options.lat_column)?, named(&options.lon_column)?) {
                (Some(lat), Some(lon)) => (lat, lon),
                (lat, lon) => {
                    let detected = detect_coordinates(table);
                    match (lat.or(detected.map(|d| d.0)), lon.or(detected.map(|d| d.1))) {
                        (Some(lat), Some(lon)) => (lat, lon),
                        _ => {
                            return Err(Error::NoCoordinateColumns {
                                path: table.source.path.clone(),
                                columns: table.columns.join(", "),
                            });
                        }
                    }
                }
            };
            roles.lat = Some(table.columns[lat].clone());
            roles.lon = Some(table.columns[lon].clone());
            PointSource::Columns { lat, lon }
        };
        let id_column = named_or_detected(table, options.id_column.as_deref(), detect_id)?;
        let every_feature_has_an_id = table
            .feature_ids
            .as_ref()
            .is_some_and(|ids| ids.iter().all(Option::is_some));
        let ids = match id_column {
            Some(column) => {
                roles.id = Some(table.columns[column].clone());
                IdSource::Column(column)
            }
            None if every_feature_has_an_id && table.n_rows > 0 => IdSource::FeatureId,
            None => IdSource::RowNumber,
        };
        Ok(RowReader {
            table,
            points,
            ids,
            strict: options.strict,
        })
    }

    /// The 1-based place of the 0-based row `row`, for messages.
    pub fn place(&self, row: usize) -> RowPlace {
        RowPlace {
            number: row + 1,
            is_feature: self.table.geometry.is_some(),
        }
    }

    /// The point and id of the 0-based row `row`, or why the row cannot be used.
    pub fn point_and_id(&self, row: usize) -> std::result::Result<(Point, String), SkipReason> {
        let point = match self.points {
            PointSource::Geometry => {
                let geometry = self
                    .table
                    .geometry
                    .as_ref()
                    .expect("geometry source without geometry");
                let point = geometry[row].clone()?;
                check_range(point.y(), 90.0, "latitude")?;
                check_range(point.x(), 180.0, "longitude")?;
                point
            }
            PointSource::Columns { lat, lon } => {
                let lat = self.coordinate(lat, row, 90.0)?;
                let lon = self.coordinate(lon, row, 180.0)?;
                Point::new(lon, lat)
            }
        };
        if point.x() == 0.0 && point.y() == 0.0 {
            return Err(SkipReason::NullIsland);
        }
        let id = match self.ids {
            IdSource::Column(column) => match self.table.text(column, row) {
                Some(text) if !text.trim().is_empty() => text.into_owned(),
                _ => {
                    return Err(SkipReason::MissingId {
                        column: self.table.columns[column].clone(),
                    });
                }
            },
            IdSource::FeatureId => self
                .table
                .feature_ids
                .as_ref()
                .and_then(|ids| ids[row].clone())
                .unwrap_or_default(),
            IdSource::RowNumber => (row + 1).to_string(),
        };
        Ok((point, id))
    }

    fn coordinate(
        &self,
        column: usize,
        row: usize,
        limit: f64,
    ) -> std::result::Result<f64, SkipReason> {
        let name = || self.table.columns[column].clone();
        let text = self.table.text(column, row);
        let text = text.as_deref().unwrap_or("");
        if is_null_spelling(text) {
            return Err(SkipReason::MissingCoordinate {
                column: name(),
                value: text.to_string(),
            });
        }
        let value: f64 = match text.trim().parse() {
            Ok(value) if f64::is_finite(value) => value,
            _ => {
                return Err(SkipReason::NotANumber {
                    column: name(),
                    value: text.to_string(),
                });
            }
        };
        if value.abs() > limit {
            return Err(SkipReason::OutOfRange {
                column: name(),
                value: text.to_string(),
            });
        }
        Ok(value)
    }

    /// Counts a skipped row, or in strict mode turns it into an error.
    pub fn skip(&self, row: usize, reason: SkipReason, log: &mut RowLog) -> Result<()> {
        if self.strict {
            return Err(Error::BadRow {
                path: self.table.source.path.clone(),
                place: self.place(row),
                reason,
            });
        }
        let place = self.place(row);
        log.record(reason.kind(), place.number, || format!("{place}: {reason}"));
        Ok(())
    }
}

fn check_range(value: f64, limit: f64, what: &str) -> std::result::Result<(), SkipReason> {
    if value.abs() > limit {
        return Err(SkipReason::OutOfRange {
            column: format!("geometry {what}"),
            value: value.to_string(),
        });
    }
    Ok(())
}
