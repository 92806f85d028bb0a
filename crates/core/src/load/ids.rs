//! Choosing each row's id: a named column, or the first column that really is an id (filled
//! and unique enough), or GeoJSON feature ids, or the row number; and finding duplicates.

use std::hash::BuildHasher;

use compact_str::{CompactString, ToCompactString};

use polars::prelude::PlFixedStateQuality;
use rayon::prelude::*;

use crate::error::Result;
use crate::model::{RowNotes, RowSample};

use super::columns::{find_named, id_candidates};
use super::table::{CellKey, Column, RawTable};

/// A detected column is an id only when at most this share of its cells is empty...
const MAX_EMPTY_SHARE: f64 = 0.01;
/// ...and at least this share of its filled cells is distinct.
const MIN_DISTINCT_SHARE: f64 = 0.95;

/// Where each row's id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdSource {
    /// An id column.
    Column(usize),
    /// GeoJSON feature ids (every feature has one).
    FeatureId,
    /// The 1-based row number.
    RowNumber,
}

/// The id source, and why columns that look like ids were passed over.
pub(crate) struct IdChoice {
    pub source: IdSource,
    pub note: Option<String>,
    /// Whether every cell of the id column is filled and distinct: then no two rows can
    /// share an id, and there are no duplicates to look for.
    pub all_distinct: bool,
}

/// Chooses the id source: the named column; else the first candidate column (see
/// [`id_candidates`]) that is filled and distinct enough; else GeoJSON feature ids when every
/// feature has one; else the row number.
pub(crate) fn choose_ids(table: &RawTable, named: Option<&str>) -> Result<IdChoice> {
    if let Some(name) = named {
        return Ok(IdChoice {
            source: IdSource::Column(find_named(table, name)?),
            note: None,
            all_distinct: false,
        });
    }
    let mut passed_over = Vec::new();
    for column in id_candidates(table) {
        match id_quality(table, column) {
            Ok(all_distinct) => {
                let note = (!passed_over.is_empty()).then(|| {
                    format!(
                        "{}; {:?} is used as the id",
                        passed_over.join("; "),
                        table.columns[column]
                    )
                });
                return Ok(IdChoice {
                    source: IdSource::Column(column),
                    note,
                    all_distinct,
                });
            }
            Err(why) => passed_over.push(why),
        }
    }
    let every_feature_has_an_id = table
        .feature_ids
        .as_ref()
        .is_some_and(|ids| !ids.is_empty() && ids.iter().all(Option::is_some));
    let (source, fallback) = if every_feature_has_an_id {
        (IdSource::FeatureId, "the features' ids are used")
    } else {
        (IdSource::RowNumber, "rows are numbered instead")
    };
    let note = (!passed_over.is_empty()).then(|| format!("{}; {fallback}", passed_over.join("; ")));
    Ok(IdChoice {
        source,
        note,
        all_distinct: source == IdSource::RowNumber,
    })
}

/// `Ok` when the column is filled and distinct enough to be an id, with whether every cell
/// is filled and distinct; or else why not.
fn id_quality(table: &RawTable, column: usize) -> std::result::Result<bool, String> {
    let cells = &table.cells[column];
    let filled: Vec<CellKey<'_>> = (0..table.n_rows)
        .into_par_iter()
        .map(|row| cells.key(row))
        .filter(|key| match key {
            CellKey::Null => false,
            CellKey::Text(text) => !text.trim().is_empty(),
            CellKey::Number(_) | CellKey::Bytes(_) => true,
        })
        .collect();
    let distinct = filled.len() - repeats(&filled).len();
    let name = &table.columns[column];
    let empty = table.n_rows - filled.len();
    if filled.is_empty() || empty as f64 > MAX_EMPTY_SHARE * table.n_rows as f64 {
        return Err(format!(
            "{name:?} is not an id: it is empty in {empty} of {} rows",
            table.n_rows
        ));
    }
    if (distinct as f64) < MIN_DISTINCT_SHARE * filled.len() as f64 {
        return Err(format!(
            "{name:?} is not an id: it has {distinct} distinct values in {} rows",
            filled.len()
        ));
    }
    Ok(empty == 0 && distinct == filled.len())
}

