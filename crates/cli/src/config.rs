//! Validated jobs, converted once from the command-line options.

use std::path::PathBuf;

use anyhow::Context;
use proximity::{
    AxisOrder, BoundingBox, CityConfig, DateRange, LoadOptions, OutlierPolicy, Rejects, Report,
    ReportConfig, TableFormat, generate_city, inspect, parse_date_option, parse_timezone,
};

use crate::cli::{Area, GenerateArgs, IncidentColumns, InspectArgs, Outliers, ReportArgs, Which};
use crate::exit_codes::ExitStatus;
use crate::output::write_output;
use crate::summary::{describe_inspection, describe_report};

/// A validated `proximity report`.
#[derive(Debug)]
pub struct ReportJob {
    schools: PathBuf,
    incidents: PathBuf,
    output: Option<PathBuf>,
    table: Option<PathBuf>,
    rejects: Option<PathBuf>,
    schools_rejects: Option<PathBuf>,
    config: ReportConfig,
    quiet: bool,
    timings: bool,
}

/// The axis order for one file, from `--swap-axes` and `--keep-axes`.
fn axes(swap: Option<Which>, keep: Option<Which>, schools: bool) -> AxisOrder {
    if swap.is_some_and(|which| which.covers(schools)) {
        AxisOrder::Swap
    } else if keep.is_some_and(|which| which.covers(schools)) {
        AxisOrder::Keep
    } else {
        AxisOrder::Check
    }
}

impl TryFrom<&Area> for LoadOptions {
    type Error = proximity::Error;

    /// The study box and the outlier policy: as given, or else drop with a box and keep
    /// without.
    fn try_from(area: &Area) -> Result<LoadOptions, proximity::Error> {
        let bbox: Option<BoundingBox> = area.bbox.as_deref().map(str::parse).transpose()?;
        let outliers = match area.outliers {
            Some(Outliers::Keep) => OutlierPolicy::Keep,
            Some(Outliers::Drop) => OutlierPolicy::Drop,
            None if bbox.is_some() => OutlierPolicy::Drop,
            None => OutlierPolicy::Keep,
        };
        Ok(LoadOptions {
            bbox,
            outliers,
            ..LoadOptions::default()
        })
    }
}

impl IncidentColumns {
    /// `options` with the incident date, time, category and key columns and the time zone
    /// set as given.
    fn apply(self, options: LoadOptions) -> Result<LoadOptions, proximity::Error> {
        Ok(LoadOptions {
            date_column: self.date_col,
            time_column: self.time_col,
            no_time_column: self.no_time_col,
            category_column: self.category_col,
            key_column: self.incident_key,
            no_key_column: self.no_incident_key,
            timezone: self.timezone.as_deref().map(parse_timezone).transpose()?,
            ..options
        })
    }
}

impl TryFrom<ReportArgs> for ReportJob {
    type Error = proximity::Error;

    fn try_from(args: ReportArgs) -> Result<ReportJob, proximity::Error> {
        let mut config = ReportConfig::new(args.radius.parse()?);
        config.dates = DateRange {
            from: args.from.as_deref().map(parse_date_option).transpose()?,
            to: args.to.as_deref().map(parse_date_option).transpose()?,
        };
        if let DateRange {
            from: Some(from),
            to: Some(to),
        } = config.dates
            && from >= to
        {
            return Err(proximity::Error::Invalid(format!(
                "--from {from} is not before --to {to}: no incident could match"
            )));
        }
        if args.precision > 15 {
            return Err(proximity::Error::Invalid(format!(
                "--precision {} is more than 15 decimals, beyond what a double holds",
                args.precision
            )));
        }
        config.precision = args.precision;
        let common = LoadOptions {
            strict: args.strict,
            ..LoadOptions::try_from(&args.area)?
        };
        config.schools = LoadOptions {
            lat_column: args.schools_lat_col.or(args.lat_col.clone()),
            lon_column: args.schools_lon_col.or(args.lon_col.clone()),
            point_column: args.schools_point_col,
            id_column: args.schools_id_col,
            name_column: args.name_col,
            axes: axes(args.swap_axes, args.keep_axes, true),
            filter: args.schools_where,
            numeric_columns: args.schools_numeric,
            keep_rejects: args.schools_rejects.is_some(),
            ..common.clone()
        };
        config.incidents = LoadOptions {
            lat_column: args.incidents_lat_col.or(args.lat_col),
            lon_column: args.incidents_lon_col.or(args.lon_col),
            point_column: args.incidents_point_col,
            id_column: args.incidents_id_col,
            axes: axes(args.swap_axes, args.keep_axes, false),
            filter: args.where_,
            numeric_columns: args.numeric,
            keep_rejects: args.rejects.is_some(),
            ..args.incident_columns.apply(common)?
        };
        Ok(ReportJob {
            schools: args.schools,
            incidents: args.incidents,
            output: args.output,
            table: args.table,
            rejects: args.rejects,
            schools_rejects: args.schools_rejects,
            config,
            quiet: args.quiet,
            timings: args.timings,
        })
    }
}

/// Writes rejected rows to `path`, if both are there.
fn write_rejects(path: &Option<PathBuf>, rejects: &Option<Rejects>) -> anyhow::Result<()> {
    if let (Some(path), Some(rejects)) = (path, rejects) {
        write_output(Some(path), |out| {
            rejects
                .write_csv(out)
                .map_err(|error| std::io::Error::other(error.to_string()))
        })?;
    }
    Ok(())
}

