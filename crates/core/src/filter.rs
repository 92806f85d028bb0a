//! Filters applied to incidents before they are indexed.

use crate::dates::DateRange;
use crate::model::Incident;

/// How many incidents a date filter removed, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateFiltered {
    /// Incidents dated outside the range.
    pub outside_range: usize,
    /// Incidents without a usable date, which a date filter cannot place inside the range.
    pub without_date: usize,
}

impl DateFiltered {
    /// Every incident removed.
    pub fn total(&self) -> usize {
        self.outside_range + self.without_date
    }
}

/// Keeps the incidents inside `range`. With an open range nothing is removed; otherwise
/// incidents without a date are removed too, and counted apart.
pub fn filter_by_date(incidents: &mut Vec<Incident>, range: &DateRange) -> DateFiltered {
    let mut filtered = DateFiltered::default();
    if !range.is_active() {
        return filtered;
    }
    incidents.retain(|incident| match &incident.timestamp {
        Some(timestamp) if range.contains(timestamp) => true,
        Some(_) => {
            filtered.outside_range += 1;
            false
        }
        None => {
            filtered.without_date += 1;
            false
        }
    });
    filtered
}
