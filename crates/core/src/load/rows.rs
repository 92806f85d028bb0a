//! What every loader does: read the file, choose the source of points, read each row's
//! point or say why it has none, flag outliers, choose the ids, find duplicates, and keep the
//! rejected rows when asked. Schools and incidents then add their own columns.

use std::time::Instant;

use compact_str::CompactString;
use geo::Point;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::{
    AlternativeSource, BoundingBox, ColumnRoles, Outlier, RejectedRow, Rejects, RowLog, RowNotes,
    SkipReason, Table, WhereFilter,
};
use crate::timings::Timings;

use super::columns::find_named;
use super::ids::{IdSource, choose_ids, find_duplicate_ids, find_duplicate_rows, rows_with_ids};
use super::options::{AxisOrder, LoadOptions, OutlierPolicy};
use super::outliers::{far_points, outside};
use super::points::{PointSource, axis_fit, candidate_sources, looks_projected};
use super::table::RawTable;
use super::where_clause::{ExtraColumns, evaluate_where};

/// A file read and accounted for: the rows with a usable point, and everything else.
pub(crate) struct LoadedRows {
    pub table: RawTable,
    pub roles: ColumnRoles,
    /// The rows with a usable point, in input order.
    pub rows: Vec<LoadedRow>,
    pub skipped: RowLog,
    pub notes: RowNotes,
    pub alternatives: Vec<AlternativeSource>,
    pub extent: Option<BoundingBox>,
    pub rejects: Option<Rejects>,
    pub timings: Timings,
}

impl LoadedRows {
    /// The loaded table: `records` (built from the rows), with this file's accounting.
    pub fn into_table<T>(self, records: Vec<T>, filter: Option<WhereFilter>) -> Table<T> {
        Table {
            records,
            columns: self.table.columns,
            roles: self.roles,
            source: self.table.source,
            skipped: self.skipped,
            notes: self.notes,
            alternatives: self.alternatives,
            filter,
            extent: self.extent,
            rejects: self.rejects,
            timings: self.timings,
        }
    }

    /// Applies `options.filter` to `records` (one per row, in order), giving the expression
    /// `extra` columns besides the file's own; returns the filter's account.
    pub fn filter_records<T>(
        &mut self,
        records: &mut Vec<T>,
        options: &LoadOptions,
        extra: impl FnOnce(&[T]) -> ExtraColumns,
    ) -> Result<Option<WhereFilter>> {
        let Some(expression) = &options.filter else {
            return Ok(None);
        };
        let indices: Vec<usize> = self.rows.iter().map(|row| row.index).collect();
        let (keep, filter) = evaluate_where(
            &self.table,
            &indices,
            expression,
            &options.numeric_columns,
            extra(records),
            &mut self.notes,
        )?;
        let mut keep = keep.into_iter();
        records.retain(|_| keep.next() == Some(true));
        Ok(Some(filter))
    }
}

/// A row with a usable point.
pub(crate) struct LoadedRow {
    /// 0-based row (or feature) index.
    pub index: usize,
    pub point: Point,
    pub id: CompactString,
}

