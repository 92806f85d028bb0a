//! Per-school statistics: counts within the radius, the nearest incident, and breakdowns.
//!
//! When incident rows are victims grouped by an incident key, an incident counts once per
//! school however many of its victims are within the radius; `victims_within` counts rows.
//!
//! Schools are queried in parallel (rayon); each school's statistics depend only on the
//! school and the incidents, and are collected in the schools' order, so the output is the
//! same on any number of threads.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use polars::prelude::{PlHashMap, PlHashSet};
use rayon::prelude::*;

use crate::dates::Timestamp;
use crate::index::{Hit, PointIndex};
use crate::model::{BoundingBox, Incident, School};

/// What happened near one school.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchoolStats {
    /// Incidents within the radius: distinct incident keys, or rows when there are none.
    pub incidents_within: usize,
    /// Incident rows (victims) within the radius.
    pub victims_within: usize,
    /// The nearest incident row at any distance; `None` when there are no incidents at all.
    pub nearest: Option<Hit>,
    /// Incidents within the radius by calendar year (of the incident's first row within the
    /// radius, in input order), so that the years add up to `incidents_within`.
    pub by_year: BTreeMap<i32, usize>,
    /// Incidents within the radius that have no date.
    pub undated_within: usize,
    /// Incidents within the radius by category (`None`: the category cell was empty).
    pub by_category: BTreeMap<Option<Arc<str>>, usize>,
    /// The earliest date of an incident row within the radius.
    pub first_incident: Option<Timestamp>,
    /// The latest date of an incident row within the radius.
    pub last_incident: Option<Timestamp>,
}

/// Statistics for every school, and the totals across schools.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statistics {
    /// One entry per school, in the schools' order.
    pub schools: Vec<SchoolStats>,
    /// Incidents within the radius of at least one school, each counted once.
    pub distinct_incidents_within: usize,
    /// Incident rows (victims) within the radius of at least one school, each counted once.
    pub distinct_victims_within: usize,
    /// Schools with at least one incident within the radius.
    pub schools_with_incidents: usize,
    /// Distinct incidents among all the incident rows given.
    pub incidents_total: usize,
}

/// Each incident row's incident: rows sharing a key share a number; rows without a key have
/// one of their own. Returns the numbers and how many incidents there are. Numbers are given
/// in input order, so when no two rows share a key each row's number is its own index.
pub fn incident_groups(incidents: &[Incident]) -> (Vec<usize>, usize) {
    let mut by_key: PlHashMap<&str, usize> = PlHashMap::default();
    let mut next = 0;
    let groups = incidents
        .iter()
        .map(|incident| {
            let mut fresh = || {
                next += 1;
                next - 1
            };
            match &incident.key {
                Some(key) => *by_key.entry(key).or_insert_with(fresh),
                None => fresh(),
            }
        })
        .collect();
    (groups, next)
}

