//! Command-line options, as clap parses them. They are validated once, into the jobs of
//! `config.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const REPORT_EXAMPLES: &str = "\
Examples:
  # Incidents within a tenth of a mile of each school, as GeoJSON
  proximity report --schools data/schools.csv --incidents data/incidents.csv --radius 0.1mi -o report.geojson

  # Only 2021, by category
  proximity report --schools data/schools.csv --incidents data/incidents.csv --radius 500ft \\
      --from 2021-01-01 --to 2022-01-01 --category-col category -o report-2021.geojson

  # Children and teens shot near high schools, on weekdays from 7 a.m. to 5 p.m.
  proximity report --schools School_Locations_SY1718.csv --incidents shootings.csv --radius 0.1mi \\
      --schools-where \"Grade_Cat = 'HS'\" --numeric AGE \\
      --where \"AGE <= 19 AND EXTRACT(ISODOW FROM incident_time) <= 5 AND EXTRACT(HOUR FROM incident_time) BETWEEN 7 AND 16\"

  # A city's export whose columns are not detected: name them
  proximity report --schools schools.csv --incidents shootings.csv --radius 160m \\
      --incidents-lat-col Y_WGS84 --incidents-lon-col X_WGS84 --date-col OCCURRED

Distances: a number with a unit: mi, ft, yd, m or km (0.1mi = 160.9344 m).
Dates: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss], YYYY/MM/DD, MM/DD/YYYY [hh:mm[:ss] [AM|PM]].
Exit status: 0 on success, 1 if the output cannot be written, 2 on bad usage or input.";

const INSPECT_EXAMPLES: &str = "\
Examples:
  # What is in this export, and how would it be read?
  proximity inspect ../shared/data/nyc/NYPD_Shooting_Incident_Data__Historic_.csv

  # The same as JSON, with the rejected rows written out
  proximity inspect shootings.csv --json --rejects shootings.rejects.csv

Exit status: 0 on success, 2 on bad usage or input.";

const GENERATE_EXAMPLES: &str = "\
Examples:
  # Regenerate the sample city in data/ (byte-identical to the committed files)
  proximity generate --out data

  # A benchmark-sized city: 10,000 schools and 1,000,000 incidents, no broken rows
  proximity generate --out /tmp/medium --schools 10000 --incidents 1000000 --seed 2 --messy-share 0";

/// What happened near each school? Per-school proximity reports with WGS84 geodesic distances.
#[derive(Debug, Parser)]
#[command(name = "proximity", version, about, propagate_version = true)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count incidents near each school and write a GeoJSON report.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(Box<ReportArgs>),
    /// Show how a file would be read: dialect, columns, points, skipped rows, dates, extent.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(Box<InspectArgs>),
    /// Write a synthetic sample city (schools.csv, incidents.csv).
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
}

/// Which input files an option applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// The schools file.
    Schools,
    /// The incidents file.
    Incidents,
    /// Both files.
    Both,
}

impl Which {
    /// Whether the option applies to the schools (`true`) or incidents (`false`) file.
    pub fn covers(self, schools: bool) -> bool {
        match self {
            Which::Both => true,
            Which::Schools => schools,
            Which::Incidents => !schools,
        }
    }
}

/// What to do with points far from the rest of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Outliers {
    /// Keep them, and list them in the summary.
    Keep,
    /// Drop them, counted as skipped rows.
    Drop,
}

