//! Distances on the WGS84 ellipsoid, and the 3-D embedding the index narrows candidates with.
//!
//! Every distance the library reports or compares is the ellipsoidal geodesic distance of
//! Karney (2013), as PostGIS `geography` computes it. The index works in Earth-centred,
//! Earth-fixed (ECEF) coordinates instead of degrees: the straight-line chord between two
//! points on the ellipsoid is never longer than the geodesic between them, so "chord ≤ r" is
//! a superset of "geodesic ≤ r" everywhere, across the antimeridian and at the poles alike.

use geo::{Distance as _, Geodesic, Point};

/// WGS84 semi-major axis (equatorial radius), metres.
pub const WGS84_SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_FLATTENING: f64 = 1.0 / 298.257_223_563;

/// Slack added to chord bounds to cover floating-point rounding in the ECEF conversion and
/// in the geodesic solution (both are below a micrometre); a millimetre costs nothing.
pub(crate) const CHORD_SLACK_M: f64 = 1e-3;

/// The WGS84 ellipsoidal geodesic distance between two (lon, lat) points, in metres.
///
/// ```
/// use geo::Point;
/// // One degree of latitude at the equator is 110,574.4 m on WGS84.
/// let d = proximity::geodesic_distance_m(Point::new(0.0, 0.0), Point::new(0.0, 1.0));
/// assert!((d - 110_574.389).abs() < 0.001);
/// ```
pub fn geodesic_distance_m(from: Point, to: Point) -> f64 {
    Geodesic.distance(from, to)
}

/// Earth-centred, Earth-fixed cartesian coordinates, in metres, of a (lon, lat) point on the
/// surface of the WGS84 ellipsoid.
pub fn ecef_m(point: Point) -> [f64; 3] {
    let eccentricity_squared = WGS84_FLATTENING * (2.0 - WGS84_FLATTENING);
    let (sin_lat, cos_lat) = point.y().to_radians().sin_cos();
    let (sin_lon, cos_lon) = point.x().to_radians().sin_cos();
    let prime_vertical_radius_m =
        WGS84_SEMI_MAJOR_AXIS_M / (1.0 - eccentricity_squared * sin_lat * sin_lat).sqrt();
    [
        prime_vertical_radius_m * cos_lat * cos_lon,
        prime_vertical_radius_m * cos_lat * sin_lon,
        prime_vertical_radius_m * (1.0 - eccentricity_squared) * sin_lat,
    ]
}

/// The straight-line distance between two ECEF points, in metres.
pub(crate) fn chord_m(a: [f64; 3], b: [f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    (dx * dx + dy * dy + dz * dz).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_geodesic_distances() {
        // Values from GeographicLib's GeodSolve (WGS84).
        let equator_degree = geodesic_distance_m(Point::new(0.0, 0.0), Point::new(1.0, 0.0));
        assert!((equator_degree - 111_319.490_793).abs() < 1e-5);
        let meridian_degree = geodesic_distance_m(Point::new(0.0, 0.0), Point::new(0.0, 1.0));
        assert!((meridian_degree - 110_574.388_556).abs() < 1e-5);
        // Quarter meridian, equator to pole: 10,001,965.729 m.
        let quarter = geodesic_distance_m(Point::new(0.0, 0.0), Point::new(0.0, 90.0));
        assert!((quarter - 10_001_965.729_313).abs() < 1e-5);
        // Across the antimeridian the short way.
        let across = geodesic_distance_m(Point::new(179.9, 0.0), Point::new(-179.9, 0.0));
        assert!((across - 2.0 * 11_131.949_079).abs() < 1e-3);
    }

    #[test]
    fn chord_never_exceeds_geodesic() {
        let pairs = [
            ((-87.6, 41.8), (-87.6015, 41.8009)),
            ((179.99, 10.0), (-179.99, 10.0)),
            ((0.0, 89.999), (180.0, 89.999)),
            ((12.0, -45.0), (13.0, -44.0)),
            ((0.0, 0.0), (179.0, 0.5)),
        ];
        for ((lon1, lat1), (lon2, lat2)) in pairs {
            let a = Point::new(lon1, lat1);
            let b = Point::new(lon2, lat2);
            let chord = chord_m(ecef_m(a), ecef_m(b));
            let geodesic = geodesic_distance_m(a, b);
            assert!(
                chord <= geodesic + 1e-6,
                "{a:?} {b:?}: chord {chord} > geodesic {geodesic}"
            );
        }
    }

    #[test]
    fn ecef_axes() {
        let [x, y, z] = ecef_m(Point::new(0.0, 0.0));
        assert_eq!((x, y, z), (WGS84_SEMI_MAJOR_AXIS_M, 0.0, 0.0));
        let [x, y, z] = ecef_m(Point::new(0.0, 90.0));
        let semi_minor = WGS84_SEMI_MAJOR_AXIS_M * (1.0 - WGS84_FLATTENING);
        assert!(x.abs() < 1e-6 && y.abs() < 1e-9 && (z - semi_minor).abs() < 1e-6);
    }
}
