//! Seeded generators and brute-force oracles shared by the unit tests.

use geo::Point;
use proptest::prelude::*;

use crate::geodesy::geodesic_distance_m;
use crate::index::Hit;

/// Points anywhere on Earth, with the poles, the antimeridian and the equator weighted in.
pub(crate) fn point_strategy() -> impl Strategy<Value = Point> {
    let lat = prop_oneof![
        4 => -90.0f64..=90.0,
        1 => 89.9f64..=90.0,
        1 => -90.0f64..=-89.9,
        1 => Just(90.0),
        1 => Just(-90.0),
        1 => -0.01f64..0.01,
    ];
    let lon = prop_oneof![
        4 => -180.0f64..=180.0,
        1 => 179.9f64..=180.0,
        1 => -180.0f64..=-179.9,
        1 => Just(180.0),
        1 => Just(-180.0),
    ];
    (lon, lat).prop_map(|(lon, lat)| Point::new(lon, lat))
}

/// Indices of every point within `radius_m` of `center`, by computing every distance.
pub(crate) fn brute_force_within(points: &[Point], center: Point, radius_m: f64) -> Vec<usize> {
    (0..points.len())
        .filter(|&i| geodesic_distance_m(center, points[i]) <= radius_m)
        .collect()
}

/// The `k` nearest points by computing every distance, ties to the earlier input.
pub(crate) fn brute_force_k_nearest(points: &[Point], center: Point, k: usize) -> Vec<Hit> {
    let mut all: Vec<Hit> = points
        .iter()
        .enumerate()
        .map(|(index, point)| Hit {
            index,
            distance_m: geodesic_distance_m(center, *point),
        })
        .collect();
    all.sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.index.cmp(&b.index))
    });
    all.truncate(k);
    all
}