/// Reads `path` and accounts for every row. In strict mode the first unusable row is an
/// error.
pub(crate) fn load_rows(path: &std::path::Path, options: &LoadOptions) -> Result<LoadedRows> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let table = RawTable::read(path)?;
    timings.record("read", start.elapsed());
    let start = Instant::now();
    let mut roles = ColumnRoles::default();
    let (source, alternatives) = choose_points(&table, options)?;
    roles.points = source.describe(&table);
    if let PointSource::Columns { lat, lon } = source {
        roles.lat = Some(table.columns[lat].clone());
        roles.lon = Some(table.columns[lon].clone());
    }
    // Each row's point is read once, in parallel; the axis order is then decided on the
    // raw points, and every row accounted for in order.
    let mut raw: Vec<std::result::Result<Point, Box<SkipReason>>> = (0..table.n_rows)
        .into_par_iter()
        .map(|row| source.raw_point(&table, row).map_err(Box::new))
        .collect();
    let swap = match options.axes {
        AxisOrder::Swap => true,
        AxisOrder::Keep => false,
        AxisOrder::Check => {
            let fit = axis_fit(
                raw.par_iter()
                    .filter_map(|point| point.as_ref().ok().copied()),
            );
            if fit.looks_swapped() {
                return Err(Error::AxesSwapped {
                    path: table.source.path.clone(),
                    points: roles.points.clone(),
                    swapped: fit.only_swapped,
                    as_written: fit.only_as_written,
                });
            }
            false
        }
    };
    roles.axes_swapped = swap;

    // Every point is checked in parallel; the rows without one are then accounted for in
    // row order.
    raw.par_iter_mut().for_each(|point| {
        if let Ok(raw) = *point {
            *point = source.check(&table, raw, swap).map_err(Box::new);
        }
    });
    let mut skipped = RowLog::default();
    let mut rejected: Vec<(usize, String)> = Vec::new();
    let mut points: Vec<(usize, Point)> = Vec::with_capacity(table.n_rows);
    for (row, point) in raw.iter().enumerate() {
        let reason = match point {
            Ok(point) => {
                points.push((row, *point));
                continue;
            }
            Err(reason) => reason,
        };
        let place = table.place(row);
        if options.strict {
            return Err(Error::BadRow {
                path: table.source.path.clone(),
                place,
                reason: (**reason).clone(),
            });
        }
        skipped.record(reason.kind(), place.number, || format!("{place}: {reason}"));
        if options.keep_rejects {
            rejected.push((row, reason.to_string()));
        }
    }
    drop(raw);

    let mut notes = RowNotes::default();
    let extent_of =
        |points: &[(usize, Point)]| BoundingBox::of_points(points.iter().map(|(_, p)| *p));
    let mut extent = extent_of(&points);
    let flagged: Vec<(usize, Option<f64>)> = match &options.bbox {
        Some(bbox) => {
            let outside = outside(&points, bbox);
            if !points.is_empty() && outside.len() == points.len() {
                return Err(Error::Invalid(format!(
                    "{}: --bbox ({bbox}) holds none of the {} points (extent: {}); --bbox takes south,north,west,east",
                    table.source.path,
                    points.len(),
                    extent.map_or(String::new(), |e| e.to_string())
                )));
            }
            outside.into_iter().map(|row| (row, None)).collect()
        }
        None => {
            let (far, limit_km) = far_points(&points);
            notes.outlier_limit_km = limit_km;
            far.into_iter().map(|(row, km)| (row, Some(km))).collect()
        }
    };
    if !flagged.is_empty() {
        // `points` is in row order.
        let point_of = |row: usize| {
            points
                .binary_search_by_key(&row, |(r, _)| *r)
                .ok()
                .map(|at| points[at].1)
        };
        notes.outliers = flagged
            .iter()
            .filter_map(|&(row, distance_km)| {
                Some(Outlier {
                    row: row + 1,
                    point: point_of(row)?,
                    distance_km,
                })
            })
            .collect();
        notes.outliers_dropped = options.outliers == OutlierPolicy::Drop;
        if notes.outliers_dropped {
            for outlier in &notes.outliers {
                let reason = match (outlier.distance_km, notes.outlier_limit_km) {
                    (Some(distance_km), Some(limit_km)) => SkipReason::FarOutlier {
                        distance_km,
                        limit_km,
                    },
                    _ => SkipReason::OutsideBox {
                        point: (outlier.point.x(), outlier.point.y()),
                    },
                };
                let place = table.place(outlier.row - 1);
                skipped.record(reason.kind(), place.number, || format!("{place}: {reason}"));
                if options.keep_rejects {
                    rejected.push((outlier.row - 1, reason.to_string()));
                }
            }
            let dropped: std::collections::HashSet<usize> =
                flagged.iter().map(|(row, _)| *row).collect();
            points.retain(|(row, _)| !dropped.contains(row));
            extent = extent_of(&points);
        }
    }

    timings.record("points", start.elapsed());
    let start = Instant::now();
    let ids = choose_ids(&table, options.id_column.as_deref())?;
    if let IdSource::Column(column) = ids.source {
        roles.id = Some(table.columns[column].clone());
    }
    roles.id_note = ids.note;
    let rows = rows_with_ids(&table, ids.source, &points, &mut notes.empty_ids);
    drop(points);
    if !ids.all_distinct {
        find_duplicate_ids(&table, &rows, &mut notes);
    }
    // Two rows are identical only if their id cells are: when every row has an id cell
    // of its own, filled and distinct from all others, there are no duplicate rows to
    // look for.
    let distinct_id_cells = matches!(ids.source, IdSource::Column(_))
        && (ids.all_distinct
            || (rows.len() == table.n_rows
                && notes.empty_ids.is_empty()
                && notes.duplicate_ids.is_empty()));
    timings.record("ids", start.elapsed());
    if !distinct_id_cells {
        timings.time("duplicate rows", || find_duplicate_rows(&table, &mut notes));
    }

    let rejects = options.keep_rejects.then(|| {
        rejected.sort_by_key(|(row, _)| *row);
        Rejects {
            columns: table.row_text_columns(),
            rows: rejected
                .into_iter()
                .map(|(row, reason)| RejectedRow {
                    row: row + 1,
                    reason,
                    cells: table.row_text(row),
                })
                .collect(),
        }
    });
    Ok(LoadedRows {
        table,
        roles,
        rows,
        skipped,
        notes,
        alternatives,
        extent,
        rejects,
        timings,
    })
}

