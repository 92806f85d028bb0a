//! The R-tree over incident points, and its radius, nearest and k-nearest queries.

use geo::Point;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{RStarInsertionStrategy, RTree, RTreeParams};

use crate::geodesy::{CHORD_SLACK_M, chord_surely_within_m, ecef_m, geodesic_distance_m};

/// One incident found by a query: its position in the indexed slice and its distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the incident in the slice the index was built from.
    pub index: usize,
    /// WGS84 geodesic distance from the query point, in metres.
    pub distance_m: f64,
}

/// An R-tree over points, answering geodesic queries exactly.
///
/// Points are stored as 3-D Earth-centred coordinates, bulk-loaded once. The tree only
/// narrows the candidates, by the chord (straight-line) distance, which is never longer than
/// the geodesic; every answer is then decided by the WGS84 geodesic distance itself. So no
/// point that is truly inside a radius is ever dropped, at the antimeridian and the poles
/// included.
///
/// The trees hold single-precision coordinates measured from the points' centre, half the
/// memory of double precision and quicker to load. What that rounding costs is bounded (a
/// few millimetres over a city, under two metres over the whole Earth) and added to every
/// bound the trees are asked for, so the candidates are still a superset of the answers.
///
/// Large inputs are split into a few spatial parts (at coordinate medians; one per thread,
/// or more, so that none holds over 2.5 million points, up to 64) whose trees are
/// bulk-loaded in parallel; a query visits every part whose bounding box can hold an answer.
/// Answers do not depend on the split: ties are broken by input order everywhere.
///
/// ```
/// use geo::Point;
/// use proximity::PointIndex;
/// let incidents = [Point::new(-87.6298, 41.8781), Point::new(-87.6300, 41.8790)];
/// let index = PointIndex::new(&incidents);
/// let hits = index.within(Point::new(-87.6298, 41.8781), 50.0);
/// assert_eq!(hits.len(), 1);
/// let nearest = index.nearest(Point::new(-87.6301, 41.8791)).unwrap();
/// assert_eq!(nearest.index, 1);
/// ```
pub struct PointIndex {
    trees: Vec<Tree>,
    /// The Earth-centred point, in metres, that the trees' coordinates are measured from.
    origin: [f64; 3],
    /// How far, at most, a point as the trees hold it lies from its exact position.
    stored_error_m: f64,
    /// The points in the trees' leaf order ("positions"), so that the points near one
    /// another are near one another in memory. An entry's data is its position.
    points: Vec<Point>,
    /// Each position's index in the input.
    inputs: Vec<u32>,
}

/// A tree entry: a point's coordinates relative to the index's origin, and its position.
type Entry = GeomWithData<[f32; 3], u32>;

type Tree = RTree<Entry, NodeSize>;

/// The trees' node sizes. The trees are bulk-loaded once and never changed, so the only
/// trade-off is between load and query time: nodes of 16 rather than rstar's default of 6
/// load 10 million points about 15 % faster and answer as fast.
struct NodeSize;

