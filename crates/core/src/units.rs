//! Lengths with units: `0.1mi`, `1000ft`, `500yd`, `400m`, `0.5km`.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Metres in one international foot (exact by definition, 1959).
pub const METRES_PER_FOOT: f64 = 0.3048;
/// Metres in one international yard: 3 feet.
pub const METRES_PER_YARD: f64 = 3.0 * METRES_PER_FOOT;
/// Metres in one international statute mile: 5,280 feet.
pub const METRES_PER_MILE: f64 = 5280.0 * METRES_PER_FOOT;
/// Metres in one kilometre.
pub const METRES_PER_KILOMETRE: f64 = 1000.0;

/// A unit of length that a distance may be given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Metres (`m`).
    Metre,
    /// Kilometres (`km`).
    Kilometre,
    /// International feet (`ft`).
    Foot,
    /// International yards (`yd`).
    Yard,
    /// International statute miles (`mi`).
    Mile,
}

impl LengthUnit {
    /// Every unit, in the order they are listed in messages.
    pub const ALL: [LengthUnit; 5] = [
        LengthUnit::Mile,
        LengthUnit::Foot,
        LengthUnit::Yard,
        LengthUnit::Metre,
        LengthUnit::Kilometre,
    ];

    /// How many metres one of this unit is.
    pub fn metres(self) -> f64 {
        match self {
            LengthUnit::Metre => 1.0,
            LengthUnit::Kilometre => METRES_PER_KILOMETRE,
            LengthUnit::Foot => METRES_PER_FOOT,
            LengthUnit::Yard => METRES_PER_YARD,
            LengthUnit::Mile => METRES_PER_MILE,
        }
    }

    /// The unit's symbol as written after a number.
    pub fn symbol(self) -> &'static str {
        match self {
            LengthUnit::Metre => "m",
            LengthUnit::Kilometre => "km",
            LengthUnit::Foot => "ft",
            LengthUnit::Yard => "yd",
            LengthUnit::Mile => "mi",
        }
    }

    fn from_symbol(symbol: &str) -> Option<LengthUnit> {
        let unit = match symbol.to_ascii_lowercase().as_str() {
            "m" | "metre" | "metres" | "meter" | "meters" => LengthUnit::Metre,
            "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => LengthUnit::Kilometre,
            "ft" | "foot" | "feet" => LengthUnit::Foot,
            "yd" | "yard" | "yards" => LengthUnit::Yard,
            "mi" | "mile" | "miles" => LengthUnit::Mile,
            _ => return None,
        };
        Some(unit)
    }
}

/// A length exactly as the user gave it (`0.1mi`), which converts to metres.
///
/// ```
/// use proximity::Distance;
/// let radius: Distance = "0.1mi".parse().unwrap();
/// assert_eq!(radius.metres(), 160.9344);
/// assert_eq!(radius.to_string(), "0.1mi");
/// assert!("0.1".parse::<Distance>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distance {
    /// The number as given.
    pub value: f64,
    /// The unit as given.
    pub unit: LengthUnit,
}

impl Distance {
    /// A distance of `value` in `unit`.
    pub fn new(value: f64, unit: LengthUnit) -> Distance {
        Distance { value, unit }
    }

    /// The distance in metres.
    pub fn metres(&self) -> f64 {
        self.value * self.unit.metres()
    }
}

impl fmt::Display for Distance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.symbol())
    }
}

fn units_list() -> String {
    let symbols: Vec<&str> = LengthUnit::ALL.iter().map(|u| u.symbol()).collect();
    symbols.join(", ")
}

impl FromStr for Distance {
    type Err = Error;

