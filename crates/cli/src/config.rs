//! Validated jobs, converted once from the command-line options.

use std::path::PathBuf;

use anyhow::Context;
use proximity::{
    CityConfig, DateRange, LoadOptions, Report, ReportConfig, generate_city, parse_date_option,
};

use crate::cli::{GenerateArgs, ReportArgs};
use crate::exit_codes::ExitStatus;
use crate::output::write_output;
use crate::summary::describe_report;

/// A validated `proximity report`.
#[derive(Debug)]
pub struct ReportJob {
    schools: PathBuf,
    incidents: PathBuf,
    output: Option<PathBuf>,
    config: ReportConfig,
    quiet: bool,
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
        config.schools = LoadOptions {
            lat_column: args.schools_lat_col.or(args.lat_col.clone()),
            lon_column: args.schools_lon_col.or(args.lon_col.clone()),
            id_column: args.schools_id_col,
            name_column: args.name_col,
            strict: args.strict,
            ..LoadOptions::default()
        };
        config.incidents = LoadOptions {
            lat_column: args.incidents_lat_col.or(args.lat_col),
            lon_column: args.incidents_lon_col.or(args.lon_col),
            id_column: args.incidents_id_col,
            date_column: args.date_col,
            category_column: args.category_col,
            strict: args.strict,
            ..LoadOptions::default()
        };
        Ok(ReportJob {
            schools: args.schools,
            incidents: args.incidents,
            output: args.output,
            config,
            quiet: args.quiet,
        })
    }
}

impl ReportJob {
    /// Builds the report, writes it, and prints the summary to stderr.
    pub fn run(self) -> anyhow::Result<ExitStatus> {
        let report = Report::build(&self.schools, &self.incidents, self.config)?;
        write_output(self.output.as_deref(), |out| report.write_geojson(out))?;
        if !self.quiet {
            eprint!("{}", describe_report(&report, self.output.as_deref()));
        }
        Ok(ExitStatus::Ok)
    }
}

/// A validated `proximity generate`.
#[derive(Debug)]
pub struct GenerateJob {
    out: PathBuf,
    city: CityConfig,
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
            let [south, north, west, east] = bbox[..] else {
                return invalid("--bbox takes four numbers: south,north,west,east".to_string());
            };
            if !(-90.0..=90.0).contains(&south)
                || !(-90.0..=90.0).contains(&north)
                || south >= north
            {
                return invalid(format!(
                    "--bbox: latitudes must satisfy -90 <= south < north <= 90, got {south}, {north}"
                ));
            }
            if !(-180.0..=180.0).contains(&west)
                || !(-180.0..=180.0).contains(&east)
                || west >= east
            {
                return invalid(format!(
                    "--bbox: longitudes must satisfy -180 <= west < east <= 180, got {west}, {east}"
                ));
            }
            city.bbox = [south, north, west, east];
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