impl RTreeParams for NodeSize {
    const MIN_SIZE: usize = NODE_SIZE / 2;
    const MAX_SIZE: usize = NODE_SIZE;
    const REINSERTION_COUNT: usize = 2;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

const NODE_SIZE: usize = 16;

/// Below this many points one tree is built: splitting would not pay for itself.
const MIN_POINTS_TO_SPLIT: usize = 200_000;

/// Above this many points per part, more parts are built than there are threads: rstar's
/// bulk load of 2.5 million points takes less than half as long as that of 10 million, and
/// the smaller trees answer as fast (measured at 1 and 10 million points: 2 parts are best
/// at 1 million, 4 at 10 million, with 2 threads).
const MAX_POINTS_PER_PART: usize = 2_500_000;

/// The most parts: every query looks at each part's bounding box.
const MAX_PARTS: usize = 64;

/// The relative error of a squared distance the trees compute in single precision (a
/// subtraction, a square and two additions per point, each rounding by at most 2⁻²⁴, so
/// under 6 × 2⁻²⁴ = 3.6e-7), with room to spare; it also covers rounding the bound itself.
const TREE_RELATIVE_ERROR: f64 = 1e-6;

/// How far, at most, rounding `offset` (metres) to single precision moves it: each
/// coordinate by at most 2⁻²⁴ of the largest (taken as 2⁻²³, for the rounding of the offset
/// itself in double precision), so the point by at most √3 times that.
fn single_precision_error_m(largest_coordinate_m: f64) -> f64 {
    3f64.sqrt() * largest_coordinate_m / 8_388_608.0
}

/// A query point, exactly and as the trees see it.
struct Query {
    exact: [f64; 3],
    local: [f32; 3],
    /// How far, at most, a distance the trees compute from `local` to a stored point lies
    /// from the exact chord (before the trees' own relative rounding): the rounding of both.
    error_m: f64,
}

/// The largest of three numbers' magnitudes.
fn largest_magnitude(v: [f64; 3]) -> f64 {
    v[0].abs().max(v[1].abs()).max(v[2].abs())
}

impl PointIndex {
    /// Builds the index over `points` (lon, lat), bulk-loading the trees.
    ///
    /// # Panics
    /// With 2³² points or more.
    pub fn new(points: &[Point]) -> PointIndex {
        let parts = if points.len() < MIN_POINTS_TO_SPLIT {
            1
        } else {
            let for_threads = rayon::current_num_threads().clamp(1, 8);
            let for_size = points.len().div_ceil(MAX_POINTS_PER_PART);
            for_threads.max(for_size).min(MAX_PARTS).next_power_of_two()
        };
        PointIndex::with_parts(points, parts)
    }

    /// Builds the index in `parts` spatial parts (a power of two).
    fn with_parts(points: &[Point], parts: usize) -> PointIndex {
        assert!(
            u32::try_from(points.len()).is_ok(),
            "an index holds fewer than 2^32 points"
        );
        let origin = centre(points);
        let (entries, largest): (Vec<Entry>, Vec<f64>) = points
            .par_iter()
            .enumerate()
            .map(|(index, point)| {
                let exact = ecef_m(*point);
                let offset = [0, 1, 2].map(|axis| exact[axis] - origin[axis]);
                let entry = Entry::new(offset.map(|v| v as f32), index as u32);
                (entry, largest_magnitude(offset))
            })
            .unzip();
        let stored_error_m =
            single_precision_error_m(largest.into_par_iter().reduce(|| 0.0, f64::max));
        let mut trees: Vec<Tree> = split(entries, parts, 0)
            .into_par_iter()
            .map(RTree::bulk_load_with_params)
            .collect();
        // Number the entries in leaf order: the answers of one query then lie close
        // together in `points`, `inputs` and any per-position data a caller keeps.
        let offsets: Vec<u32> = trees
            .iter()
            .scan(0, |next, tree| {
                let first = *next;
                *next += tree.size() as u32;
                Some(first)
            })
            .collect();
        let inputs: Vec<u32> = trees
            .par_iter_mut()
            .zip(offsets)
            .flat_map_iter(|(tree, offset)| {
                tree.iter_mut()
                    .zip(offset..)
                    .map(|(entry, position)| std::mem::replace(&mut entry.data, position))
                    .collect::<Vec<u32>>()
            })
            .collect();
        PointIndex {
            trees,
            origin,
            stored_error_m,
            points: inputs
                .par_iter()
                .map(|&input| points[input as usize])
                .collect(),
            inputs,
        }
    }

    /// Each position's index in the input: positions number the points in the index's own
    /// order, which keeps points near one another close together in memory.
    pub(crate) fn inputs(&self) -> &[u32] {
        &self.inputs
    }

