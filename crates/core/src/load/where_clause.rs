//! `--where`: a SQL boolean expression on a file's columns, evaluated with polars SQL.
//!
//! Text cells are given a type before the expression sees them, so that comparisons mean
//! what they say: a column whose every filled cell is an integer is an integer column, and
//! so on for decimals and `true`/`false`; empty cells and null spellings (`None`, `NA`,
//! `NULL`...) are null. A column with any cell that is not a number stays text, and polars
//! refuses to compare text with a number, so `AGE <= 19` on a column holding "20s" is an
//! error (with a hint) rather than a silently wrong filter. `--numeric AGE` reads such a
//! column as numbers, with the other cells null and counted.

use polars::prelude::{
    BooleanChunked, Column as PlColumn, DataFrame, DataType, Float64Chunked, Int64Chunked,
    IntoColumn, IntoLazy, IntoSeries, NamedFrom, NewChunkedArray, PlSmallStr, Series,
    StringChunked,
};

use crate::error::{Error, Result};
use crate::model::{RowNotes, RowSample, WhereFilter, is_null_spelling};

use super::columns::{find_in, find_named, suggestions};
use super::table::{Column, RawTable};

/// Columns the expression may use besides the file's own, such as a parsed date-time;
/// a file column of the same name is replaced.
pub(crate) type ExtraColumns = Vec<PlColumn>;

