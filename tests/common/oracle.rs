//! Brute-force references: every school against every incident, WGS84 geodesic distances
//! from geographiclib-rs. A spherical pre-check skips pairs that are far apart; it is safe
//! because the geodesic and the great-circle distance on the mean sphere never differ by
//! more than 0.7 %, and the margin used is 5 %.

use std::path::Path;

use geographiclib_rs::{Geodesic, InverseGeodesic};

const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;
const SPHERE_MARGIN: f64 = 1.05;

/// One row with a usable point.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based data row.
    pub row: usize,
    /// The id cell (or the row number when `id_column` is `None`).
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// Any other cells asked for, by name.
    pub extra: Vec<String>,
}

/// Where a test reads each row's point from.
#[derive(Debug, Clone, Copy)]
pub enum PointCells<'a> {
    /// Latitude and longitude columns.
    Columns(&'a str, &'a str),
    /// One text column ending in "(lat, lon)", such as a Socrata location field.
    LatLonText(&'a str),
}

/// Rows of a CSV whose point is usable: both cells trimmed parse as finite numbers within
/// range, and the point is not (0, 0). Also returns the 1-based rows that were not usable.
pub fn read_points(
    path: &Path,
    lat: &str,
    lon: &str,
    id: Option<&str>,
    extra: &[&str],
) -> (Vec<Row>, Vec<usize>) {
    read_points_from(path, PointCells::Columns(lat, lon), id, extra)
}

/// The last "(lat, lon)" group of a text cell.
fn lat_lon_in_text(text: &str) -> (Option<f64>, Option<f64>) {
    let Some(open) = text.rfind('(') else {
        return (None, None);
    };
    let inner = text[open + 1..].trim_end().trim_end_matches(')');
    let mut parts = inner.split(',').map(|part| part.trim().parse::<f64>().ok());
    (parts.next().flatten(), parts.next().flatten())
}

/// As [`read_points`], with the point read from `cells`.
pub fn read_points_from(
    path: &Path,
    cells: PointCells,
    id: Option<&str>,
    extra: &[&str],
) -> (Vec<Row>, Vec<usize>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let id_i = id.map(column);
    let extra_i: Vec<usize> = extra.iter().map(|name| column(name)).collect();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let number = |j: usize| {
            record
                .get(j)
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        let (lat, lon) = match cells {
            PointCells::Columns(lat, lon) => (number(column(lat)), number(column(lon))),
            PointCells::LatLonText(name) => lat_lon_in_text(record.get(column(name)).unwrap_or("")),
        };
        match (lat, lon) {
            (Some(la), Some(lo))
                if la.abs() <= 90.0 && lo.abs() <= 180.0 && !(la == 0.0 && lo == 0.0) =>
            {
                rows.push(Row {
                    row: i + 1,
                    id: id_i.map_or((i + 1).to_string(), |j| record[j].to_string()),
                    lat: la,
                    lon: lo,
                    extra: extra_i
                        .iter()
                        .map(|&j| record.get(j).unwrap_or("").to_string())
                        .collect(),
                });
            }
            _ => skipped.push(i + 1),
        }
    }
    (rows, skipped)
}

fn haversine_m(a: &Row, b: &Row) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * MEAN_EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// The WGS84 geodesic distance between two rows, in metres.
pub fn geodesic_m(a: &Row, b: &Row) -> f64 {
    Geodesic::wgs84().inverse(a.lat, a.lon, b.lat, b.lon)
}

/// Per school: the indices of incidents within `radius_m`, and the nearest distance.
pub struct Truth {
    pub within: Vec<Vec<usize>>,
    pub nearest_m: Vec<Option<f64>>,
}

impl Truth {
    pub fn compute(schools: &[Row], incidents: &[Row], radius_m: f64) -> Truth {
        let geodesic = Geodesic::wgs84();
        let mut within = Vec::with_capacity(schools.len());
        let mut nearest_m = Vec::with_capacity(schools.len());
        for school in schools {
            let spherical: Vec<f64> = incidents
                .iter()
                .map(|incident| haversine_m(school, incident))
                .collect();
            let hits = (0..incidents.len())
                .filter(|&i| spherical[i] <= radius_m * SPHERE_MARGIN)
                .filter(|&i| {
                    let d: f64 = geodesic.inverse(
                        school.lat,
                        school.lon,
                        incidents[i].lat,
                        incidents[i].lon,
                    );
                    d <= radius_m
                })
                .collect();
            within.push(hits);
            let closest_spherical = spherical.iter().copied().fold(f64::INFINITY, f64::min);
            let nearest = (0..incidents.len())
                .filter(|&i| spherical[i] <= closest_spherical * SPHERE_MARGIN + 1.0)
                .map(|i| {
                    geodesic.inverse(school.lat, school.lon, incidents[i].lat, incidents[i].lon)
                })
                .fold(None, |best: Option<f64>, d: f64| {
                    Some(best.map_or(d, |b| b.min(d)))
                });
            nearest_m.push(nearest);
        }
        Truth { within, nearest_m }
    }

    /// Incidents within the radius of at least one school.
    pub fn distinct_within(&self) -> usize {
        let mut all: Vec<usize> = self.within.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    }

    /// Schools with at least one incident within the radius.
    pub fn schools_with_any(&self) -> usize {
        self.within.iter().filter(|hits| !hits.is_empty()).count()
    }
}
