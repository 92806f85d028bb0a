//! The report model: inputs, parameters, statistics and summary, and its GeoJSON form.

use std::io::{self, Write};
use std::path::Path;

use geo::Point;
use serde_json::{Map, Value, json};

use crate::dates::DateRange;
use crate::error::{Error, Result};
use crate::filter::{DateFiltered, filter_by_date};
use crate::index::PointIndex;
use crate::load::{LoadOptions, load_incidents, load_schools};
use crate::model::{ColumnRoles, Incident, RowLog, School, Source, Table};
use crate::stats::{SchoolStats, Statistics, compute_statistics};
use crate::units::Distance;

/// The names of the statistics added to each school's properties, in output order.
pub const STATISTIC_NAMES: [&str; 7] = [
    "incidents_within",
    "nearest_m",
    "nearest_incident_id",
    "incidents_by_year",
    "incidents_by_category",
    "first_incident_date",
    "last_incident_date",
];

/// The key under which undated incidents are counted in `incidents_by_year`.
pub const UNDATED_KEY: &str = "unknown";
/// The key under which incidents with an empty category are counted.
pub const NO_CATEGORY_KEY: &str = "(missing)";

/// Everything that decides a report besides the two input files.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportConfig {
    /// The radius, as given.
    pub radius: Distance,
    /// Only incidents in this range count (`from` inclusive, `to` exclusive).
    pub dates: DateRange,
    /// Decimal places of output coordinates.
    pub precision: u32,
    /// How to read the schools file.
    pub schools: LoadOptions,
    /// How to read the incidents file.
    pub incidents: LoadOptions,
}

impl ReportConfig {
    /// A configuration with `radius`, no date filter, 6 decimals, and detected columns.
    pub fn new(radius: Distance) -> ReportConfig {
        ReportConfig {
            radius,
            dates: DateRange::default(),
            precision: 6,
            schools: LoadOptions::default(),
            incidents: LoadOptions::default(),
        }
    }
}

/// A finished report: what was read, what was skipped, and every school's statistics.
#[derive(Debug, Clone)]
pub struct Report {
    /// The parameters.
    pub config: ReportConfig,
    /// The schools, with their accounting.
    pub schools: Table<School>,
    /// The incidents that passed the filters, with the accounting of the whole file.
    pub incidents: Table<Incident>,
    /// Incidents loaded but removed by the date filter.
    pub date_filtered: DateFiltered,
    /// One entry per school, in order, and the totals.
    pub statistics: Statistics,
}

impl Report {
    /// Loads both files, applies the filters, indexes the incidents and computes every
    /// school's statistics.
    pub fn build(
        schools_path: &Path,
        incidents_path: &Path,
        config: ReportConfig,
    ) -> Result<Report> {
        if config.precision > 15 {
            return Err(Error::Invalid(format!(
                "precision {} is more than 15 decimals",
                config.precision
            )));
        }
        let schools = load_schools(schools_path, &config.schools)?;
        require_rows(&schools.source, schools.records.len(), &schools.skipped)?;
        let mut incidents = load_incidents(incidents_path, &config.incidents)?;
        require_rows(
            &incidents.source,
            incidents.records.len(),
            &incidents.skipped,
        )?;
        let date_filtered = filter_by_date(&mut incidents.records, &config.dates);
        let points: Vec<Point> = incidents
            .records
            .iter()
            .map(|incident| incident.point)
            .collect();
        let index = PointIndex::new(&points);
        let statistics = compute_statistics(
            &schools.records,
            &incidents.records,
            &index,
            config.radius.metres(),
        );
        Ok(Report {
            config,
            schools,
            incidents,
            date_filtered,
            statistics,
        })
    }

    /// The `summary` member: rows loaded and skipped, the radius, the filters and the totals.
    pub fn summary(&self) -> Value {
        let radius = &self.config.radius;
        json!({
            "schools": table_summary(&self.schools),
            "incidents": {
                "rows": self.incidents.source.rows,
                "loaded": self.incidents.records.len() + self.date_filtered.total(),
                "skipped": self.incidents.skipped.total(),
                "skipped_by_reason": log_json(&self.incidents.skipped),
                "unreadable_dates": log_json(&self.incidents.unreadable_dates),
                "excluded_by_date_filter": {
                    "outside_range": self.date_filtered.outside_range,
                    "without_date": self.date_filtered.without_date,
                },
                "used": self.incidents.records.len(),
            },
            "radius": { "given": radius.to_string(), "metres": radius.metres() },
            "filters": {
                "from": self.config.dates.from.map(|t| t.to_string()),
                "to": self.config.dates.to.map(|t| t.to_string()),
            },
            "distinct_incidents_within_radius": self.statistics.distinct_incidents_within,
            "schools_with_incidents_within_radius": self.statistics.schools_with_incidents,
        })
    }