/// Options of `proximity report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Schools: CSV, Parquet, or a GeoJSON FeatureCollection of Points.
    #[arg(long, value_name = "FILE")]
    pub schools: PathBuf,
    /// Incidents: CSV, Parquet, or a GeoJSON FeatureCollection of Points.
    #[arg(long, value_name = "FILE")]
    pub incidents: PathBuf,
    /// The radius around each school, with its unit: 0.1mi, 1000ft, 500yd, 400m, 0.5km.
    #[arg(long, value_name = "DISTANCE")]
    pub radius: String,
    /// Write the GeoJSON report here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the statistics as a table, one row per school: Parquet for a .parquet
    /// name, CSV otherwise (atomically).
    #[arg(long, value_name = "FILE")]
    pub table: Option<PathBuf>,
    /// Decimal places of the output coordinates.
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub precision: u32,
    /// Write the incident rows that could not be used, unchanged, with a reason column (CSV).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Write the school rows that could not be used, unchanged, with a reason column (CSV).
    #[arg(long, value_name = "FILE")]
    pub schools_rejects: Option<PathBuf>,
    /// Stop with an error at the first unusable row instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
    /// Do not print the summary to stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print how long each phase took (reading, indexing, querying, writing) to stderr.
    #[arg(long)]
    pub timings: bool,

    /// Only incidents on or after this date or date-time (inclusive).
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub from: Option<String>,
    /// Only incidents before this date or date-time (exclusive).
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub to: Option<String>,
    /// Only incidents for which this SQL expression on their columns is true (polars SQL),
    /// e.g. "AGE <= 19 AND IS_FATAL = 1". The parsed date-time is the column incident_time.
    #[arg(long = "where", value_name = "SQL", help_heading = "Filters")]
    pub where_: Option<String>,
    /// Only schools for which this SQL expression on their columns is true, e.g. "Grade_Cat = 'HS'".
    #[arg(long, value_name = "SQL", help_heading = "Filters")]
    pub schools_where: Option<String>,
    /// Read this incident column as numbers in --where; cells that are not numbers ("20s",
    /// "Unk") become null and are counted. Repeatable.
    #[arg(long, value_name = "COLUMN", help_heading = "Filters")]
    pub numeric: Vec<String>,
    /// Read this school column as numbers in --schools-where. Repeatable.
    #[arg(long, value_name = "COLUMN", help_heading = "Filters")]
    pub schools_numeric: Vec<String>,

    /// Latitude column of both files (detected when not given).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub lat_col: Option<String>,
    /// Longitude column of both files (detected when not given).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub lon_col: Option<String>,
    /// Latitude column of the schools file (overrides --lat-col).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub schools_lat_col: Option<String>,
    /// Longitude column of the schools file (overrides --lon-col).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub schools_lon_col: Option<String>,
    /// Latitude column of the incidents file (overrides --lat-col).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incidents_lat_col: Option<String>,
    /// Longitude column of the incidents file (overrides --lon-col).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incidents_lon_col: Option<String>,
    /// A column of the schools file holding whole points: WKT, WKB, or "(lat, lon)" text.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub schools_point_col: Option<String>,
    /// A column of the incidents file holding whole points: WKT, WKB, or "(lat, lon)" text.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incidents_point_col: Option<String>,
    /// Id column of the schools file (default: `id`, or a column ending in _id/ID that is
    /// filled and unique, or the row number).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub schools_id_col: Option<String>,
    /// Id column of the incidents file (default: as for schools).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incidents_id_col: Option<String>,
    /// School name column (default: name, school_name, short_name, ... or the first column containing "name").
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub name_col: Option<String>,
    /// How incident dates, times, categories and keys are read.
    #[command(flatten)]
    pub incident_columns: IncidentColumns,
    /// Read latitude and longitude the other way round in these files.
    #[arg(long, value_name = "WHICH", help_heading = "Reading")]
    pub swap_axes: Option<Which>,
    /// Keep latitude and longitude as named in these files, even if they look swapped.
    #[arg(
        long,
        value_name = "WHICH",
        conflicts_with = "swap_axes",
        help_heading = "Reading"
    )]
    pub keep_axes: Option<Which>,
    /// Where the points should be.
    #[command(flatten)]
    pub area: Area,
}

