//! Per-school statistics: counts within the radius, the nearest incident, and breakdowns.
//!
//! When incident rows are victims grouped by an incident key, an incident counts once per
//! school however many of its victims are within the radius; `victims_within` counts rows.
//!
//! Schools are queried in parallel (rayon); each school's statistics depend only on the
//! school and the incidents, and are collected in the schools' order, so the output is the
//! same on any number of threads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use polars::prelude::PlHashSet;
use rayon::prelude::*;

use crate::dates::Timestamp;
use crate::index::{Hit, PointIndex};
use crate::model::{Incident, School};

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
/// one of their own. Returns the numbers and how many incidents there are.
pub fn incident_groups(incidents: &[Incident]) -> (Vec<usize>, usize) {
    let mut by_key: HashMap<&str, usize> = HashMap::new();
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
    // Marks shared by the schools' parallel queries. Each is only ever set, so the result
    // is the same whatever order the schools run in.
    let row_near_any: Vec<AtomicBool> = (0..incidents.len())
        .map(|_| AtomicBool::new(false))
        .collect();
    let group_near_any: Vec<AtomicBool> = (0..incidents_total)
        .map(|_| AtomicBool::new(false))
        .collect();
    let per_school: Vec<SchoolStats> = schools
        .par_iter()
        .map_init(Scratch::default, |scratch, school| {
            let stats = school_stats(school, incidents, &groups, index, radius_m, scratch);
            for &i in &scratch.hits {
                row_near_any[i].store(true, Ordering::Relaxed);
                group_near_any[groups[i]].store(true, Ordering::Relaxed);
            }
            stats
        })
        .collect();
    let count = |marks: &[AtomicBool]| {
        marks
            .iter()
            .filter(|near| near.load(Ordering::Relaxed))
            .count()
    };
    Statistics {
        schools_with_incidents: per_school.iter().filter(|s| s.incidents_within > 0).count(),
        schools: per_school,
        distinct_incidents_within: count(&group_near_any),
        distinct_victims_within: count(&row_near_any),
        incidents_total,
    }
}

/// Buffers reused from one school to the next on the same thread.
#[derive(Default)]
struct Scratch {
    /// The incident rows within the radius of the current school, in input order.
    hits: Vec<usize>,
    /// The incidents (groups) already counted for the current school.
    seen_groups: PlHashSet<usize>,
}

/// One school's statistics; leaves its hits in `scratch.hits`.
fn school_stats(
    school: &School,
    incidents: &[Incident],
    groups: &[usize],
    index: &PointIndex,
    radius_m: f64,
    scratch: &mut Scratch,
) -> SchoolStats {
    let mut stats = SchoolStats {
        nearest: index.nearest(school.point),
        ..SchoolStats::default()
    };
    let Scratch { hits, seen_groups } = scratch;
    hits.clear();
    index.for_each_index_within(school.point, radius_m, |i| hits.push(i));
    // Input order, so that "first" means the same on every run.
    hits.sort_unstable();
    seen_groups.clear();
    for &i in hits.iter() {
        let incident = &incidents[i];
        stats.victims_within += 1;
        if let Some(timestamp) = incident.timestamp {
            stats.first_incident =
                Some(stats.first_incident.map_or(timestamp, |t| t.min(timestamp)));
            stats.last_incident = Some(stats.last_incident.map_or(timestamp, |t| t.max(timestamp)));
        }
        // A set, not a list: a school in a dense city has thousands of hits.
        if !seen_groups.insert(groups[i]) {
            continue;
        }
        stats.incidents_within += 1;
        match incident.timestamp {
            Some(timestamp) => *stats.by_year.entry(timestamp.year()).or_default() += 1,
            None => stats.undated_within += 1,
        }
        *stats
            .by_category
            .entry(incident.category.clone())
            .or_default() += 1;
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Point;

    fn incident(row: usize, key: Option<&str>, point: Point, year: Option<i32>) -> Incident {
        Incident {
            row,
            id: row.to_string(),
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
}