    /// The `metadata` member: the tool, each input's identity, and every parameter.
    pub fn metadata(&self) -> Value {
        let config = &self.config;
        json!({
            "tool": { "name": "proximity", "version": env!("CARGO_PKG_VERSION") },
            "distance": "WGS84 ellipsoidal geodesic (Karney 2013), metres",
            "inputs": {
                "schools": source_json(&self.schools.source, &self.schools.roles),
                "incidents": source_json(&self.incidents.source, &self.incidents.roles),
            },
            "parameters": {
                "radius": config.radius.to_string(),
                "radius_m": config.radius.metres(),
                "from": config.dates.from.map(|t| t.to_string()),
                "to": config.dates.to.map(|t| t.to_string()),
                "precision": config.precision,
                "schools": options_json(&config.schools),
                "incidents": options_json(&config.incidents),
            },
        })
    }

    /// The school properties' keys: the school's own columns (renamed with an `_input`
    /// suffix where they would collide with a statistic), then the statistics.
    pub fn property_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .schools
            .columns
            .iter()
            .map(|column| self.output_column_name(column))
            .collect();
        names.extend(self.statistic_names().map(str::to_string));
        names
    }

    fn output_column_name(&self, column: &str) -> String {
        let mut name = column.to_string();
        while STATISTIC_NAMES.contains(&name.as_str())
            || (name != column && self.schools.columns.contains(&name))
        {
            name.push_str("_input");
        }
        name
    }

    fn statistic_names(&self) -> impl Iterator<Item = &'static str> {
        let with_categories = self.incidents.roles.category.is_some();
        STATISTIC_NAMES
            .into_iter()
            .filter(move |name| with_categories || *name != "incidents_by_category")
    }

    /// One school's properties: its columns, then its statistics.
    pub fn properties(&self, school: &School, stats: &SchoolStats) -> Map<String, Value> {
        let mut properties = Map::new();
        for (column, value) in self.schools.columns.iter().zip(&school.attributes) {
            properties.insert(self.output_column_name(column), value.clone());
        }
        let incident_id = |index: usize| Value::String(self.incidents.records[index].id.clone());
        for name in self.statistic_names() {
            let value = match name {
                "incidents_within" => json!(stats.incidents_within),
                "nearest_m" => stats
                    .nearest
                    .map_or(Value::Null, |hit| json!(round_to(hit.distance_m, 3))),
                "nearest_incident_id" => stats
                    .nearest
                    .map_or(Value::Null, |hit| incident_id(hit.index)),
                "incidents_by_year" => {
                    let mut years: Map<String, Value> = stats
                        .by_year
                        .iter()
                        .map(|(year, count)| (year.to_string(), json!(count)))
                        .collect();
                    if stats.undated_within > 0 {
                        years.insert(UNDATED_KEY.to_string(), json!(stats.undated_within));
                    }
                    Value::Object(years)
                }
                "incidents_by_category" => Value::Object(
                    stats
                        .by_category
                        .iter()
                        .map(|(category, count)| {
                            (
                                category
                                    .clone()
                                    .unwrap_or_else(|| NO_CATEGORY_KEY.to_string()),
                                json!(count),
                            )
                        })
                        .collect(),
                ),
                "first_incident_date" => stats
                    .first_incident
                    .map_or(Value::Null, |t| json!(t.to_string())),
                "last_incident_date" => stats
                    .last_incident
                    .map_or(Value::Null, |t| json!(t.to_string())),
                _ => unreachable!("every statistic has a value"),
            };
            properties.insert(name.to_string(), value);
        }
        properties
    }

    /// Writes the report as an RFC 7946 FeatureCollection: one Point feature per school, in
    /// input order, with `bbox`, `metadata` and `summary` members; one feature per line.
    /// The same report always gives the same bytes.
    pub fn write_geojson(&self, mut out: impl Write) -> io::Result<()> {
        let precision = self.config.precision;
        let positions: Vec<[f64; 2]> = self
            .schools
            .records
            .iter()
            .map(|school| {
                [
                    round_to(school.point.x(), precision),
                    round_to(school.point.y(), precision),
                ]
            })
            .collect();
        let mut head = Map::new();
        head.insert("type".into(), json!("FeatureCollection"));
        if let Some(bbox) = bounding_box(&positions) {
            head.insert("bbox".into(), json!(bbox));
        }
        head.insert("metadata".into(), self.metadata());
        head.insert("summary".into(), self.summary());
        let head = serde_json::to_vec(&Value::Object(head))?;
        // Reopen the object to append the features, one per line.
        out.write_all(&head[..head.len() - 1])?;
        out.write_all(b",\"features\":[")?;
        let schools = self
            .schools
            .records
            .iter()
            .zip(&self.statistics.schools)
            .zip(&positions);
        for (i, ((school, stats), position)) in schools.enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            let feature = json!({
                "type": "Feature",
                "id": school.id,
                "geometry": { "type": "Point", "coordinates": position },
                "properties": self.properties(school, stats),
            });
            serde_json::to_writer(&mut out, &feature)?;
        }
        out.write_all(b"\n]}\n")?;
        Ok(())
    }
}

