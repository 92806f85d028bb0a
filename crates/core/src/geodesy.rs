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

/// The smallest radius of curvature anywhere on the WGS84 ellipsoid, in metres: the
/// meridional radius at the equator, b²/a = a(1 - f)².
pub(crate) const WGS84_MIN_RADIUS_OF_CURVATURE_M: f64 =
    WGS84_SEMI_MAJOR_AXIS_M * (1.0 - WGS84_FLATTENING) * (1.0 - WGS84_FLATTENING);

/// The longest chord (straight line through the Earth) between two points whose WGS84
/// geodesic distance is then surely at most `radius_m`: 2ρ·sin(r/2ρ), with ρ the smallest
/// radius of curvature, capped at 12,000 km, less a relative 10⁻¹² for rounding.
///
/// A geodesic has no curvature within the surface, so its curvature in space is the
/// surface's normal curvature along it, never more than 1/ρ. By Schur's comparison theorem,
/// an arc of length L ≤ πρ whose curvature is at most 1/ρ has a chord at least that of a
/// circular arc of radius ρ and the same length, 2ρ·sin(L/2ρ); so L ≤ 2ρ·asin(chord/2ρ)
/// ([`geodesic_upper_bound_m`]), and a chord up to 2ρ·sin(r/2ρ) has L ≤ r. The condition
/// L ≤ πρ (19,903 km) holds whenever the chord is under 12,000 km: were L longer, the sub-arc
/// of length πρ from one end would reach a point at least 2ρ = 12,671 km away, and the rest
/// of the arc, at most 20,004 km − πρ = 101 km long, could not bring the other end back
/// within 12,000 km.
///
/// Together with chord ≤ geodesic this brackets the geodesic within a hair (a relative 3e-11
/// at 160 m), which decides most points of a radius query without solving the geodesic: a
/// query compares each candidate's chord with this one number.
pub(crate) fn chord_surely_within_m(radius_m: f64) -> f64 {
    let rho = WGS84_MIN_RADIUS_OF_CURVATURE_M;
    let half_angle = radius_m / (2.0 * rho);
    let chord_m = if half_angle >= (MAX_BOUNDED_CHORD_M / (2.0 * rho)).asin() {
        MAX_BOUNDED_CHORD_M
    } else {
        2.0 * rho * half_angle.sin()
    };
    chord_m * (1.0 - 1e-12)
}

/// The longest chord the bound of [`chord_surely_within_m`] holds for.
const MAX_BOUNDED_CHORD_M: f64 = 12_000_000.0;

/// The upper bound on the geodesic distance between two points whose chord is `chord_m`
/// (see [`chord_surely_within_m`], its inverse); infinite for chords over 12,000 km.
#[cfg(test)]
pub(crate) fn geodesic_upper_bound_m(chord_m: f64) -> f64 {
    if chord_m > MAX_BOUNDED_CHORD_M {
        return f64::INFINITY;
    }
    let rho = WGS84_MIN_RADIUS_OF_CURVATURE_M;
    2.0 * rho * (chord_m / (2.0 * rho)).asin()
}

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
#[cfg(test)]
pub(crate) fn chord_m(a: [f64; 3], b: [f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    (dx * dx + dy * dy + dz * dz).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_utilities::point_strategy;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// chord ≤ geodesic ≤ the upper bound, for pairs from a metre to half the Earth
        /// apart, the poles and the antimeridian included.
        #[test]
        fn chord_and_upper_bound_bracket_the_geodesic(
            a in point_strategy(),
            bearing in 0.0f64..360.0,
            distance_m in prop_oneof![0.0f64..500.0, 500.0f64..50_000.0, 50_000.0f64..15_000_000.0],
        ) {
            use geo::Destination as _;
            let b = Geodesic.destination(a, bearing, distance_m);
            let geodesic = geodesic_distance_m(a, b);
            let chord = chord_m(ecef_m(a), ecef_m(b));
            prop_assert!(chord <= geodesic + 1e-6, "chord {chord} > geodesic {geodesic}");
            let upper = geodesic_upper_bound_m(chord);
            prop_assert!(geodesic <= upper + 1e-6, "geodesic {geodesic} > bound {upper}");
            // And the bracket is tight at school scales: 2ρ·asin(c/2ρ) − c ≈ L³/24ρ², about
            // a micrometre at 1 km and 7 nanometres at 160 m (asserted with a factor 2 and a
            // nanometre for rounding).
            if distance_m < 1_000.0 {
                let rho = WGS84_MIN_RADIUS_OF_CURVATURE_M;
                let width = distance_m.powi(3) / (12.0 * rho * rho) + 1e-9;
                prop_assert!(upper - chord <= width, "{} > {width} at {distance_m} m", upper - chord);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Every chord up to `chord_surely_within_m(r)` is bounded within r, and the
        /// threshold gives away nothing measurable.
        #[test]
        fn chord_threshold_inverts_the_upper_bound(
            radius_m in prop_oneof![0.0f64..1_000.0, 1_000.0f64..100_000.0, 100_000.0f64..25_000_000.0],
            fraction in prop_oneof![Just(1.0), 0.0f64..1.0],
        ) {
            let threshold = chord_surely_within_m(radius_m);
            let chord = threshold * fraction;
            prop_assert!(geodesic_upper_bound_m(chord) <= radius_m, "{chord} for {radius_m}");
            if radius_m < 15_000_000.0 {
                let exact = geodesic_upper_bound_m(threshold);
                prop_assert!(radius_m - exact <= 1e-9 * radius_m.max(1.0), "{exact} for {radius_m}");
            }
        }
    }

    #[test]
    fn smallest_radius_of_curvature() {
        // b²/a for WGS84.
        let b = WGS84_SEMI_MAJOR_AXIS_M * (1.0 - WGS84_FLATTENING);
        assert!((WGS84_MIN_RADIUS_OF_CURVATURE_M - b * b / WGS84_SEMI_MAJOR_AXIS_M).abs() < 1e-6);
        assert!((WGS84_MIN_RADIUS_OF_CURVATURE_M - 6_335_439.327).abs() < 1e-3);
    }

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