/// Evaluates `expression` for the 0-based `rows` of `table`: whether each row is kept, and
/// the filter's account. Cells of `numeric` columns that are not numbers are counted in
/// `notes.not_numeric`.
pub(crate) fn evaluate_where(
    table: &RawTable,
    rows: &[usize],
    expression: &str,
    numeric: &[String],
    extra: ExtraColumns,
    notes: &mut RowNotes,
) -> Result<(Vec<bool>, WhereFilter)> {
    let error = |message: String| Error::Filter {
        path: table.source.path.clone(),
        expression: expression.to_string(),
        message,
    };
    let expr = polars::sql::sql_expr(expression).map_err(|e| {
        error(format!(
            "not a SQL expression: {}",
            first_line(&e.to_string())
        ))
    })?;
    let numeric: Vec<usize> = numeric
        .iter()
        .map(|name| find_named(table, name))
        .collect::<Result<_>>()?;
    let mut text_columns = Vec::new();
    let mut frame_columns: Vec<PlColumn> =
        vec![Series::new("__proximity_row".into(), vec![0u32; rows.len()]).into_column()];
    for root in expr.clone().meta().root_names() {
        let name = root.as_str();
        if frame_columns.iter().any(|c| c.name() == name) {
            continue;
        }
        if let Some(column) = extra.iter().find(|c| c.name().eq_ignore_ascii_case(name)) {
            frame_columns.push(column.clone().with_name(root.clone()));
            continue;
        }
        let Some(column) = find_in(&table.columns, name) else {
            let mut names: Vec<String> = table.columns.clone();
            names.extend(extra.iter().map(|c| c.name().to_string()));
            let close = suggestions(&names, name);
            let hint = if close.is_empty() {
                format!("columns are: {}", names.join(", "))
            } else {
                let quoted: Vec<String> = close.iter().map(|c| format!("{c:?}")).collect();
                format!(
                    "did you mean {}? (quote names with spaces or dots: \"Case.Number\")",
                    quoted.join(" or ")
                )
            };
            return Err(error(format!("no column {name:?}; {hint}")));
        };
        let typed = if numeric.contains(&column) {
            let (series, sample) = numbers_of(table, column, rows, root.clone());
            if !sample.is_empty() {
                notes
                    .not_numeric
                    .push((table.columns[column].clone(), sample));
            }
            series
        } else {
            let series = typed_column(table, column, rows, root.clone());
            if series.dtype() == &DataType::String {
                text_columns.push(column);
            }
            series
        };
        frame_columns.push(typed.into_column());
    }
    let frame =
        DataFrame::new(rows.len(), frame_columns).map_err(|e| error(first_line(&e.to_string())))?;
    let result = frame
        .lazy()
        .select([expr.alias("__proximity_keep")])
        .collect()
        .map_err(|e| {
            let mut message = first_line(&e.to_string());
            let mut hints = text_hints(table, &text_columns, rows);
            if message.contains("cannot compare 'date/datetime/time' to a string") {
                hints.push(
                    "write dates and times as DATE '2021-01-04' or TIMESTAMP '2021-01-04 07:00:00'"
                        .to_string(),
                );
            }
            if !hints.is_empty() {
                message.push_str(&format!("; {}", hints.join("; ")));
            }
            error(message)
        })?;
    let keep = result
        .column("__proximity_keep")
        .map_err(|e| error(first_line(&e.to_string())))?;
    if keep.dtype() != &DataType::Boolean {
        return Err(error(format!(
            "the expression gives {} values, not true or false",
            keep.dtype()
        )));
    }
    let keep = keep.bool().map_err(|e| error(e.to_string()))?;
    let broadcast = keep.len() == 1 && rows.len() != 1;
    let mut mask = Vec::with_capacity(rows.len());
    let mut filter = WhereFilter {
        expression: expression.to_string(),
        excluded: 0,
        null: 0,
    };
    for i in 0..rows.len() {
        let value = keep.get(if broadcast { 0 } else { i });
        if value != Some(true) {
            filter.excluded += 1;
            filter.null += usize::from(value.is_none());
        }
        mask.push(value == Some(true));
    }
    Ok((mask, filter))
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

/// For text columns that hold some numbers: how to read them as numbers.
fn text_hints(table: &RawTable, columns: &[usize], rows: &[usize]) -> Vec<String> {
    columns
        .iter()
        .filter_map(|&column| {
            let texts: Vec<_> = rows
                .iter()
                .filter_map(|&row| table.text(column, row))
                .filter(|text| !is_null_spelling(text))
                .collect();
            let numbers = texts.iter().filter(|t| t.trim().parse::<f64>().is_ok()).count();
            let example = texts.iter().find(|t| t.trim().parse::<f64>().is_err())?;
            let name = &table.columns[column];
            (numbers > 0).then(|| {
                format!(
                    "column {name:?} is text: {numbers} of {} filled cells are numbers, but others such as {:?} are not; --numeric {name:?} reads it as numbers, with the others as null (counted)",
                    texts.len(),
                    example.as_ref()
                )
            })
        })
        .collect()
}

/// A column read as numbers: cells that are not numbers become null and are counted.
fn numbers_of(
    table: &RawTable,
    column: usize,
    rows: &[usize],
    name: PlSmallStr,
) -> (Series, RowSample) {
    let mut sample = RowSample::default();
    let values: Float64Chunked = rows
        .iter()
        .map(|&row| {
            if let Some(number) = table.cells[column].number(row) {
                return number;
            }
            let text = table.text(column, row)?;
            if is_null_spelling(&text) {
                return None;
            }
            let value = text.trim().parse::<f64>().ok();
            if value.is_none() {
                let place = table.place(row);
                sample.record(place.number, || {
                    format!(
                        "{place}: column {:?}: not a number: {text:?}",
                        table.columns[column]
                    )
                });
            }
            value
        })
        .collect();
    (values.with_name(name).into_series(), sample)
}

/// A column with the narrowest type every filled cell fits: integer, decimal, boolean, or
/// else text as written. Empty cells and null spellings are null.
fn typed_column(table: &RawTable, column: usize, rows: &[usize], name: PlSmallStr) -> Series {
    let cells = &table.cells[column];
    match cells {
        Column::Float(values) => {
            let values: Float64Chunked = rows.iter().map(|&row| values.get(row)).collect();
            return values.with_name(name).into_series();
        }
        Column::Int(values) => {
            let values: Int64Chunked = rows.iter().map(|&row| values.get(row)).collect();
            return values.with_name(name).into_series();
        }
        Column::Bool(values) => {
            let values: BooleanChunked = rows.iter().map(|&row| values.get(row)).collect();
            return values.with_name(name).into_series();
        }
        Column::Text(_) | Column::Binary(_) | Column::Json(_) => {}
    }
    let texts: Vec<Option<std::borrow::Cow<'_, str>>> = rows
        .iter()
        .map(|&row| cells.text(row).filter(|text| !is_null_spelling(text)))
        .collect();
    let filled = || texts.iter().flatten().map(|t| t.trim());
    if filled().all(|t| t.parse::<i64>().is_ok()) {
        let values: Int64Chunked = texts
            .iter()
            .map(|t| t.as_ref().and_then(|t| t.trim().parse().ok()))
            .collect();
        return values.with_name(name).into_series();
    }
    if filled().all(|t| t.parse::<f64>().is_ok()) {
        let values: Float64Chunked = texts
            .iter()
            .map(|t| t.as_ref().and_then(|t| t.trim().parse().ok()))
            .collect();
        return values.with_name(name).into_series();
    }
    let boolean = |t: &str| match t.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    if filled().all(|t| boolean(t).is_some()) {
        let values: BooleanChunked = texts
            .iter()
            .map(|t| t.as_ref().and_then(|t| boolean(t.trim())))
            .collect();
        return values.with_name(name).into_series();
    }
    StringChunked::from_iter_options(name, texts.iter().map(|t| t.as_deref())).into_series()
}