/// The source of points: named columns, GeoJSON geometry, or else of every source the file
/// offers, the one with the most valid points (the most conventional one on a tie).
fn choose_points(
    table: &RawTable,
    options: &LoadOptions,
) -> Result<(PointSource, Vec<AlternativeSource>)> {
    let named = |name: &Option<String>| {
        name.as_deref()
            .map(|name| find_named(table, name))
            .transpose()
    };
    let candidates = candidate_sources(table);
    if let Some(column) = named(&options.point_column)? {
        let source = candidates
            .iter()
            .copied()
            .find(|source| match source {
                PointSource::Wkt(c) | PointSource::LocationText(c) | PointSource::Wkb(c) => {
                    *c == column
                }
                _ => false,
            })
            .ok_or_else(|| Error::Format {
                path: table.source.path.clone(),
                message: format!(
                    "column {:?} holds neither WKT points, WKB points nor \"(lat, lon)\" text",
                    table.columns[column]
                ),
            })?;
        return Ok((source, Vec::new()));
    }
    let (lat, lon) = (named(&options.lat_column)?, named(&options.lon_column)?);
    if lat.is_some() || lon.is_some() {
        let detected = candidates.iter().find_map(|source| match source {
            PointSource::Columns { lat, lon } => Some((*lat, *lon)),
            _ => None,
        });
        return match (lat.or(detected.map(|d| d.0)), lon.or(detected.map(|d| d.1))) {
            (Some(lat), Some(lon)) => Ok((PointSource::Columns { lat, lon }, Vec::new())),
            _ => Err(no_coordinate_columns(table)),
        };
    }
    if table.geometry.is_some() {
        return Ok((PointSource::Geometry, Vec::new()));
    }
    let swap = options.axes == AxisOrder::Swap;
    let evaluated: Vec<(PointSource, Vec<Option<Point>>)> = match candidates[..] {
        [] => return Err(no_coordinate_columns(table)),
        // One source: nothing to compare, so no need to read every row twice.
        [only] => vec![(only, Vec::new())],
        _ => candidates
            .iter()
            .map(|source| {
                let points = (0..table.n_rows)
                    .map(|row| source.point(table, row, swap).ok())
                    .collect();
                (*source, points)
            })
            .collect(),
    };
    let valid = |points: &Vec<Option<Point>>| points.iter().filter(|p| p.is_some()).count();
    let best = (0..evaluated.len())
        .rev()
        .max_by_key(|&i| valid(&evaluated[i].1))
        .unwrap_or(0);
    let (chosen, chosen_points) = &evaluated[best];
    if evaluated.len() == 1 || valid(chosen_points) == 0 {
        check_some_valid(table, chosen, options.axes)?;
    }
    let alternatives = evaluated
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, (source, points))| {
            let pairs = points.iter().zip(chosen_points);
            let valid_rows = valid(points);
            AlternativeSource {
                source: source.describe(table),
                valid_rows,
                disagreeing_rows: pairs
                    .clone()
                    .filter(|(a, b)| match (a, b) {
                        (Some(a), Some(b)) => {
                            (a.x() - b.x()).abs() > 1e-5 || (a.y() - b.y()).abs() > 1e-5
                        }
                        _ => false,
                    })
                    .count(),
                rows_only_here: pairs.filter(|(a, b)| a.is_some() && b.is_none()).count(),
                note: (valid_rows == 0)
                    .then(|| projected_hint(table, source))
                    .flatten(),
            }
        })
        .collect();
    Ok((*chosen, alternatives))
}

fn no_coordinate_columns(table: &RawTable) -> Error {
    Error::NoCoordinateColumns {
        path: table.source.path.clone(),
        columns: table.columns.join(", "),
    }
}

/// Why a source with no valid point has none, when its values look like projected
/// coordinates.
fn projected_hint(table: &RawTable, source: &PointSource) -> Option<String> {
    let raw: Vec<Point> = (0..table.n_rows)
        .filter_map(|row| source.raw_point(table, row).ok())
        .take(100)
        .collect();
    looks_projected(&raw).then(|| {
        format!(
            "values such as ({}, {}) are projected coordinates (feet or metres, e.g. a state plane), not degrees",
            raw[0].y(),
            raw[0].x()
        )
    })
}

