//! Loading schools and incidents from CSV or GeoJSON files.

mod columns;
mod incidents;
mod options;
mod rows;
mod schools;
mod table;

pub use incidents::load_incidents;
pub use options::LoadOptions;
pub use schools::load_schools;
