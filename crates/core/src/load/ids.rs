//! Choosing each row's id: a named column, or the first column that really is an id (filled
//! and unique enough), or GeoJSON feature ids, or the row number; and finding duplicates.

use std::hash::BuildHasher;

use polars::prelude::{PlFixedStateQuality, PlHashMap, PlHashSet};
use rayon::prelude::*;

use crate::error::Result;
use crate::model::{RowNotes, RowSample};

use super::columns::{find_named, id_candidates};
use super::table::RawTable;

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
    let mut distinct: PlHashSet<std::borrow::Cow<'_, str>> =
        PlHashSet::with_capacity_and_hasher(table.n_rows, Default::default());
    let mut filled = 0usize;
    for row in 0..table.n_rows {
        if let Some(text) = table.text(column, row).filter(|t| !t.trim().is_empty()) {
            filled += 1;
            distinct.insert(text);
        }
    }
    let name = &table.columns[column];
    let empty = table.n_rows - filled;
    if filled == 0 || empty as f64 > MAX_EMPTY_SHARE * table.n_rows as f64 {
        return Err(format!(
            "{name:?} is not an id: it is empty in {empty} of {} rows",
            table.n_rows
        ));
    }
    if (distinct.len() as f64) < MIN_DISTINCT_SHARE * filled as f64 {
        return Err(format!(
            "{name:?} is not an id: it has {} distinct values in {filled} rows",
            distinct.len()
        ));
    }
    Ok(filled == table.n_rows && distinct.len() == filled)
}

/// The id of the 0-based row `row`: the cell as written, the feature id, or the row number.
/// An empty id cell gives the row number, counted in `empty_ids`.
pub(crate) fn id_of(
    table: &RawTable,
    source: IdSource,
    row: usize,
    empty_ids: &mut RowSample,
) -> String {
    match source {
        IdSource::Column(column) => match table.text(column, row) {
            Some(text) if !text.trim().is_empty() => text.into_owned(),
            _ => {
                let place = table.place(row);
                empty_ids.record(place.number, || {
                    format!(
                        "{place}: column {:?}: empty id; the row number is used",
                        table.columns[column]
                    )
                });
                (row + 1).to_string()
            }
        },
        IdSource::FeatureId => table
            .feature_ids
            .as_ref()
            .and_then(|ids| ids[row].clone())
            .unwrap_or_else(|| (row + 1).to_string()),
        IdSource::RowNumber => (row + 1).to_string(),
    }
}

/// Counts rows whose id was used by an earlier row, given (0-based row, id) pairs in order.
pub(crate) fn find_duplicate_ids<'a>(
    table: &RawTable,
    ids: impl Iterator<Item = (usize, &'a str)>,
    notes: &mut RowNotes,
) {
    let mut first_row: PlHashMap<&str, usize> =
        PlHashMap::with_capacity_and_hasher(table.n_rows, Default::default());
    for (row, id) in ids {
        match first_row.get(id) {
            None => {
                first_row.insert(id, row);
            }
            Some(&earlier) => {
                let (place, first) = (table.place(row), table.place(earlier));
                notes.duplicate_ids.record(place.number, || {
                    format!("{place}: id {id:?} was already used by {first}")
                });
            }
        }
    }
}

/// Counts rows identical, cell for cell, to an earlier row.
///
/// Rows are hashed in parallel and sorted by hash; only rows with equal hashes are compared
/// cell by cell, and each repeat is recorded against the earliest identical row, in row order.
pub(crate) fn find_duplicate_rows(table: &RawTable, notes: &mut RowNotes) {
    use std::hash::{Hash, Hasher};
    let hasher = PlFixedStateQuality::default();
    let row_hash = |row: usize| {
        let mut state = hasher.build_hasher();
        for column in 0..table.columns.len() {
            table.text(column, row).hash(&mut state);
        }
        if let Some(geometry) = &table.geometry {
            format!("{:?}", geometry[row]).hash(&mut state);
        }
        state.finish()
    };
    let same = |a: usize, b: usize| {
        (0..table.columns.len()).all(|column| table.text(column, a) == table.text(column, b))
            && table
                .geometry
                .as_ref()
                .is_none_or(|geometry| geometry[a] == geometry[b])
    };
    let mut hashed: Vec<(u64, usize)> = (0..table.n_rows)
        .into_par_iter()
        .map(|row| (row_hash(row), row))
        .collect();
    hashed.par_sort_unstable();
    // (repeating row, earliest identical row)
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    let mut originals: Vec<usize> = Vec::new();
    for group in hashed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        originals.clear();
        for &(_, row) in group {
            match originals.iter().find(|&&earlier| same(earlier, row)) {
                Some(&earlier) => repeats.push((row, earlier)),
                None => originals.push(row),
            }
        }
    }
    repeats.sort_unstable();
    for (row, earlier) in repeats {
        let (place, first) = (table.place(row), table.place(earlier));
        notes
            .duplicate_rows
            .record(place.number, || format!("{place} repeats {first} exactly"));
    }
}