/// An error when no row of `source` has a valid point (either way round, unless the order
/// is given), with a hint for projected coordinates.
fn check_some_valid(table: &RawTable, source: &PointSource, axes: AxisOrder) -> Result<()> {
    let mut first_reason = None;
    for row in 0..table.n_rows {
        let as_given = source.point(table, row, axes == AxisOrder::Swap);
        let swapped_fits = axes == AxisOrder::Check && source.point(table, row, true).is_ok();
        match as_given {
            Ok(_) => return Ok(()),
            Err(_) if swapped_fits => return Ok(()),
            Err(reason) => {
                first_reason.get_or_insert((row, reason));
            }
        }
    }
    let Some((row, reason)) = first_reason else {
        return Ok(());
    };
    let hint = projected_hint(table, source)
        .map(|hint| format!("; {hint}: use latitude/longitude columns instead"))
        .unwrap_or_default();
    Err(Error::NoUsableCoordinates {
        path: table.source.path.clone(),
        points: source.describe(table),
        rows: table.n_rows,
        example: format!("{}: {reason}", table.place(row)),
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How many rows repeat an earlier row cell for cell, by comparing every pair.
    fn brute_force_duplicate_rows(rows: &[Vec<&str>]) -> usize {
        (0..rows.len())
            .filter(|&row| rows[..row].contains(&rows[row]))
            .count()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Duplicate rows are found whether or not the id column rules them out: with or
        /// without a named id column, with ids that repeat or not, with identical rows
        /// that have no point (and so no id among the loaded rows), from CSV and GeoJSON
        /// (where a feature's geometry is part of the row, and -0 is 0).
        #[test]
        fn duplicate_rows_equal_brute_force(
            rows in prop::collection::vec((0usize..40, 0usize..3, 0usize..4), 25..60),
            ids in 0..3,
            named in any::<bool>(),
            geojson in any::<bool>(),
        ) {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .enumerate()
                .map(|(at, &(id, kind, place))| {
                    let lat = ["41.88", "41.89", "", "-0.0"][place];
                    let id = match ids {
                        // Distinct,
                        0 => at.to_string(),
                        // distinct among the rows with a point only,
                        1 if lat.is_empty() => format!("x{kind}"),
                        1 => at.to_string(),
                        // or repeating anywhere.
                        _ => id.to_string(),
                    };
                    vec![id, format!("k{kind}"), lat.to_string(), "-87.63".into()]
                })
                .collect();
            let dir = tempfile::tempdir().unwrap();
            let path = if geojson {
                // The coordinates are the geometry; -0 latitudes are written as 0 or -0.
                let features: Vec<String> = cells
                    .iter()
                    .enumerate()
                    .map(|(at, row)| {
                        let lat = match row[2].as_str() {
                            "-0.0" if at % 2 == 0 => "0.0",
                            lat => lat,
                        };
                        let geometry = if lat.is_empty() {
                            "null".to_string()
                        } else {
                            format!(r#"{{"type":"Point","coordinates":[{},{lat}]}}"#, row[3])
                        };
                        format!(
                            r#"{{"type":"Feature","properties":{{"id":"{}","kind":"{}"}},"geometry":{geometry}}}"#,
                            row[0], row[1]
                        )
                    })
                    .collect();
                let path = dir.path().join("rows.geojson");
                let text = format!(
                    r#"{{"type":"FeatureCollection","features":[{}]}}"#,
                    features.join(",")
                );
                std::fs::write(&path, text).unwrap();
                path
            } else {
                let mut text = String::from("id,kind,lat,lon\n");
                for row in &cells {
                    text.push_str(&row.join(","));
                    text.push('\n');
                }
                let path = dir.path().join("rows.csv");
                std::fs::write(&path, text).unwrap();
                path
            };
            // Latitude-0 points lie far from the rest: kept as outliers, not dropped.
            let options = LoadOptions {
                id_column: named.then(|| "id".to_string()),
                outliers: OutlierPolicy::Keep,
                ..LoadOptions::default()
            };
            let loaded = load_rows(&path, &options).unwrap();
            let rows: Vec<Vec<&str>> = cells
                .iter()
                .map(|row| row.iter().map(String::as_str).collect())
                .collect();
            prop_assert_eq!(
                loaded.notes.duplicate_rows.count,
                brute_force_duplicate_rows(&rows)
            );
        }
    }
}
