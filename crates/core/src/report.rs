//! The report model: inputs, parameters, statistics and summary, and its GeoJSON form.

use std::io::{self, Write};
use std::path::Path;

use geo::Point;
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::accounting::{options_json, source_json, table_summary};
use crate::dates::DateRange;
use crate::error::{Error, Result};
use crate::filter::{DateFiltered, filter_by_date};
use crate::index::PointIndex;
use crate::load::tokens;
use crate::load::{AxisOrder, LoadOptions, load_incidents, load_schools};
use crate::model::{BoundingBox, Incident, School, Table};
use crate::stats::{SchoolStats, Statistics, compute_statistics};
use crate::timings::Timings;
use crate::units::Distance;

/// The names of the statistics added to each school's properties, in output order.
pub const STATISTIC_NAMES: [&str; 8] = [
    "incidents_within",
    "victims_within",
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
    /// Things that are probably mistakes but do not stop the report.
    pub warnings: Vec<String>,
    /// How long each phase of building the report took (never part of the output).
    pub timings: Timings,
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
        let mut incidents = load_incidents(incidents_path, &config.incidents)?;
        if schools.source.sha256 == incidents.source.sha256 {
            return Err(Error::Invalid(format!(
                "--schools {} and --incidents {} are the same file",
                schools.source.path, incidents.source.path
            )));
        }
        let mut warnings = check_roles(&schools, &incidents)?;
        require_rows(&schools, "schools")?;
        require_rows(&incidents, "incidents")?;
        let date_filtered = filter_by_date(&mut incidents.records, &config.dates);
        if incidents.records.is_empty() {
            return Err(Error::NothingLeft {
                path: incidents.source.path.clone(),
                message: format!(
                    "all {} incidents are outside --from/--to ({} dated outside the range, {} without a date)",
                    date_filtered.total(),
                    date_filtered.outside_range,
                    date_filtered.without_date
                ),
            });
        }
        warnings.extend(check_overlap(&schools, &incidents, &config)?);
        let mut timings = Timings::default();
        timings.append("schools", &schools.timings);
        timings.append("incidents", &incidents.timings);
        let index = timings.time("index", || {
            let points: Vec<Point> = incidents
                .records
                .iter()
                .map(|incident| incident.point)
                .collect();
            PointIndex::new(&points)
        });
        let statistics = timings.time("statistics", || {
            compute_statistics(
                &schools.records,
                &incidents.records,
                &index,
                config.radius.metres(),
            )
        });
        Ok(Report {
            config,
            schools,
            incidents,
            date_filtered,
            statistics,
            warnings,
            timings,
        })
    }

    /// Whether incident rows are victims grouped by an incident key.
    pub fn has_incident_key(&self) -> bool {
        self.incidents.roles.key.is_some()
    }

    /// The `summary` member: rows loaded and skipped, the radius, the filters and the totals.
    pub fn summary(&self) -> Value {
        let radius = &self.config.radius;
        let stats = &self.statistics;
        let mut incidents = table_summary(&self.incidents);
        incidents["excluded_by_date_filter"] = json!({
            "outside_range": self.date_filtered.outside_range,
            "without_date": self.date_filtered.without_date,
        });
        incidents["used"] = json!(self.incidents.records.len());
        let mut summary = json!({
            "schools": table_summary(&self.schools),
            "incidents": incidents,
            "radius": { "given": radius.to_string(), "metres": radius.metres() },
            "filters": {
                "from": self.config.dates.from.map(|t| t.to_string()),
                "to": self.config.dates.to.map(|t| t.to_string()),
                "where": self.config.incidents.filter,
                "schools_where": self.config.schools.filter,
            },
            "distinct_incidents_within_radius": stats.distinct_incidents_within,
            "schools_with_incidents_within_radius": stats.schools_with_incidents,
        });
        if self.has_incident_key() {
            summary["incidents"]["distinct_incidents_used"] = json!(stats.incidents_total);
            summary["distinct_victims_within_radius"] = json!(stats.distinct_victims_within);
        }
        summary["warnings"] = json!(self.warnings);
        summary
    }

    /// The `metadata` member: the tool, each input's identity, and every parameter.
    pub fn metadata(&self) -> Value {
        let config = &self.config;
        json!({
            "tool": { "name": "proximity", "version": env!("CARGO_PKG_VERSION") },
            "distance": "WGS84 ellipsoidal geodesic (Karney 2013), metres",
            "inputs": {
                "schools": source_json(&self.schools),
                "incidents": source_json(&self.incidents),
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
        let with_victims = self.has_incident_key();
        STATISTIC_NAMES.into_iter().filter(move |name| match *name {
            "incidents_by_category" => with_categories,
            "victims_within" => with_victims,
            _ => true,
        })
    }

    /// How the incident at `index` is named in the output: its incident key when rows are
    /// grouped into incidents, its id otherwise.
    pub(crate) fn incident_label(&self, index: usize) -> &str {
        let incident = &self.incidents.records[index];
        incident.key.as_deref().unwrap_or(&incident.id)
    }

    /// One school's properties: its columns, then its statistics.
    pub fn properties(&self, school: &School, stats: &SchoolStats) -> Map<String, Value> {
        let mut properties = Map::new();
        for (column, value) in self.schools.columns.iter().zip(&school.attributes) {
            properties.insert(self.output_column_name(column), value.clone());
        }
        for name in self.statistic_names() {
            let value = match name {
                "incidents_within" => json!(stats.incidents_within),
                "victims_within" => json!(stats.victims_within),
                "nearest_m" => stats
                    .nearest
                    .map_or(Value::Null, |hit| json!(round_to(hit.distance_m, 3))),
                "nearest_incident_id" => stats
                    .nearest
                    .map_or(Value::Null, |hit| json!(self.incident_label(hit.index))),
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
                                category.as_deref().unwrap_or(NO_CATEGORY_KEY).to_string(),
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
        // Features are written in parallel, a batch at a time, each batch into a buffer of
        // its own; the buffers are then written in order.
        let schools: Vec<(usize, &School, &SchoolStats, &[f64; 2])> = self
            .schools
            .records
            .iter()
            .zip(&self.statistics.schools)
            .zip(&positions)
            .enumerate()
            .map(|(i, ((school, stats), position))| (i, school, stats, position))
            .collect();
        for batch in schools.chunks(FEATURES_PER_BATCH) {
            let buffers: Vec<Vec<u8>> = batch
                .par_chunks(FEATURES_PER_BUFFER)
                .map(|chunk| {
                    let mut buffer = Vec::new();
                    for &(i, school, stats, position) in chunk {
                        buffer.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                        let feature = json!({
                            "type": "Feature",
                            "id": school.id,
                            "geometry": { "type": "Point", "coordinates": position },
                            "properties": self.properties(school, stats),
                        });
                        serde_json::to_writer(&mut buffer, &feature)?;
                    }
                    Ok(buffer)
                })
                .collect::<serde_json::Result<_>>()?;
            for buffer in buffers {
                out.write_all(&buffer)?;
            }
        }
        out.write_all(b"\n]}\n")?;
        Ok(())
    }
}

/// How many features are rendered before they are written: bounds the memory they take.
const FEATURES_PER_BATCH: usize = 16_384;
/// How many features one thread renders into one buffer.
const FEATURES_PER_BUFFER: usize = 256;

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

/// An error when no row is usable, or none is left after `--where`.
fn require_rows<T>(table: &Table<T>, what: &str) -> Result<()> {
    if !table.records.is_empty() {
        return Ok(());
    }
    let path = table.source.path.clone();
    if let Some(filter) = &table.filter
        && table.loaded() > 0
    {
        return Err(Error::NothingLeft {
            path,
            message: format!(
                "all {} {what} with a usable point were excluded by the filter {:?} ({} of them because it was null for them)",
                table.loaded(),
                filter.expression,
                filter.null
            ),
        });
    }
    let why = match table.skipped.iter().next() {
        Some((_, entry)) => format!(
            "; all {} rows were skipped, for example {}",
            table.skipped.total(),
            entry.example
        ),
        None => String::new(),
    };
    Err(Error::Format {
        path,
        message: format!("no usable rows{why}"),
    })
}

const SCHOOL_WORDS: [&str; 8] = [
    "school",
    "schools",
    "grade",
    "grades",
    "principal",
    "enrollment",
    "enrolment",
    "campus",
];
const INCIDENT_WORDS: [&str; 10] = [
    "incident", "offense", "offence", "victim", "crime", "shooting", "homicide", "arrest", "occur",
    "iucr",
];

/// The columns whose names contain one of `words`.
fn columns_with(columns: &[String], words: &[&str]) -> Vec<String> {
    columns
        .iter()
        .filter(|column| tokens(column).iter().any(|t| words.contains(&t.as_str())))
        .cloned()
        .collect()
}

/// An error when the two files look given the wrong way round; a warning when the incidents
/// look like a list of schools.
fn check_roles(schools: &Table<School>, incidents: &Table<Incident>) -> Result<Vec<String>> {
    let school_like = columns_with(&incidents.columns, &SCHOOL_WORDS);
    if school_like.is_empty() || incidents.roles.date.is_some() {
        return Ok(Vec::new());
    }
    let incident_like = columns_with(&schools.columns, &INCIDENT_WORDS);
    let described = format!(
        "{} looks like a list of schools (columns {}; no date column)",
        incidents.source.path,
        school_like.join(", ")
    );
    if !incident_like.is_empty() {
        return Err(Error::Invalid(format!(
            "--schools and --incidents look swapped: {described}, and {} has incident columns ({})",
            schools.source.path,
            incident_like.join(", ")
        )));
    }
    Ok(vec![format!(
        "{described}: is it a schools file given as --incidents?"
    )])
}

/// An error when the two files are far apart but would overlap with one file's axes
/// swapped; a warning when they are far apart anyway.
fn check_overlap(
    schools: &Table<School>,
    incidents: &Table<Incident>,
    config: &ReportConfig,
) -> Result<Vec<String>> {
    let extent = |points: Vec<Point>| BoundingBox::of_points(points);
    let school_box = extent(schools.records.iter().map(|s| s.point).collect());
    let incident_box = extent(incidents.records.iter().map(|i| i.point).collect());
    let (Some(school_box), Some(incident_box)) = (school_box, incident_box) else {
        return Ok(Vec::new());
    };
    // A degree of latitude is at least 110.5 km; a margin of the radius plus a kilometre
    // in degrees of latitude, widened for longitude, is generous.
    let margin = (config.radius.metres() + 1000.0) / 110_000.0;
    let near = |a: &BoundingBox, b: &BoundingBox| {
        let lon_margin = margin
            / a.north
                .abs()
                .max(a.south.abs())
                .min(89.0)
                .to_radians()
                .cos();
        a.south - margin <= b.north
            && b.south <= a.north + margin
            && a.west - lon_margin <= b.east
            && b.west <= a.east + lon_margin
    };
    if near(&school_box, &incident_box) {
        return Ok(Vec::new());
    }
    let swapped = |b: &BoundingBox| BoundingBox {
        south: b.west,
        north: b.east,
        west: b.south,
        east: b.north,
    };
    let checks = [
        (
            &incidents.source.path,
            "incidents",
            config.incidents.axes,
            near(&school_box, &swapped(&incident_box)),
        ),
        (
            &schools.source.path,
            "schools",
            config.schools.axes,
            near(&swapped(&school_box), &incident_box),
        ),
    ];
    for (path, which, axes, fits_swapped) in checks {
        if fits_swapped && axes == AxisOrder::Check {
            return Err(Error::Invalid(format!(
                "{path}: the {which} ({}) are nowhere near the {} ({}), but would be with latitude and longitude swapped; pass --swap-axes {which} if so, or --keep-axes {which} to keep them",
                if which == "incidents" {
                    incident_box
                } else {
                    school_box
                },
                if which == "incidents" {
                    "schools"
                } else {
                    "incidents"
                },
                if which == "incidents" {
                    school_box
                } else {
                    incident_box
                },
            )));
        }
    }
    Ok(vec![format!(
        "the schools ({school_box}) and the incidents ({incident_box}) are far apart: no incident can be within the radius of a school"
    )])
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