/// Rounds to `decimals` places, giving the shortest decimal text when serialised.
pub fn round_to(value: f64, decimals: u32) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value * scale).round() / scale;
    // Avoid writing -0.
    if rounded == 0.0 { 0.0 } else { rounded }
}

fn bounding_box(positions: &[[f64; 2]]) -> Option<[f64; 4]> {
    let first = positions.first()?;
    let mut bbox = [first[0], first[1], first[0], first[1]];
    for [lon, lat] in positions {
        bbox = [
            bbox[0].min(*lon),
            bbox[1].min(*lat),
            bbox[2].max(*lon),
            bbox[3].max(*lat),
        ];
    }
    Some(bbox)
}

fn require_rows(source: &Source, usable: usize, skipped: &RowLog) -> Result<()> {
    if usable > 0 {
        return Ok(());
    }
    let why = match skipped.iter().next() {
        Some((_, entry)) => format!(
            "; all {} rows were skipped, for example {}",
            skipped.total(),
            entry.example
        ),
        None => String::new(),
    };
    Err(Error::Format {
        path: source.path.clone(),
        message: format!("no usable rows{why}"),
    })
}

fn log_json(log: &RowLog) -> Value {
    Value::Object(
        log.iter()
            .map(|(kind, entry)| {
                let value = json!({ "count": entry.count, "first_rows": entry.first_rows, "example": entry.example });
                (kind.label().to_string(), value)
            })
            .collect(),
    )
}

fn table_summary<T>(table: &Table<T>) -> Value {
    json!({
        "rows": table.source.rows,
        "loaded": table.records.len(),
        "skipped": table.skipped.total(),
        "skipped_by_reason": log_json(&table.skipped),
    })
}

fn source_json(source: &Source, roles: &ColumnRoles) -> Value {
    json!({
        "path": source.path,
        "format": source.format,
        "sha256": source.sha256,
        "rows": source.rows,
        "columns_used": {
            "lat": roles.lat, "lon": roles.lon, "id": roles.id,
            "name": roles.name, "date": roles.date, "category": roles.category,
        },
    })
}

fn options_json(options: &LoadOptions) -> Value {
    json!({
        "lat_column": options.lat_column,
        "lon_column": options.lon_column,
        "id_column": options.id_column,
        "name_column": options.name_column,
        "date_column": options.date_column,
        "category_column": options.category_column,
        "strict": options.strict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        assert_eq!(round_to(-87.123_456_789, 6), -87.123_457);
        assert_eq!(round_to(41.5, 0), 42.0);
        assert_eq!(round_to(-0.000_000_1, 6), 0.0);
        assert_eq!(round_to(160.934_449_9, 3), 160.934);
    }

    #[test]
    fn bbox_covers_every_point() {
        assert_eq!(bounding_box(&[]), None);
        let bbox = bounding_box(&[[-87.6, 41.9], [-87.7, 41.8], [-87.65, 42.0]]).unwrap();
        assert_eq!(bbox, [-87.7, 41.8, -87.6, 42.0]);
    }
}
