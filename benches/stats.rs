//! All per-school statistics for 10,000 schools against 1,000,000 incidents, generated in
//! memory (the peer harness's "medium" size), at a tenth of a mile; and the queries alone,
//! one school after another: the nearest incident, the radius query with distances
//! (`within`), and without them (`for_each_index_within`, which skips the geodesic where
//! the chord bounds decide).

use criterion::{Criterion, criterion_group, criterion_main};
use geo::Point;
use proximity::{PointIndex, compute_statistics};

mod common;
use std::hint::black_box;

fn statistics(c: &mut Criterion) {
    let city = common::medium_city();
    let schools = city.school_records();
    let incidents = city.incident_records();
    let points: Vec<Point> = incidents.iter().map(|incident| incident.point).collect();
    let index = PointIndex::new(&points);
    let mut group = c.benchmark_group("statistics");
    group.sample_size(10);
    group.bench_function("10k_schools_x_1M_incidents_0.1mi", |b| {
        b.iter(|| compute_statistics(black_box(&schools), black_box(&incidents), &index, 160.9344))
    });
    group.bench_function("nearest_only_10k", |b| {
        b.iter(|| {
            schools
                .iter()
                .map(|s| index.nearest(s.point).map_or(0, |h| h.index))
                .sum::<usize>()
        })
    });
    group.bench_function("indices_within_only_10k", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for school in &schools {
                index.for_each_index_within(school.point, 160.9344, |_| found += 1);
            }
            found
        })
    });
    group.bench_function("within_only_10k", |b| {
        b.iter(|| {
            schools
                .iter()
                .map(|s| index.within(s.point, 160.9344).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, statistics);
criterion_main!(benches);
