//! Index build: bulk-loading 1,000,000 incident points, against inserting them one by one.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use geo::Point;
use proximity::PointIndex;

mod common;
use std::hint::black_box;

fn medium_points() -> Vec<Point> {
    let city = common::medium_city();
    city.incidents
        .iter()
        .filter_map(|incident| incident.point)
        .collect()
}

fn index_build(c: &mut Criterion) {
    let points = medium_points();
    let mut group = c.benchmark_group("index_build");
    group.sample_size(10);
    group.bench_function("bulk_load_1M", |b| {
        b.iter(|| PointIndex::new(black_box(&points)))
    });
    group.bench_function("rstar_insert_1M", |b| {
        b.iter_batched(
            || {
                points
                    .iter()
                    .map(|p| proximity::ecef_m(*p))
                    .collect::<Vec<_>>()
            },
            |ecef| {
                let mut tree = rstar::RTree::new();
                for (i, p) in ecef.into_iter().enumerate() {
                    tree.insert(rstar::primitives::GeomWithData::new(p, i));
                }
                tree
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, index_build);
criterion_main!(benches);
