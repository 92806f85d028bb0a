//! The benchmark input shared by the criterion benches: the peer harness's "medium" size,
//! 10,000 schools and 1,000,000 incidents, generated in memory.

use proximity::{CityConfig, SyntheticCity, generate_city};

/// The medium city, without broken rows.
pub fn medium_city() -> SyntheticCity {
    generate_city(&CityConfig {
        schools: 10_000,
        incidents: 1_000_000,
        seed: 2,
        messy_share: 0.0,
        ..CityConfig::default()
    })
}
