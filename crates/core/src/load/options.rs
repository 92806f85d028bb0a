//! What the user may say about an input file's columns.

/// Options for loading a table of schools or incidents. Every column left `None` is detected
/// from the header (see the README for the names that are recognised).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The latitude column.
    pub lat_column: Option<String>,
    /// The longitude column.
    pub lon_column: Option<String>,
    /// The id column. Without one, and none detected, the id is the 1-based row number.
    pub id_column: Option<String>,
    /// The name column (schools only).
    pub name_column: Option<String>,
    /// The date or date-time column (incidents only).
    pub date_column: Option<String>,
    /// The category column (incidents only); categories are counted only when it is named.
    pub category_column: Option<String>,
    /// Turn the first unusable row into an error instead of skipping it.
    pub strict: bool,
    /// Keep every column's value on each incident (schools always keep theirs).
    pub keep_attributes: bool,
}
