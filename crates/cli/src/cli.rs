//! Command-line options, as clap parses them. They are validated once, into the jobs of
//! `config.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const REPORT_EXAMPLES: &str = "\
Examples:
  # Incidents within a tenth of a mile of each school, as GeoJSON
  proximity report --schools data/schools.csv --incidents data/incidents.csv --radius 0.1mi -o report.geojson

  # Only 2021, by category
  proximity report --schools data/schools.csv --incidents data/incidents.csv --radius 500ft \\
      --from 2021-01-01 --to 2022-01-01 --category-col category -o report-2021.geojson

  # A city's export whose columns are not detected: name them
  proximity report --schools schools.csv --incidents shootings.csv --radius 160m \\
      --incidents-lat-col Y_WGS84 --incidents-lon-col X_WGS84 --date-col OCCURRED

Distances: a number with a unit: mi, ft, yd, m or km (0.1mi = 160.9344 m).
Dates: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss], YYYY/MM/DD, MM/DD/YYYY [hh:mm[:ss] [AM|PM]].
Exit status: 0 on success, 1 if the output cannot be written, 2 on bad usage or input.";

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
    /// Write a synthetic sample city (schools.csv, incidents.csv).
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
}

/// Options of `proximity report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Schools: CSV with latitude/longitude columns, or a GeoJSON FeatureCollection of Points.
    #[arg(long, value_name = "FILE")]
    pub schools: PathBuf,
    /// Incidents: CSV with latitude/longitude columns, or a GeoJSON FeatureCollection of Points.
    #[arg(long, value_name = "FILE")]
    pub incidents: PathBuf,
    /// The radius around each school, with its unit: 0.1mi, 1000ft, 500yd, 400m, 0.5km.
    #[arg(long, value_name = "DISTANCE")]
    pub radius: String,
    /// Only incidents on or after this date or date-time (inclusive).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents before this date or date-time (exclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Write the GeoJSON report here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Decimal places of the output coordinates.
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub precision: u32,
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
    /// Id column of the schools file (default: `id`, or the one column ending in _id/ID, or the row number).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub schools_id_col: Option<String>,
    /// Id column of the incidents file (default: as for schools).
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub incidents_id_col: Option<String>,
    /// School name column (default: name, school_name, short_name, ... or the first column containing "name").
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub name_col: Option<String>,
    /// Incident date or date-time column (default: date, datetime, occurred_at, ... or the first column containing "date").
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub date_col: Option<String>,
    /// Incident category column; when given, counts by category are added.
    #[arg(long, value_name = "COLUMN", help_heading = "Columns")]
    pub category_col: Option<String>,
    /// Stop with an error at the first unusable row instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
    /// Do not print the summary to stderr.
    #[arg(short, long)]
    pub quiet: bool,
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
    #[arg(
        long,
        value_name = "S,N,W,E",
        value_delimiter = ',',
        num_args = 4,
        allow_negative_numbers = true
    )]
    pub bbox: Option<Vec<f64>>,
    /// How many incident hot spots.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub hotspots: usize,
    /// The share of incident rows written with broken coordinates (empty, None, or 0,0).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.004)]
    pub messy_share: f64,
}
