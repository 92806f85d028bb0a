//! Points far from the rest of the data: bad geocodes in another state, placeholder points.
//!
//! A point is an outlier when its distance from the data's median centre is more than
//! [`SPREAD_FACTOR`] times the 95th percentile of those distances, and more than
//! [`MIN_LIMIT_KM`]. Distances here only flag points for the user to look at; they are
//! great-circle distances on the mean sphere, never reported as results.

use geo::Point;
use rayon::prelude::*;

use crate::model::BoundingBox;

/// How many times the 95th-percentile distance a point must be from the centre.
pub const SPREAD_FACTOR: f64 = 3.0;
/// The smallest outlier limit, in kilometres: a compact data set does not make a
/// neighbouring town an outlier.
pub const MIN_LIMIT_KM: f64 = 25.0;
/// Fewer points than this are too few to tell what "the rest" is.
const MIN_POINTS: usize = 20;

const MEAN_EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// The outliers among `points` (0-based row, point), with the limit in kilometres, or no
/// outliers and no limit when there are too few points to judge.
pub(crate) fn far_points(points: &[(usize, Point)]) -> (Vec<(usize, f64)>, Option<f64>) {
    if points.len() < MIN_POINTS {
        return (Vec::new(), None);
    }
    // The k-th smallest value; selection, not a full sort, as this runs on every load.
    let kth = |mut values: Vec<f64>, k: usize| *values.select_nth_unstable_by(k, f64::total_cmp).1;
    let median = |values: Vec<f64>| {
        let middle = values.len() / 2;
        kth(values, middle)
    };
    let (x, y) = rayon::join(
        || median(points.par_iter().map(|(_, p)| p.x()).collect()),
        || median(points.par_iter().map(|(_, p)| p.y()).collect()),
    );
    let centre = Point::new(x, y);
    let distances: Vec<f64> = points
        .par_iter()
        .map(|(_, p)| great_circle_km(centre, *p))
        .collect();
    let p95 = kth(
        distances.clone(),
        (distances.len() * 95 / 100).min(distances.len() - 1),
    );
    let limit_km = (SPREAD_FACTOR * p95).max(MIN_LIMIT_KM);
    let far = points
        .iter()
        .zip(&distances)
        .filter(|(_, distance)| **distance > limit_km)
        .map(|((row, _), distance)| (*row, *distance))
        .collect();
    (far, Some(limit_km))
}

/// The rows among `points` outside `bbox`.
pub(crate) fn outside(points: &[(usize, Point)], bbox: &BoundingBox) -> Vec<usize> {
    points
        .iter()
        .filter(|(_, point)| !bbox.contains(*point))
        .map(|(row, _)| *row)
        .collect()
}

fn great_circle_km(a: Point, b: Point) -> f64 {
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x() - a.x()).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * MEAN_EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_points_are_flagged_and_near_ones_are_not() {
        // A city of 400 points around Chicago, a suburb, and three bad geocodes.
        let mut points: Vec<(usize, Point)> = (0..400)
            .map(|i| {
                let t = i as f64 / 400.0;
                (
                    i,
                    Point::new(-87.9 + 0.35 * t, 41.65 + 0.37 * ((t * 7.0) % 1.0)),
                )
            })
            .collect();
        points.push((400, Point::new(-87.651, 41.511))); // south suburbs, ~35 km
        points.push((401, Point::new(-91.686, 36.619))); // Missouri placeholder
        points.push((402, Point::new(-87.857, 42.8675))); // Wisconsin
        points.push((403, Point::new(-86.17, 39.77))); // Indianapolis
        let (far, limit) = far_points(&points);
        let rows: Vec<usize> = far.iter().map(|(row, _)| *row).collect();
        assert_eq!(rows, vec![401, 402, 403]);
        assert!(limit.unwrap() > 25.0 && limit.unwrap() < 100.0, "{limit:?}");
        // Too few points: nothing is judged.
        assert_eq!(far_points(&points[..10]), (Vec::new(), None));
    }

    #[test]
    fn great_circle() {
        let one_degree = great_circle_km(Point::new(0.0, 0.0), Point::new(0.0, 1.0));
        assert!((one_degree - 111.195).abs() < 0.001);
    }
}