    /// `center` as the trees see it, with the rounding that costs.
    fn query(&self, center: Point) -> Query {
        let exact = ecef_m(center);
        let offset = [0, 1, 2].map(|axis| exact[axis] - self.origin[axis]);
        Query {
            exact,
            local: offset.map(|v| v as f32),
            error_m: self.stored_error_m + single_precision_error_m(largest_magnitude(offset)),
        }
    }

    /// The squared tree distance within which every point whose chord from the query is at
    /// most `chord_m` lies.
    fn tree_bound_2(query: &Query, chord_m: f64) -> f32 {
        let bound_m = chord_m + CHORD_SLACK_M + query.error_m;
        (bound_m * bound_m * (1.0 + TREE_RELATIVE_ERROR)) as f32
    }

    /// A lower bound on the chord from the query to any point at a squared tree distance of
    /// `tree_distance_2` or more.
    fn chord_lower_bound_m(query: &Query, tree_distance_2: f32) -> f64 {
        (f64::from(tree_distance_2) / (1.0 + TREE_RELATIVE_ERROR)).sqrt()
            - query.error_m
            - CHORD_SLACK_M
    }

    /// The squared chord from the query to a stored point; the chord is within
    /// `stored_error_m` (plus the chord slack) of the exact one.
    fn stored_chord_2(&self, query: &Query, entry: &Entry) -> f64 {
        let local = entry.geom();
        let [dx, dy, dz] =
            [0, 1, 2].map(|axis| self.origin[axis] + f64::from(local[axis]) - query.exact[axis]);
        dx * dx + dy * dy + dz * dz
    }

    /// Every point whose chord from `query` is at most `radius_m` (a superset of the points
    /// within `radius_m` by geodesic distance), with its squared chord as
    /// [`stored_chord_2`](Self::stored_chord_2) gives it; points that the stored chord
    /// already puts beyond `radius_m` are left out.
    fn candidates<'a>(
        &'a self,
        query: &'a Query,
        radius_m: f64,
    ) -> impl Iterator<Item = (&'a Entry, f64)> + 'a {
        let bound_2 = Self::tree_bound_2(query, radius_m);
        let farthest_m = radius_m + self.stored_error_m + CHORD_SLACK_M;
        let farthest_2 = farthest_m * farthest_m;
        self.trees
            .iter()
            .filter(move |tree| {
                tree.size() > 0 && tree.root().envelope().distance_2(&query.local) <= bound_2
            })
            .flat_map(move |tree| tree.locate_within_distance(query.local, bound_2))
            .map(|entry| (entry, self.stored_chord_2(query, entry)))
            .filter(move |(_, chord_2)| *chord_2 <= farthest_2)
    }

    /// How many points are indexed.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether no points are indexed.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Calls `visit` for every point whose geodesic distance from `center` is at most
    /// `radius_m` metres (the boundary is inside, as with PostGIS `ST_DWithin`), in no
    /// particular order.
    pub fn for_each_within(&self, center: Point, radius_m: f64, mut visit: impl FnMut(Hit)) {
        let query = self.query(center);
        for (entry, _) in self.candidates(&query, radius_m) {
            let position = entry.data as usize;
            let distance_m = geodesic_distance_m(center, self.points[position]);
            if distance_m <= radius_m {
                visit(Hit {
                    index: self.inputs[position] as usize,
                    distance_m,
                });
            }
        }
    }

    /// Calls `visit` with the input index of every point whose geodesic distance from
    /// `center` is at most `radius_m` metres, in no particular order: the same points as
    /// [`for_each_within`](Self::for_each_within), without their distances.
    ///
    /// A candidate whose chord bounds its geodesic distance below the radius (with room for
    /// rounding) is inside without solving the geodesic; only the candidates in the thin
    /// shell where the bounds straddle the radius are measured.
    pub fn for_each_index_within(
        &self,
        center: Point,
        radius_m: f64,
        mut visit: impl FnMut(usize),
    ) {
        self.for_each_position_within(center, radius_m, |position| {
            visit(self.inputs[position] as usize);
        });
    }

    /// [`for_each_index_within`](Self::for_each_index_within) by position (see
    /// [`inputs`](Self::inputs)).
    pub(crate) fn for_each_position_within(
        &self,
        center: Point,
        radius_m: f64,
        mut visit: impl FnMut(usize),
    ) {
        let query = self.query(center);
        // A stored chord of at most `inside_m` is surely inside: with the rounding added, its
        // geodesic is bounded within the radius (no chord is, when this is negative).
        let inside_m = chord_surely_within_m(radius_m) - self.stored_error_m - CHORD_SLACK_M;
        let inside_2 = if inside_m >= 0.0 {
            inside_m * inside_m
        } else {
            -1.0
        };
        for (entry, chord_2) in self.candidates(&query, radius_m) {
            let position = entry.data as usize;
            let surely_inside = chord_2 <= inside_2;
            if surely_inside || geodesic_distance_m(center, self.points[position]) <= radius_m {
                visit(position);
            }
        }
    }

    /// Every point within `radius_m` metres of `center`, in input order.
    pub fn within(&self, center: Point, radius_m: f64) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.for_each_within(center, radius_m, |hit| hits.push(hit));
        hits.sort_unstable_by_key(|hit| hit.index);
        hits
    }