/// Options of `proximity inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The file: CSV, Parquet, or a GeoJSON FeatureCollection of Points.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the rows that could not be used, unchanged, with a reason column (CSV).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Stop with an error at the first unusable row.
    #[arg(long)]
    pub strict: bool,
    /// Only rows for which this SQL expression on their columns is true.
    #[arg(long = "where", value_name = "SQL")]
    pub where_: Option<String>,
    /// Read this column as numbers in --where. Repeatable.
    #[arg(long, value_name = "COLUMN")]
    pub numeric: Vec<String>,
    /// Latitude column.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub lat_col: Option<String>,
    /// Longitude column.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub lon_col: Option<String>,
    /// A column holding whole points: WKT, WKB, or "(lat, lon)" text.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub point_col: Option<String>,
    /// Id column.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub id_col: Option<String>,
    /// Name column.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub name_col: Option<String>,
    /// How dates, times, categories and incident keys are read.
    #[command(flatten)]
    pub incident_columns: IncidentColumns,
    /// Read latitude and longitude the other way round.
    #[arg(long, help_heading = "Reading")]
    pub swap_axes: bool,
    /// Keep latitude and longitude as named, even if they look swapped.
    #[arg(long, conflicts_with = "swap_axes", help_heading = "Reading")]
    pub keep_axes: bool,
    /// Where the points should be.
    #[command(flatten)]
    pub area: Area,
}

/// Options on how incident dates, times, categories and keys are read, shared by
/// `report` and `inspect`.
#[derive(Debug, Args)]
pub struct IncidentColumns {
    /// Incident date or date-time column (default: date, datetime, occurred_at, ... or the first column containing "date").
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub date_col: Option<String>,
    /// Incident time-of-day column, combined with a date-only column (default: the date
    /// column's name with "time" for "date", e.g. OCCUR_TIME, or `time`).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub time_col: Option<String>,
    /// Do not combine the dates with a time-of-day column.
    #[arg(long, conflicts_with = "time_col", help_heading = "Columns")]
    pub no_time_col: bool,
    /// Incident category column; when given, counts by category are added.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub category_col: Option<String>,
    /// Incident key column: rows sharing a key are victims of one incident, counted once
    /// (default: INCIDENT_KEY, CASE_NUMBER, ... when present).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incident_key: Option<String>,
    /// Count every row as an incident, even when an incident key column is present.
    #[arg(long, conflicts_with = "incident_key", help_heading = "Columns")]
    pub no_incident_key: bool,
    /// The time zone of the incidents (IANA, e.g. America/Chicago): date-times written with
    /// a UTC offset are converted to it. Others are taken as local already.
    #[arg(long, value_name = "ZONE", help_heading = "Reading")]
    pub timezone: Option<String>,
}

/// Options on where the points of a file should be, shared by `report` and `inspect`.
#[derive(Debug, Args)]
pub struct Area {
    /// Points far from the rest of their file (or outside --bbox): keep or drop [default:
    /// keep, or drop with --bbox].
    #[arg(long, value_name = "WHAT", help_heading = "Reading")]
    pub outliers: Option<Outliers>,
    /// The study area, south,north,west,east in degrees: points outside it are the
    /// outliers, instead of those far from the rest.
    #[arg(
        long,
        value_name = "S,N,W,E",
        allow_hyphen_values = true,
        help_heading = "Reading"
    )]
    pub bbox: Option<String>,
}

/// Options of `proximity generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The folder to write schools.csv and incidents.csv into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub out: PathBuf,
    /// How many schools.
    #[arg(long, value_name = "N", default_value_t = 400)]
    pub schools: usize,
    /// How many incident rows.
    #[arg(long, value_name = "N", default_value_t = 40_000)]
    pub incidents: usize,
    /// The random seed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// The city's box: south,north,west,east in degrees.
    #[arg(long, value_name = "S,N,W,E", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// How many incident hot spots.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub hotspots: usize,
    /// The share of incident rows written with broken coordinates (empty, None, or 0,0).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.004)]
    pub messy_share: f64,
    /// Also write schools.parquet and incidents.parquet, with the same columns and values.
    #[arg(long)]
    pub parquet: bool,
}