impl ReportJob {
    /// Builds the report, writes it and the rejected rows, and prints the summary to stderr.
    pub fn run(self) -> anyhow::Result<ExitStatus> {
        let mut report = Report::build(&self.schools, &self.incidents, self.config)?;
        let mut timings = std::mem::take(&mut report.timings);
        timings.time("write GeoJSON", || {
            write_output(self.output.as_deref(), |out| report.write_geojson(out))
        })?;
        if let Some(path) = &self.table {
            timings.time("write table", || {
                write_output(Some(path), |out| {
                    report
                        .write_table(TableFormat::from_path(path), out)
                        .map_err(|error| std::io::Error::other(error.to_string()))
                })
            })?;
        }
        write_rejects(&self.rejects, &report.incidents.rejects)?;
        write_rejects(&self.schools_rejects, &report.schools.rejects)?;
        if !self.quiet {
            eprint!("{}", describe_report(&report, self.output.as_deref()));
            if let Some(path) = &self.table {
                eprintln!("table written to {}", path.display());
            }
        }
        if self.timings {
            eprint!("timings (wall clock):\n{timings}");
        }
        // The process ends here: freeing millions of records one by one would only delay
        // the exit (by over a second at 10 million incidents); the system takes the memory
        // back at once.
        std::mem::forget(report);
        Ok(ExitStatus::Ok)
    }
}

/// A validated `proximity inspect`.
#[derive(Debug)]
pub struct InspectJob {
    file: PathBuf,
    json: bool,
    rejects: Option<PathBuf>,
    options: LoadOptions,
}

impl TryFrom<InspectArgs> for InspectJob {
    type Error = proximity::Error;

    fn try_from(args: InspectArgs) -> Result<InspectJob, proximity::Error> {
        let area = LoadOptions::try_from(&args.area)?;
        let options = LoadOptions {
            lat_column: args.lat_col,
            lon_column: args.lon_col,
            point_column: args.point_col,
            id_column: args.id_col,
            name_column: args.name_col,
            axes: if args.swap_axes {
                AxisOrder::Swap
            } else if args.keep_axes {
                AxisOrder::Keep
            } else {
                AxisOrder::Check
            },
            filter: args.where_,
            numeric_columns: args.numeric,
            strict: args.strict,
            keep_rejects: args.rejects.is_some(),
            keep_attributes: false,
            ..args.incident_columns.apply(area)?
        };
        Ok(InspectJob {
            file: args.file,
            json: args.json,
            rejects: args.rejects,
            options,
        })
    }
}

impl InspectJob {
    /// Inspects the file and prints what was found to stdout.
    pub fn run(self) -> anyhow::Result<ExitStatus> {
        let inspection = inspect(&self.file, &self.options)?;
        write_rejects(&self.rejects, &inspection.table.rejects)?;
        let text = if self.json {
            let mut json =
                serde_json::to_string_pretty(&inspection.to_json()).context("cannot write JSON")?;
            json.push('\n');
            json
        } else {
            describe_inspection(&inspection)
        };
        write_output(None, |out| out.write_all(text.as_bytes()))?;
        Ok(ExitStatus::Ok)
    }
}

/// A validated `proximity generate`.
#[derive(Debug)]
pub struct GenerateJob {
    out: PathBuf,
    city: CityConfig,
    parquet: bool,
}

impl TryFrom<GenerateArgs> for GenerateJob {
    type Error = proximity::Error;

    fn try_from(args: GenerateArgs) -> Result<GenerateJob, proximity::Error> {
        let invalid = |message: String| Err(proximity::Error::Invalid(message));
        let mut city = CityConfig {
            schools: args.schools,
            incidents: args.incidents,
            seed: args.seed,
            hotspots: args.hotspots,
            messy_share: args.messy_share,
            ..CityConfig::default()
        };
        if let Some(bbox) = args.bbox {
            let bbox: BoundingBox = bbox.parse()?;
            if bbox.west >= bbox.east {
                return invalid(format!(
                    "--bbox: a generated city cannot cross the antimeridian (west {} >= east {})",
                    bbox.west, bbox.east
                ));
            }
            city.bbox = [bbox.south, bbox.north, bbox.west, bbox.east];
        }
        if !(0.0..=1.0).contains(&args.messy_share) {
            return invalid(format!(
                "--messy-share must be between 0 and 1, got {}",
                args.messy_share
            ));
        }
        if city.schools == 0 {
            return invalid("--schools must be at least 1".to_string());
        }
        Ok(GenerateJob {
            out: args.out,
            city,
            parquet: args.parquet,
        })
    }
}

impl GenerateJob {
    /// Generates the city and writes both files.
    pub fn run(self) -> anyhow::Result<ExitStatus> {
        std::fs::create_dir_all(&self.out)
            .with_context(|| format!("{}: cannot create the folder", self.out.display()))?;
        let city = generate_city(&self.city);
        let schools = self.out.join("schools.csv");
        let incidents = self.out.join("incidents.csv");
        write_output(Some(&schools), |out| city.write_schools_csv(out))?;
        write_output(Some(&incidents), |out| city.write_incidents_csv(out))?;
        if self.parquet {
            let parquet = |name: &str| self.out.join(name);
            write_output(Some(&parquet("schools.parquet")), |out| {
                city.write_schools_parquet(out)
            })?;
            write_output(Some(&parquet("incidents.parquet")), |out| {
                city.write_incidents_parquet(out)
            })?;
        }
        eprintln!(
            "wrote {} schools to {} and {} incidents to {}",
            city.schools.len(),
            schools.display(),
            city.incidents.len(),
            incidents.display()
        );
        Ok(ExitStatus::Ok)
    }
}
