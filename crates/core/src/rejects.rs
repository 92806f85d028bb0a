//! Writing rejected rows: every skipped row's cells exactly as read, after its row number
//! and the reason, so that nothing is lost.

use std::io::Write;

use polars::prelude::{CsvWriter, DataFrame, IntoColumn, NamedFrom, SerWriter, Series};

use crate::error::{Error, Result};
use crate::model::Rejects;

/// The column holding each rejected row's 1-based row number.
pub const REJECTED_ROW_COLUMN: &str = "rejected_row";
/// The column holding why each row was rejected.
pub const REJECT_REASON_COLUMN: &str = "reject_reason";

impl Rejects {
    /// Writes the rejected rows as CSV: `rejected_row`, `reject_reason`, then the input's
    /// columns with each cell as read (empty cells empty). A column of the input with one of
    /// the first two names gets an `_input` suffix.
    pub fn write_csv(&self, out: impl Write) -> Result<()> {
        let invalid = |error: polars::prelude::PolarsError| Error::Invalid(error.to_string());
        let mut columns = vec![
            Series::new(
                REJECTED_ROW_COLUMN.into(),
                self.rows.iter().map(|r| r.row as u64).collect::<Vec<_>>(),
            )
            .into_column(),
            Series::new(
                REJECT_REASON_COLUMN.into(),
                self.rows
                    .iter()
                    .map(|r| r.reason.as_str())
                    .collect::<Vec<_>>(),
            )
            .into_column(),
        ];
        for (i, name) in self.columns.iter().enumerate() {
            let mut name = name.clone();
            while columns.iter().any(|c| c.name().as_str() == name) {
                name.push_str("_input");
            }
            let cells: Vec<Option<&str>> =
                self.rows.iter().map(|r| r.cells[i].as_deref()).collect();
            columns.push(Series::new(name.into(), cells).into_column());
        }
        let mut frame = DataFrame::new(self.rows.len(), columns).map_err(invalid)?;
        CsvWriter::new(out)
            .include_header(true)
            .finish(&mut frame)
            .map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RejectedRow;

    #[test]
    fn rejects_keep_every_cell() {
        let rejects = Rejects {
            columns: vec!["id".into(), "lat".into(), "reject_reason".into()],
            rows: vec![RejectedRow {
                row: 7,
                reason: "column \"lat\": not a number: \"n/a\"".into(),
                cells: vec![Some("007".into()), Some("n/a".into()), None],
            }],
        };
        let mut out = Vec::new();
        rejects.write_csv(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "rejected_row,reject_reason,id,lat,reject_reason_input\n7,\"column \"\"lat\"\": not a number: \"\"n/a\"\"\",007,n/a,\n"
        );
    }
}
