//! The floor of the end-to-end benchmark: polars reading CSV (or Parquet) files and doing
//! nothing else, with its default, multi-threaded reader. `benches/end_to_end.sh` times it
//! beside `proximity report` on the same files.
//!
//! ```text
//! cargo bench --bench read_floor -- FILE...
//! cargo bench --bench read_floor -- --to-parquet IN.csv OUT.parquet
//! ```
//!
//! The second form converts a CSV file to Parquet, with the column types polars infers.

use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::{CsvReadOptions, DataFrame, ParquetReader, ParquetWriter, SerReader};

fn read_csv(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let to_parquet = args.iter().any(|arg| arg == "--to-parquet");
    // cargo passes `--bench`; everything else is a file.
    let files: Vec<PathBuf> = args
        .iter()
        .filter(|arg| !arg.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if to_parquet {
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
    for path in files {
        let start = Instant::now();
        let is_parquet = path.extension().is_some_and(|e| e == "parquet");
        let frame = if is_parquet {
            let file = std::fs::File::open(&path).expect("open the file");
            ParquetReader::new(file).finish()
        } else {
            Ok(read_csv(&path))
        }
        .unwrap_or_else(|error: polars::prelude::PolarsError| {
            panic!("{}: {error}", path.display())
        });
        println!(
            "{}: {} rows x {} columns read in {:.3} s",
            path.display(),
            frame.height(),
            frame.width(),
            start.elapsed().as_secs_f64()
        );
    }
}
