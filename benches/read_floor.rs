//! The floors of the end-to-end benchmark: polars reading CSV (or Parquet) files and doing
//! nothing else, with its default, multi-threaded reader; and, with `--index`, reading them
//! and bulk-loading the R-tree over the last file's points (the incidents), the least that
//! any tool built on the R-tree must do. `benches/end_to_end.sh` times both beside
//! `proximity report` on the same files.
//!
//! ```text
//! cargo bench --bench read_floor -- FILE...
//! cargo bench --bench read_floor -- --index SCHOOLS INCIDENTS
//! cargo bench --bench read_floor -- --to-parquet IN.csv OUT.parquet
//! ```
//!
//! The last form converts a CSV file to Parquet, with the column types polars infers.

use std::path::{Path, PathBuf};
use std::time::Instant;

use geo::Point;
use polars::prelude::{
    CsvReadOptions, DataFrame, DataType, ParquetReader, ParquetWriter, SerReader,
};
use proximity::PointIndex;

fn read_csv(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn read(path: &Path) -> DataFrame {
    if path.extension().is_some_and(|e| e == "parquet") {
        let file = std::fs::File::open(path).expect("open the file");
        ParquetReader::new(file)
            .finish()
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    } else {
        read_csv(path)
    }
}

/// The points of a frame's `lat` and `lon` columns; rows where either is null are left out.
fn points(frame: &DataFrame) -> Vec<Point> {
    let column = |name: &str| {
        frame
            .column(name)
            .and_then(|column| column.cast(&DataType::Float64))
            .unwrap_or_else(|error| panic!("column {name}: {error}"))
    };
    let (lat, lon) = (column("lat"), column("lon"));
    let (lat, lon) = (lat.f64().expect("f64"), lon.f64().expect("f64"));
    lat.iter()
        .zip(lon.iter())
        .filter_map(|(lat, lon)| Some(Point::new(lon?, lat?)))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|arg| arg == name);
    // cargo passes `--bench`; everything else is a file.
    let files: Vec<PathBuf> = args
        .iter()
        .filter(|arg| !arg.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if flag("--to-parquet") {
        let [input, output] = &files[..] else {
            panic!("--to-parquet takes IN.csv OUT.parquet");
        };
        let mut frame = read_csv(input);
        let file = std::fs::File::create(output).expect("create the Parquet file");
        ParquetWriter::new(file)
            .finish(&mut frame)
            .expect("write the Parquet file");
        return;
    }
    let start = Instant::now();
    let mut last = None;
    for path in &files {
        let frame = read(path);
        println!(
            "{}: {} rows x {} columns read at {:.3} s",
            path.display(),
            frame.height(),
            frame.width(),
            start.elapsed().as_secs_f64()
        );
        last = Some(frame);
    }
    if flag("--index")
        && let Some(frame) = last
    {
        let points = points(&frame);
        drop(frame);
        let index = PointIndex::new(&points);
        println!(
            "R-tree over {} points built at {:.3} s",
            points.len(),
            start.elapsed().as_secs_f64()
        );
        // Left for the process's exit to free, as `proximity report` leaves its report.
        std::mem::forget(std::hint::black_box(index));
    }
}