/// Computes every school's statistics against `incidents`, indexed by `index` (which must be
/// built from the incidents' points, in the same order).
///
/// ```
/// use geo::Point;
/// use proximity::{Incident, PointIndex, School, compute_statistics};
/// let school = School { row: 1, id: "s1".into(), name: None, point: Point::new(-87.63, 41.88), attributes: vec![] };
/// let incident = Incident { row: 1, id: "i1".into(), point: Point::new(-87.6301, 41.8801),
///     timestamp: None, category: None, key: None, attributes: vec![] };
/// let incidents = [incident];
/// let index = PointIndex::new(&[incidents[0].point]);
/// let stats = compute_statistics(&[school], &incidents, &index, 160.9344);
/// assert_eq!(stats.schools[0].incidents_within, 1);
/// assert_eq!(stats.distinct_incidents_within, 1);
/// ```
pub fn compute_statistics(
    schools: &[School],
    incidents: &[Incident],
    index: &PointIndex,
    radius_m: f64,
) -> Statistics {
    let (groups, incidents_total) = incident_groups(incidents);
    let facts = Facts::new(incidents, &groups, incidents_total, index);
    // Marks shared by the schools' parallel queries. Each is only ever set, so the result
    // is the same whatever order the schools run in. Rows are marked by position.
    let row_near_any: Vec<AtomicBool> = (0..incidents.len())
        .map(|_| AtomicBool::new(false))
        .collect();
    let group_near_any: Vec<AtomicBool> = (0..if facts.grouped { incidents_total } else { 0 })
        .map(|_| AtomicBool::new(false))
        .collect();
    // Schools are queried in an order that keeps neighbours together, so that each thread
    // finds the tree nodes and incident rows it needs already in cache; the statistics are
    // then put back in the schools' order.
    let order = hilbert_order(schools);
    let by_order: Vec<SchoolStats> = order
        .par_iter()
        .map_init(
            || Scratch::new(&facts),
            |scratch, &at| {
                let school = &schools[at as usize];
                let stats = school_stats(school, &facts, index, radius_m, scratch);
                for &position in &scratch.hits {
                    row_near_any[position].store(true, Ordering::Relaxed);
                    if facts.grouped {
                        let group = facts.rows[position].group as usize;
                        group_near_any[group].store(true, Ordering::Relaxed);
                    }
                }
                stats
            },
        )
        .collect();
    let mut per_school = vec![SchoolStats::default(); schools.len()];
    for (stats, &at) in by_order.into_iter().zip(&order) {
        per_school[at as usize] = stats;
    }
    let count = |marks: &[AtomicBool]| {
        marks
            .iter()
            .filter(|near| near.load(Ordering::Relaxed))
            .count()
    };
    let distinct_victims_within = count(&row_near_any);
    Statistics {
        schools_with_incidents: per_school.iter().filter(|s| s.incidents_within > 0).count(),
        schools: per_school,
        distinct_incidents_within: if facts.grouped {
            count(&group_near_any)
        } else {
            distinct_victims_within
        },
        distinct_victims_within,
        incidents_total,
    }
}

/// The schools' indices along a Hilbert curve over their bounding box (in degrees, on a
/// 65,536 × 65,536 grid): schools close together on the map are mostly close together in
/// this order. Ties keep input order.
fn hilbert_order(schools: &[School]) -> Vec<u32> {
    let Some(bbox) = BoundingBox::of_points(schools.iter().map(|school| school.point)) else {
        return Vec::new();
    };
    const SIDE: u32 = 1 << 16;
    let cell = |value: f64, min: f64, max: f64| {
        let share = if max > min {
            (value - min) / (max - min)
        } else {
            0.0
        };
        ((share * f64::from(SIDE)) as u32).min(SIDE - 1)
    };
    let mut keyed: Vec<(u64, u32)> = schools
        .iter()
        .enumerate()
        .map(|(at, school)| {
            let x = cell(school.point.x(), bbox.west, bbox.east);
            let y = cell(school.point.y(), bbox.south, bbox.north);
            (hilbert_distance(SIDE, x, y), small(at))
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, at)| at).collect()
}

