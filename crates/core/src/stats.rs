//! Per-school statistics: counts within the radius, the nearest incident, and breakdowns.

use std::collections::BTreeMap;

use crate::dates::Timestamp;
use crate::index::{Hit, PointIndex};
use crate::model::{Incident, School};

/// What happened near one school.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchoolStats {
    /// Incidents within the radius.
    pub incidents_within: usize,
    /// The nearest incident at any distance; `None` when there are no incidents at all.
    pub nearest: Option<Hit>,
    /// Incidents within the radius by calendar year.
    pub by_year: BTreeMap<i32, usize>,
    /// Incidents within the radius that have no date (so the years add up to the count).
    pub undated_within: usize,
    /// Incidents within the radius by category (`None`: the category cell was empty).
    pub by_category: BTreeMap<Option<String>, usize>,
    /// The earliest date of an incident within the radius.
    pub first_incident: Option<Timestamp>,
    /// The latest date of an incident within the radius.
    pub last_incident: Option<Timestamp>,
}

/// Statistics for every school, and the totals across schools.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statistics {
    /// One entry per school, in the schools' order.
    pub schools: Vec<SchoolStats>,
    /// Incidents within the radius of at least one school, each counted once.
    pub distinct_incidents_within: usize,
    /// Schools with at least one incident within the radius.
    pub schools_with_incidents: usize,
}

/// Computes every school's statistics against `incidents`, indexed by `index` (which must be
/// built from the incidents' points, in the same order).
///
/// ```
/// use geo::Point;
/// use proximity::{Incident, PointIndex, School, compute_statistics};
/// let school = School { row: 1, id: "s1".into(), name: None, point: Point::new(-87.63, 41.88), attributes: vec![] };
/// let incident = Incident { row: 1, id: "i1".into(), point: Point::new(-87.6301, 41.8801),
///     timestamp: None, category: None, attributes: vec![] };
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
    let mut near_any_school = vec![false; incidents.len()];
    let mut statistics = Statistics {
        schools: Vec::with_capacity(schools.len()),
        ..Statistics::default()
    };
    for school in schools {
        let mut stats = SchoolStats {
            nearest: index.nearest(school.point),
            ..SchoolStats::default()
        };
        index.for_each_within(school.point, radius_m, |hit| {
            let incident = &incidents[hit.index];
            near_any_school[hit.index] = true;
            stats.incidents_within += 1;
            match incident.timestamp {
                Some(timestamp) => {
                    *stats.by_year.entry(timestamp.year()).or_default() += 1;
                    stats.first_incident =
                        Some(stats.first_incident.map_or(timestamp, |t| t.min(timestamp)));
                    stats.last_incident =
                        Some(stats.last_incident.map_or(timestamp, |t| t.max(timestamp)));
                }
                None => stats.undated_within += 1,
            }
            *stats
                .by_category
                .entry(incident.category.clone())
                .or_default() += 1;
        });
        if stats.incidents_within > 0 {
            statistics.schools_with_incidents += 1;
        }
        statistics.schools.push(stats);
    }
    statistics.distinct_incidents_within = near_any_school.iter().filter(|&&near| near).count();
    statistics
}
