//! Loading schools and incidents from CSV, Parquet or GeoJSON files.

mod columns;
mod csv;
mod dialect;
mod geojson;
mod ids;
mod incidents;
mod options;
mod outliers;
mod parquet;
mod points;
mod profile;
mod rows;
mod schools;
mod table;
mod times;
mod where_clause;

pub(crate) use columns::tokens;
pub(crate) use incidents::incidents_from;
pub use incidents::{INCIDENT_TIME_COLUMN, load_incidents};
pub use options::{AxisOrder, LoadOptions, OutlierPolicy};
pub use outliers::{MIN_LIMIT_KM, SPREAD_FACTOR};
pub use profile::ColumnProfile;
pub(crate) use profile::profile_columns;
pub(crate) use rows::load_rows;
pub use schools::load_schools;
pub(crate) use schools::name_column_of;