    fn from_str(input: &str) -> Result<Distance> {
        let error = |message: String| Error::Distance {
            input: input.to_string(),
            message,
        };
        let text = input.trim();
        // The unit is the trailing run of letters, so that `1e3m` reads as 1e3 metres.
        let split = text
            .char_indices()
            .rfind(|&(_, c)| !c.is_ascii_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let (number, symbol) = text.split_at(split);
        let number = number.trim();
        if symbol.is_empty() {
            return Err(error(format!(
                "a distance needs a unit, such as 0.1mi or 160m (units: {})",
                units_list()
            )));
        }
        let unit = LengthUnit::from_symbol(symbol.trim()).ok_or_else(|| {
            error(format!(
                "unknown unit {:?} (units: {})",
                symbol.trim(),
                units_list()
            ))
        })?;
        if number.is_empty() {
            return Err(error(format!(
                "a distance needs a number before the unit, such as 0.1{}",
                unit.symbol()
            )));
        }
        let value: f64 = number
            .parse()
            .map_err(|_| error(format!("{number:?} is not a number")))?;
        if !value.is_finite() || value <= 0.0 {
            return Err(error(
                "a distance must be a positive, finite number".to_string(),
            ));
        }
        let distance = Distance { value, unit };
        // A number can be finite and positive yet overflow, or round to zero, in metres.
        let metres = distance.metres();
        if !metres.is_finite() || metres <= 0.0 {
            return Err(error(format!(
                "{number} {} is {metres} m: a distance must be a positive, finite number of metres",
                unit.symbol()
            )));
        }
        Ok(distance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected_m: f64) {
        let distance: Distance = input.parse().unwrap();
        assert!(
            (distance.metres() - expected_m).abs() <= 1e-9 * expected_m,
            "{input}: {} m, expected {expected_m} m",
            distance.metres()
        );
    }

    fn check_err(input: &str, needle: &str) {
        let message = input.parse::<Distance>().unwrap_err().to_string();
        assert!(
            message.contains(needle),
            "{input}: {message:?} lacks {needle:?}"
        );
    }

    #[test]
    fn conversions() {
        check("0.1mi", 160.9344);
        check("1mi", 1609.344);
        check("1000ft", 304.8);
        check("1ft", 0.3048);
        check("500yd", 457.2);
        check("1yd", 0.9144);
        check("400m", 400.0);
        check("0.5km", 500.0);
        check("1 km", 1000.0);
        check(" 2.5 MI ", 4023.36);
        check("3 feet", 0.9144);
        check("1e3m", 1000.0);
    }

    #[test]
    fn units_are_consistent() {
        // A mile is 1,760 yards and 5,280 feet; a yard is 3 feet.
        assert_eq!(METRES_PER_MILE, 1609.344);
        assert!((METRES_PER_MILE - 1760.0 * METRES_PER_YARD).abs() < 1e-9);
        assert!((METRES_PER_YARD - 3.0 * METRES_PER_FOOT).abs() < 1e-12);
        for unit in LengthUnit::ALL {
            let parsed: Distance = format!("1{}", unit.symbol()).parse().unwrap();
            assert_eq!(parsed.unit, unit);
            assert_eq!(parsed.metres(), unit.metres());
        }
    }

    #[test]
    fn bare_numbers_and_bad_units_are_errors() {
        check_err("0.1", "needs a unit");
        check_err("0.1", "mi, ft, yd, m, km");
        check_err("160", "needs a unit");
        check_err("5 furlongs", "unknown unit \"furlongs\"");
        check_err("abcmi", "unknown unit \"abcmi\"");
        check_err("mi", "needs a number");
        check_err("1.2.3m", "is not a number");
        check_err("-1m", "positive");
        check_err("0m", "positive");
        check_err("", "needs a unit");
        // Finite as given, but not in metres.
        check_err("1.2e305miles", "finite number of metres");
        check_err("4e-324ft", "finite number of metres");
    }

    #[test]
    fn display_keeps_what_was_given() {
        let distance: Distance = "0.10mi".parse().unwrap();
        assert_eq!(distance.to_string(), "0.1mi");
        let distance: Distance = "1000 ft".parse().unwrap();
        assert_eq!(distance.to_string(), "1000ft");
    }
}