    /// The nearest point to `center` at any distance, or `None` when the index is empty.
    /// Of points at exactly the same distance, the first in input order wins.
    pub fn nearest(&self, center: Point) -> Option<Hit> {
        self.k_nearest(center, 1).into_iter().next()
    }

    /// The `k` nearest points to `center`, nearest first; ties go to the earlier input.
    pub fn k_nearest(&self, center: Point, k: usize) -> Vec<Hit> {
        let mut best: Vec<Hit> = Vec::with_capacity(k.saturating_add(1).min(self.len() + 1));
        if k == 0 {
            return best;
        }
        let query = self.query(center);
        // The nearest part first, so that the others are mostly ruled out by their boxes.
        let mut trees: Vec<(f64, &Tree)> = self
            .trees
            .iter()
            .filter(|tree| tree.size() > 0)
            .map(|tree| {
                let box_distance_2 = tree.root().envelope().distance_2(&query.local);
                (Self::chord_lower_bound_m(&query, box_distance_2), tree)
            })
            .collect();
        trees.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (box_chord_m, tree) in trees {
            if best.len() == k && box_chord_m > best[k - 1].distance_m {
                continue;
            }
            // Candidates arrive by increasing tree distance. Since chord <= geodesic, once a
            // candidate's chord is surely longer than the k-th best geodesic distance, no
            // later one can do better or tie.
            for (entry, tree_distance_2) in tree.nearest_neighbor_iter_with_distance_2(query.local)
            {
                if best.len() == k
                    && Self::chord_lower_bound_m(&query, tree_distance_2) > best[k - 1].distance_m
                {
                    break;
                }
                let position = entry.data as usize;
                let candidate = Hit {
                    index: self.inputs[position] as usize,
                    distance_m: geodesic_distance_m(center, self.points[position]),
                };
                let at = best.partition_point(|hit| {
                    (hit.distance_m, hit.index) < (candidate.distance_m, candidate.index)
                });
                if at < k {
                    best.insert(at, candidate);
                    best.truncate(k);
                }
            }
        }
        best
    }
}

/// A point near the middle of `points`, in Earth-centred metres: the mean of at most 4,096
/// of them, evenly spaced in input order. Any origin gives exact answers; one near the points
/// keeps the rounding of their single-precision coordinates small.
fn centre(points: &[Point]) -> [f64; 3] {
    if points.is_empty() {
        return [0.0; 3];
    }
    let step = points.len().div_ceil(4096);
    let mut sum = [0.0; 3];
    let mut count = 0.0;
    for point in points.iter().step_by(step) {
        let exact = ecef_m(*point);
        for axis in 0..3 {
            sum[axis] += exact[axis];
        }
        count += 1.0;
    }
    sum.map(|total| total / count)
}

