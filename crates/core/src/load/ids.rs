//! Choosing each row's id: a named column, or the first column that really is an id (filled
//! and unique enough), or GeoJSON feature ids, or the row number; and finding duplicates.

use std::hash::BuildHasher;

use compact_str::{CompactString, ToCompactString};
use geo::Point;
use polars::prelude::PlFixedStateQuality;
use rayon::prelude::*;

use crate::error::Result;
use crate::model::{RowNotes, RowSample};

use super::columns::{find_named, id_candidates};
use super::rows::LoadedRow;
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
    /// Whether no two rows can share an id, so that there are no duplicate ids to look for:
    /// every cell of the id column is filled and distinct, or rows are numbered.
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
    // Empty cells, blank text included, are one key: the empty one.
    let key = |row: usize| match cells.key(row) {
        CellKey::Text(text) if text.trim().is_empty() => CellKey::Null,
        key => key,
    };
    let empty = (0..table.n_rows)
        .into_par_iter()
        .filter(|&row| key(row) == CellKey::Null)
        .count();
    let filled = table.n_rows - empty;
    let distinct = table.n_rows - repeats_by(table.n_rows, key).len() - usize::from(empty > 0);
    let name = &table.columns[column];
    if filled == 0 || empty as f64 > MAX_EMPTY_SHARE * table.n_rows as f64 {
        return Err(format!(
            "{name:?} is not an id: it is empty in {empty} of {} rows",
            table.n_rows
        ));
    }
    if (distinct as f64) < MIN_DISTINCT_SHARE * filled as f64 {
        return Err(format!(
            "{name:?} is not an id: it has {distinct} distinct values in {filled} rows"
        ));
    }
    Ok(empty == 0 && distinct == filled)
}

/// Each value `key(i)` (for `i` below `len`) equal to an earlier one, as `(i, the earliest
/// equal value's i)`, in order of `i`.
///
/// Values are hashed in parallel and sorted by hash; only values with equal hashes are
/// compared, so the answer is exact whatever the hashes do.
pub(crate) fn repeats_by<K, F>(len: usize, key: F) -> Vec<(usize, usize)>
where
    K: std::hash::Hash + PartialEq,
    F: Fn(usize) -> K + Sync,
{
    let hasher = PlFixedStateQuality::default();
    let mut hashed: Vec<(u64, usize)> = (0..len)
        .into_par_iter()
        .map(|at| (hasher.hash_one(key(at)), at))
        .collect();
    hashed.par_sort_unstable();
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut originals: Vec<(usize, K)> = Vec::new();
    for group in hashed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        originals.clear();
        for &(_, at) in group {
            let value = key(at);
            match originals.iter().find(|(_, earlier)| *earlier == value) {
                Some(&(earlier, _)) => found.push((at, earlier)),
                None => originals.push((at, value)),
            }
        }
    }
    found.sort_unstable();
    found
}

/// The rows with a point (0-based row, point), each with its id: the cell as written, the
/// feature id, or the row number. An empty id cell gives the row number, counted in
/// `empty_ids`.
pub(crate) fn rows_with_ids(
    table: &RawTable,
    source: IdSource,
    points: &[(usize, Point)],
    empty_ids: &mut RowSample,
) -> Vec<LoadedRow> {
    let row_number = |row: usize| (row + 1).to_compact_string();
    let mut rows: Vec<LoadedRow> = points
        .par_iter()
        .map(|&(row, point)| LoadedRow {
            index: row,
            point,
            id: match source {
                IdSource::Column(column) => match &table.cells[column] {
                    // Integers are written without a heap allocation.
                    Column::Int(cells) => cells
                        .get(row)
                        .map(|id| id.to_compact_string())
                        .unwrap_or_default(),
                    _ => table
                        .text(column, row)
                        .filter(|text| !text.trim().is_empty())
                        .map(|text| CompactString::from(text.as_ref()))
                        .unwrap_or_default(),
                },
                IdSource::FeatureId => table
                    .feature_ids
                    .as_ref()
                    .and_then(|ids| ids[row].as_deref())
                    .map_or_else(|| row_number(row), CompactString::from),
                IdSource::RowNumber => row_number(row),
            },
        })
        .collect();
    // Only an empty id cell gives an empty id; those rows are numbered in row order.
    if let IdSource::Column(column) = source {
        for row in rows.iter_mut().filter(|row| row.id.is_empty()) {
            let place = table.place(row.index);
            empty_ids.record(place.number, || {
                format!(
                    "{place}: column {:?}: empty id; the row number is used",
                    table.columns[column]
                )
            });
            row.id = row_number(row.index);
        }
    }
    rows
}

/// Counts rows whose id was used by an earlier row, among `rows` (in row order).
pub(crate) fn find_duplicate_ids(table: &RawTable, rows: &[LoadedRow], notes: &mut RowNotes) {
    for (at, earlier) in repeats_by(rows.len(), |at| rows[at].id.as_str()) {
        let (place, first) = (
            table.place(rows[at].index),
            table.place(rows[earlier].index),
        );
        notes.duplicate_ids.record(place.number, || {
            format!("{place}: id {:?} was already used by {first}", rows[at].id)
        });
    }
}

/// Counts rows identical, cell for cell, to an earlier row, recorded against the earliest
/// identical row, in row order.
pub(crate) fn find_duplicate_rows(table: &RawTable, notes: &mut RowNotes) {
    for (row, earlier) in repeats_by(table.n_rows, |row| Row { table, row }) {
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
            // Hashed as compared: -0 and 0 are the same coordinate.
            match &geometry[self.row] {
                Ok(point) => [point.x(), point.y()]
                    .map(|coordinate| (coordinate + 0.0).to_bits())
                    .hash(state),
                Err(reason) => reason.to_string().hash(state),
            }
        }
    }
}