/// The distance along the Hilbert curve that fills a `side` × `side` grid (`side` a power
/// of two) of the cell (`x`, `y`).
fn hilbert_distance(side: u32, mut x: u32, mut y: u32) -> u64 {
    let mut distance = 0u64;
    let mut s = side / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        distance += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        // Rotate the quadrant so that the curve within it starts and ends where it should.
        if ry == 0 {
            if rx == 1 {
                x = s - 1 - (x & (s - 1));
                y = s - 1 - (y & (s - 1));
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    distance
}

/// What the statistics need of each incident row, in the index's position order, so that
/// the rows near one school are close together in memory. Years and categories are numbered
/// by their place among the distinct values.
struct Facts {
    rows: Vec<Fact>,
    /// The distinct years, in order.
    years: Vec<i32>,
    /// The distinct categories, in order (`None` first).
    categories: Vec<Option<Arc<str>>>,
    /// Whether some rows share an incident key. When none do, every row is an incident of
    /// its own and no school needs to tell them apart.
    grouped: bool,
}

/// One incident row, as the statistics see it.
struct Fact {
    /// The row's index in the input.
    input: u32,
    /// Its incident (see [`incident_groups`]).
    group: u32,
    timestamp: Option<Timestamp>,
    /// Its year's number in [`Facts::years`]; [`UNDATED`] without a date.
    year: u32,
    /// Its category's number in [`Facts::categories`].
    category: u32,
}

const UNDATED: u32 = u32::MAX;

/// A row or incident number as 32 bits: a table in memory holds far fewer than 2³² rows.
fn small(number: usize) -> u32 {
    u32::try_from(number).expect("fewer than 2^32 rows")
}

impl Facts {
    fn new(
        incidents: &[Incident],
        groups: &[usize],
        incidents_total: usize,
        index: &PointIndex,
    ) -> Facts {
        let (years, categories) = incidents
            .par_iter()
            .fold(
                || (PlHashSet::default(), PlHashSet::default()),
                |(mut years, mut categories), incident| {
                    if let Some(timestamp) = incident.timestamp {
                        years.insert(timestamp.year());
                    }
                    categories.insert(incident.category.as_deref());
                    (years, categories)
                },
            )
            .reduce(
                || (PlHashSet::default(), PlHashSet::default()),
                |(mut years, mut categories), (more_years, more_categories)| {
                    years.extend(more_years);
                    categories.extend(more_categories);
                    (years, categories)
                },
            );
        let mut years: Vec<i32> = years.into_iter().collect();
        years.sort_unstable();
        let mut categories: Vec<Option<&str>> = categories.into_iter().collect();
        categories.sort_unstable();
        let number = |at: std::result::Result<usize, usize>| {
            u32::try_from(at.unwrap_or_default()).unwrap_or(u32::MAX)
        };
        let grouped = incidents_total < incidents.len();
        let rows = index
            .inputs()
            .par_iter()
            .map(|&input| {
                let incident = &incidents[input as usize];
                Fact {
                    input,
                    // Ungrouped rows are their own incidents: no need to look the number up.
                    group: if grouped {
                        small(groups[input as usize])
                    } else {
                        input
                    },
                    timestamp: incident.timestamp,
                    year: incident.timestamp.map_or(UNDATED, |timestamp| {
                        number(years.binary_search(&timestamp.year()))
                    }),
                    category: number(categories.binary_search(&incident.category.as_deref())),
                }
            })
            .collect();
        Facts {
            rows,
            years,
            categories: categories.into_iter().map(|c| c.map(Arc::from)).collect(),
            grouped,
        }
    }
}

/// Buffers reused from one school to the next on the same thread.
struct Scratch {
    /// The positions of the incident rows within the radius of the current school.
    hits: Vec<usize>,
    /// The incidents (groups) already counted for the current school.
    seen_groups: PlHashSet<u32>,
    /// Counts by year and by category number, and the numbers counted (zeroed after each
    /// school).
    by_year: Tally,
    by_category: Tally,
}

impl Scratch {
    fn new(facts: &Facts) -> Scratch {
        Scratch {
            hits: Vec::new(),
            seen_groups: PlHashSet::default(),
            by_year: Tally::new(facts.years.len()),
            by_category: Tally::new(facts.categories.len()),
        }
    }
}

/// Counts by a small number, with the numbers counted so far, so that reading and clearing
/// cost what was counted rather than every possible number.
struct Tally {
    counts: Vec<usize>,
    counted: Vec<u32>,
}

impl Tally {
    fn new(numbers: usize) -> Tally {
        Tally {
            counts: vec![0; numbers],
            counted: Vec::new(),
        }
    }

    fn add(&mut self, number: u32) {
        let count = &mut self.counts[number as usize];
        if *count == 0 {
            self.counted.push(number);
        }
        *count += 1;
    }

    /// The counts, keyed by `key(number)`; leaves the tally empty.
    fn drain<K: Ord>(&mut self, key: impl Fn(usize) -> K) -> BTreeMap<K, usize> {
        self.counted
            .drain(..)
            .map(|number| {
                let number = number as usize;
                (key(number), std::mem::take(&mut self.counts[number]))
            })
            .collect()
    }
}

/// One school's statistics; leaves the positions of its hits in `scratch.hits`.
fn school_stats(
    school: &School,
    facts: &Facts,
    index: &PointIndex,
    radius_m: f64,
    scratch: &mut Scratch,
) -> SchoolStats {
    let mut stats = SchoolStats {
        nearest: index.nearest(school.point),
        ..SchoolStats::default()
    };
    let Scratch {
        hits,
        seen_groups,
        by_year,
        by_category,
    } = scratch;
    hits.clear();
    index.for_each_position_within(school.point, radius_m, |position| hits.push(position));
    if facts.grouped {
        // Input order, so that an incident's year is that of its first row within the
        // radius on every run.
        hits.sort_unstable_by_key(|&position| facts.rows[position].input);
        seen_groups.clear();
    }
    for &position in hits.iter() {
        let fact = &facts.rows[position];
        stats.victims_within += 1;
        if let Some(timestamp) = fact.timestamp {
            stats.first_incident =
                Some(stats.first_incident.map_or(timestamp, |t| t.min(timestamp)));
            stats.last_incident = Some(stats.last_incident.map_or(timestamp, |t| t.max(timestamp)));
        }
        // A set, not a list: a school in a dense city has thousands of hits.
        if facts.grouped && !seen_groups.insert(fact.group) {
            continue;
        }
        stats.incidents_within += 1;
        match fact.year {
            UNDATED => stats.undated_within += 1,
            year => by_year.add(year),
        }
        by_category.add(fact.category);
    }
    stats.by_year = by_year.drain(|number| facts.years[number]);
    stats.by_category = by_category.drain(|number| facts.categories[number].clone());
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use compact_str::ToCompactString;
    use geo::Point;

    fn incident(row: usize, key: Option<&str>, point: Point, year: Option<i32>) -> Incident {
        Incident {
            row,
            id: row.to_compact_string(),
            point,
            timestamp: year.map(|year| Timestamp {
                datetime: chrono::NaiveDate::from_ymd_opt(year, 6, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
                has_time: false,
            }),
            category: None,
            key: key.map(Arc::from),
            attributes: Vec::new(),
        }
    }

    /// The curve visits every cell of the grid once, each step to a neighbouring cell.
    #[test]
    fn hilbert_curve_steps_to_neighbours() {
        for side in [1u32, 2, 4, 8, 64] {
            let mut cells: Vec<(u64, u32, u32)> = (0..side)
                .flat_map(|x| (0..side).map(move |y| (hilbert_distance(side, x, y), x, y)))
                .collect();
            cells.sort_unstable();
            let distances: Vec<u64> = cells.iter().map(|cell| cell.0).collect();
            let expected: Vec<u64> = (0..u64::from(side * side)).collect();
            assert_eq!(distances, expected, "side {side}");
            for pair in cells.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                assert_eq!(
                    a.1.abs_diff(b.1) + a.2.abs_diff(b.2),
                    1,
                    "side {side}: {a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn victims_of_one_incident_count_once() {
        let here = Point::new(-73.95, 40.70);
        let far = Point::new(-73.90, 40.75);
        let incidents = vec![
            incident(1, Some("A"), here, Some(2017)),
            incident(2, Some("A"), here, Some(2017)),
            incident(3, Some("B"), here, Some(2018)),
            incident(4, None, here, None),
            incident(5, None, here, Some(2018)),
            incident(6, Some("A"), far, Some(2017)),
            incident(7, Some("C"), far, Some(2017)),
        ];
        let (groups, total) = incident_groups(&incidents);
        assert_eq!(groups, vec![0, 0, 1, 2, 3, 0, 4]);
        assert_eq!(total, 5);
        let points: Vec<Point> = incidents.iter().map(|i| i.point).collect();
        let index = PointIndex::new(&points);
        let school = School {
            row: 1,
            id: "s".into(),
            name: None,
            point: here,
            attributes: Vec::new(),
        };
        let stats = compute_statistics(&[school], &incidents, &index, 100.0);
        let school = &stats.schools[0];
        assert_eq!(school.victims_within, 5);
        assert_eq!(school.incidents_within, 4);
        assert_eq!(school.by_year, BTreeMap::from([(2017, 1), (2018, 2)]));
        assert_eq!(school.undated_within, 1);
        assert_eq!(stats.distinct_victims_within, 5);
        assert_eq!(stats.distinct_incidents_within, 4);
        assert_eq!(stats.incidents_total, 5);
    }

    /// The statistics by definition: every incident row, in input order, for every school.
    fn brute_force(schools: &[School], incidents: &[Incident], radius_m: f64) -> Vec<SchoolStats> {
        let (groups, _) = incident_groups(incidents);
        schools
            .iter()
            .map(|school| {
                let mut stats = SchoolStats::default();
                let mut seen = Vec::new();
                for (i, incident) in incidents.iter().enumerate() {
                    let distance_m = crate::geodesic_distance_m(school.point, incident.point);
                    let closer = stats.nearest.is_none_or(|hit| distance_m < hit.distance_m);
                    if closer {
                        stats.nearest = Some(Hit {
                            index: i,
                            distance_m,
                        });
                    }
                    if distance_m > radius_m {
                        continue;
                    }
                    stats.victims_within += 1;
                    if let Some(t) = incident.timestamp {
                        stats.first_incident = Some(stats.first_incident.map_or(t, |f| f.min(t)));
                        stats.last_incident = Some(stats.last_incident.map_or(t, |l| l.max(t)));
                    }
                    if seen.contains(&groups[i]) {
                        continue;
                    }
                    seen.push(groups[i]);
                    stats.incidents_within += 1;
                    match incident.timestamp {
                        Some(t) => *stats.by_year.entry(t.year()).or_default() += 1,
                        None => stats.undated_within += 1,
                    }
                    *stats
                        .by_category
                        .entry(incident.category.clone())
                        .or_default() += 1;
                }
                stats
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        #[test]
        fn statistics_equal_brute_force(
            rows in proptest::collection::vec(
                (0.0f64..0.01, 0.0f64..0.01, proptest::option::of(0u8..6),
                 proptest::option::of(2010i32..2014), proptest::option::of(0u8..3)),
                0..300,
            ),
            keyed in proptest::bool::ANY,
            radius_m in 10.0f64..600.0,
        ) {
            let base = Point::new(-87.65, 41.85);
            let incidents: Vec<Incident> = rows
                .iter()
                .enumerate()
                .map(|(row, &(dx, dy, key, year, category))| {
                    let point = Point::new(base.x() + dx, base.y() + dy);
                    let key = if keyed { key.map(|k| k.to_string()) } else { None };
                    let mut incident = incident(row + 1, key.as_deref(), point, year);
                    incident.category = category.map(|c| Arc::from(format!("c{c}")));
                    incident
                })
                .collect();
            let schools: Vec<School> = (0..5)
                .map(|s| School {
                    row: s + 1,
                    id: s.to_string(),
                    name: None,
                    point: Point::new(base.x() + 0.002 * s as f64, base.y() + 0.002 * s as f64),
                    attributes: Vec::new(),
                })
                .collect();
            let points: Vec<Point> = incidents.iter().map(|i| i.point).collect();
            let index = PointIndex::new(&points);
            let got = compute_statistics(&schools, &incidents, &index, radius_m);
            proptest::prop_assert_eq!(got.schools, brute_force(&schools, &incidents, radius_m));
        }
    }
}