/// Splits `entries` into `parts` (a power of two) spatial parts of equal size, at the median
/// of one axis after another.
fn split(mut entries: Vec<Entry>, parts: usize, axis: usize) -> Vec<Vec<Entry>> {
    if parts <= 1 || entries.len() < 2 {
        return vec![entries];
    }
    let middle = entries.len() / 2;
    entries.select_nth_unstable_by(middle, |a, b| a.geom()[axis].total_cmp(&b.geom()[axis]));
    let upper = entries.split_off(middle);
    let next = (axis + 1) % 3;
    let (mut lower, upper) = rayon::join(
        || split(entries, parts / 2, next),
        || split(upper, parts / 2, next),
    );
    lower.extend(upper);
    lower
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::chord_m;
    use crate::test_utilities::{brute_force_k_nearest, brute_force_within, point_strategy};
    use proptest::prelude::*;

    fn near(base: Point, spread_deg: f64) -> impl Strategy<Value = Point> {
        (-1.0f64..1.0, -1.0f64..1.0).prop_map(move |(dx, dy)| {
            let lat = (base.y() + dy * spread_deg).clamp(-90.0, 90.0);
            let mut lon = base.x() + dx * spread_deg;
            if lon > 180.0 {
                lon -= 360.0;
            } else if lon < -180.0 {
                lon += 360.0;
            }
            Point::new(lon, lat)
        })
    }

    /// A query point anywhere on Earth (poles and antimeridian weighted in) with incidents
    /// clustered around it, so that radius queries have hits on both sides of the boundary.
    /// A few incidents anywhere else on Earth may be mixed in: they move the index's origin
    /// away from the cluster and coarsen its single-precision coordinates to a metre or so.
    fn scene() -> impl Strategy<Value = (Point, Vec<Point>, f64)> {
        point_strategy().prop_flat_map(|center| {
            let spread = prop_oneof![Just(0.002), Just(0.02), Just(0.5), Just(5.0)];
            (Just(center), spread).prop_flat_map(|(center, spread)| {
                (
                    Just(center),
                    proptest::collection::vec(near(center, spread), 0..200),
                    proptest::collection::vec(point_strategy(), 0..4),
                    prop_oneof![1.0f64..200.0, 200.0f64..5_000.0, 5_000.0f64..600_000.0],
                )
                    .prop_map(|(center, mut points, elsewhere, radius_m)| {
                        // Elsewhere first, so that ties by input order are exercised too.
                        points.splice(0..0, elsewhere);
                        (center, points, radius_m)
                    })
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn within_equals_brute_force((center, points, radius_m) in scene()) {
            let index = PointIndex::new(&points);
            let got: Vec<usize> = index.within(center, radius_m).iter().map(|h| h.index).collect();
            let expected: Vec<usize> = brute_force_within(&points, center, radius_m);
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn indices_within_equal_brute_force((center, points, radius_m) in scene()) {
            let index = PointIndex::new(&points);
            let mut got = Vec::new();
            index.for_each_index_within(center, radius_m, |i| got.push(i));
            got.sort_unstable();
            prop_assert_eq!(got, brute_force_within(&points, center, radius_m));
        }

        #[test]
        fn split_indexes_answer_alike(
            (center, points, radius_m) in scene(),
            parts in prop_oneof![Just(2usize), Just(4), Just(8)],
            k in 1usize..4,
        ) {
            let whole = PointIndex::with_parts(&points, 1);
            let split = PointIndex::with_parts(&points, parts);
            prop_assert_eq!(split.within(center, radius_m), whole.within(center, radius_m));
            prop_assert_eq!(split.k_nearest(center, k), whole.k_nearest(center, k));
            let mut found = Vec::new();
            split.for_each_index_within(center, radius_m, |i| found.push(i));
            found.sort_unstable();
            prop_assert_eq!(found, brute_force_within(&points, center, radius_m));
        }

        #[test]
        fn k_nearest_equals_brute_force((center, points, _radius) in scene(), k in 1usize..6) {
            let index = PointIndex::new(&points);
            let got = index.k_nearest(center, k);
            let expected = brute_force_k_nearest(&points, center, k);
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn points_exactly_on_the_boundary_are_inside((center, points, _radius) in scene()) {
            // Use each point's own distance as the radius: that point must be found.
            let index = PointIndex::new(&points);
            for (i, point) in points.iter().enumerate().take(20) {
                let radius_m = geodesic_distance_m(center, *point);
                let hits = index.within(center, radius_m);
                prop_assert!(hits.iter().any(|hit| hit.index == i));
                let mut found = false;
                index.for_each_index_within(center, radius_m, |j| found |= j == i);
                prop_assert!(found);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every stored point, and every query point as the trees see it, is within its
        /// error bound of its exact position.
        #[test]
        fn single_precision_stays_within_its_bound(
            (center, points, _radius) in scene(),
            query in point_strategy(),
        ) {
            let index = PointIndex::new(&points);
            for tree in &index.trees {
                for entry in tree.iter() {
                    let exact = ecef_m(index.points[entry.data as usize]);
                    let stored = [0, 1, 2].map(|axis| index.origin[axis] + f64::from(entry.geom()[axis]));
                    prop_assert!(chord_m(exact, stored) <= index.stored_error_m);
                }
            }
            for point in [center, query] {
                let seen = index.query(point);
                let local = [0, 1, 2].map(|axis| index.origin[axis] + f64::from(seen.local[axis]));
                prop_assert!(chord_m(seen.exact, local) <= seen.error_m - index.stored_error_m);
            }
        }
    }

    #[test]
    fn antimeridian_and_poles() {
        let points = [
            Point::new(179.9995, 0.0),
            Point::new(-179.9995, 0.0),
            Point::new(0.0, 90.0),
            Point::new(120.0, 89.9995),
            Point::new(-60.0, -89.9995),
            Point::new(180.0, -89.9999),
        ];
        let index = PointIndex::new(&points);
        // The two points either side of the antimeridian are 111 m apart.
        let across = index.within(Point::new(180.0, 0.0), 60.0);
        assert_eq!(
            across.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![0, 1]
        );
        // Near the north pole every longitude is close.
        let north = index.within(Point::new(-100.0, 89.9999), 100.0);
        assert_eq!(
            north.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let south = index.within(Point::new(0.0, -90.0), 60.0);
        assert_eq!(
            south.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![4, 5]
        );
        for center in [
            Point::new(180.0, 0.0),
            Point::new(10.0, 90.0),
            Point::new(0.0, -90.0),
        ] {
            assert_eq!(
                index.nearest(center),
                brute_force_k_nearest(&points, center, 1).first().copied()
            );
        }
    }

    #[test]
    fn empty_index_and_ties() {
        let index = PointIndex::new(&[]);
        assert!(index.is_empty());
        assert_eq!(index.nearest(Point::new(0.0, 0.0)), None);
        assert!(index.within(Point::new(0.0, 0.0), 1e6).is_empty());
        // Three incidents at one spot: the first in input order is the nearest.
        let spot = Point::new(-87.62, 41.88);
        let index = PointIndex::new(&[Point::new(-87.0, 41.0), spot, spot, spot]);
        let nearest = index.nearest(Point::new(-87.621, 41.88)).unwrap();
        assert_eq!(nearest.index, 1);
        let three: Vec<usize> = index.k_nearest(spot, 3).iter().map(|h| h.index).collect();
        assert_eq!(three, vec![1, 2, 3]);
        assert_eq!(index.k_nearest(spot, 10).len(), 4);
    }
}