/// Each value equal to an earlier one, as `(its index, the earliest equal value's index)`,
/// in index order.
///
/// Values are hashed in parallel and sorted by hash; only values with equal hashes are
/// compared, so the answer is exact whatever the hashes do.
pub(crate) fn repeats<T: std::hash::Hash + PartialEq + Sync>(values: &[T]) -> Vec<(usize, usize)> {
    let hasher = PlFixedStateQuality::default();
    let mut hashed: Vec<(u64, usize)> = values
        .par_iter()
        .enumerate()
        .map(|(at, value)| (hasher.hash_one(value), at))
        .collect();
    hashed.par_sort_unstable();
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut originals: Vec<usize> = Vec::new();
    for group in hashed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        originals.clear();
        for &(_, at) in group {
            match originals
                .iter()
                .find(|&&earlier| values[earlier] == values[at])
            {
                Some(&earlier) => found.push((at, earlier)),
                None => originals.push(at),
            }
        }
    }
    found.sort_unstable();
    found
}

/// The ids of the 0-based `rows`: the cell as written, the feature id, or the row number.
/// An empty id cell gives the row number, counted in `empty_ids`.
pub(crate) fn ids_of(
    table: &RawTable,
    source: IdSource,
    rows: &[usize],
    empty_ids: &mut RowSample,
) -> Vec<CompactString> {
    let row_number = |row: usize| (row + 1).to_compact_string();
    let written: Vec<Option<CompactString>> = rows
        .par_iter()
        .map(|&row| match source {
            IdSource::Column(column) => match &table.cells[column] {
                // Integers are written without a heap allocation.
                Column::Int(cells) => cells.get(row).map(|id| id.to_compact_string()),
                _ => table
                    .text(column, row)
                    .filter(|text| !text.trim().is_empty())
                    .map(|text| CompactString::from(text.as_ref())),
            },
            IdSource::FeatureId => Some(
                table
                    .feature_ids
                    .as_ref()
                    .and_then(|ids| ids[row].as_deref())
                    .map_or_else(|| row_number(row), CompactString::from),
            ),
            IdSource::RowNumber => Some(row_number(row)),
        })
        .collect();
    rows.iter()
        .zip(written)
        .map(|(&row, id)| {
            id.unwrap_or_else(|| {
                let place = table.place(row);
                if let IdSource::Column(column) = source {
                    empty_ids.record(place.number, || {
                        format!(
                            "{place}: column {:?}: empty id; the row number is used",
                            table.columns[column]
                        )
                    });
                }
                row_number(row)
            })
        })
        .collect()
}

/// Counts rows whose id was used by an earlier row, given the 0-based rows in order and
/// their ids.
pub(crate) fn find_duplicate_ids(
    table: &RawTable,
    rows: &[usize],
    ids: &[&str],
    notes: &mut RowNotes,
) {
    for (at, earlier) in repeats(ids) {
        let (place, first) = (table.place(rows[at]), table.place(rows[earlier]));
        notes.duplicate_ids.record(place.number, || {
            format!("{place}: id {:?} was already used by {first}", ids[at])
        });
    }
}

/// Counts rows identical, cell for cell, to an earlier row, recorded against the earliest
/// identical row, in row order.
pub(crate) fn find_duplicate_rows(table: &RawTable, notes: &mut RowNotes) {
    let rows: Vec<Row<'_>> = (0..table.n_rows).map(|row| Row { table, row }).collect();
    for (row, earlier) in repeats(&rows) {
        let (place, first) = (table.place(row), table.place(earlier));
        notes
            .duplicate_rows
            .record(place.number, || format!("{place} repeats {first} exactly"));
    }
}

/// A row's cells, compared and hashed as a whole.
struct Row<'a> {
    table: &'a RawTable,
    row: usize,
}

impl PartialEq for Row<'_> {
    fn eq(&self, other: &Row<'_>) -> bool {
        let (table, a, b) = (self.table, self.row, other.row);
        table.cells.iter().all(|cells| cells.key(a) == cells.key(b))
            && table
                .geometry
                .as_ref()
                .is_none_or(|geometry| geometry[a] == geometry[b])
    }
}

impl std::hash::Hash for Row<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for cells in &self.table.cells {
            cells.key(self.row).hash(state);
        }
        if let Some(geometry) = &self.table.geometry {
            format!("{:?}", geometry[self.row]).hash(state);
        }
    }
}
