//! Where a row's point can come from: latitude/longitude (or Y/X) columns, a WKT `POINT`, a
//! "(lat, lon)" location string (possibly ending a multi-line address), or WKB/EWKB (hex text
//! or Parquet binary); and the checks every point passes.

use geo::Point;
use rayon::prelude::*;

use crate::model::{SkipReason, is_null_spelling};

use super::columns::tokens;
use super::table::{Column, RawTable};

/// How many non-empty cells are sampled to decide what a text column holds.
const SAMPLE: usize = 50;

/// The southernmost and northernmost latitudes where people live and go to school: nothing
/// lies south of 60°S (Antarctica), and Alert, Nunavut, is at 82.5°N. Used only to notice
/// swapped columns.
const INHABITED_LATITUDES: std::ops::RangeInclusive<f64> = -60.0..=84.0;

/// One way of reading a row's point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PointSource {
    /// Latitude and longitude columns.
    Columns { lat: usize, lon: usize },
    /// A WKT `POINT (lon lat)` column.
    Wkt(usize),
    /// A column whose text ends in "(lat, lon)".
    LocationText(usize),
    /// A WKB or EWKB point column: hex text, or binary in Parquet.
    Wkb(usize),
    /// GeoJSON geometry.
    Geometry,
}

impl PointSource {
    /// A short description, such as `columns LAT, LNG` or `WKT column the_geom`.
    pub fn describe(&self, table: &RawTable) -> String {
        let name = |column: usize| table.columns[column].clone();
        match *self {
            PointSource::Columns { lat, lon } => format!("columns {}, {}", name(lat), name(lon)),
            PointSource::Wkt(column) => format!("WKT column {}", name(column)),
            PointSource::LocationText(column) => format!("\"(lat, lon)\" column {}", name(column)),
            PointSource::Wkb(column) => format!("WKB column {}", name(column)),
            PointSource::Geometry => "GeoJSON geometry".to_string(),
        }
    }

    /// The row's point as written (x = longitude, y = latitude) before any check, or why
    /// there is none.
    pub fn raw_point(&self, table: &RawTable, row: usize) -> Result<Point, SkipReason> {
        match *self {
            PointSource::Columns { lat, lon } => {
                let lat = number_cell(table, lat, row)?;
                let lon = number_cell(table, lon, row)?;
                Ok(Point::new(lon, lat))
            }
            PointSource::Wkt(column) => text_point(table, column, row, parse_wkt_point),
            PointSource::LocationText(column) => {
                text_point(table, column, row, parse_location_text)
            }
            PointSource::Wkb(column) => match table.cells[column].bytes(row) {
                Some(bytes) => parse_wkb(bytes).ok_or_else(|| SkipReason::UnreadablePoint {
                    column: table.columns[column].clone(),
                    value: super::table::hex(bytes),
                }),
                None => text_point(table, column, row, parse_wkb_hex),
            },
            PointSource::Geometry => match &table.geometry {
                Some(geometry) => geometry[row].clone(),
                None => Err(SkipReason::MissingGeometry),
            },
        }
    }

    /// The row's point, checked: within range and not (0, 0). With `swap`, the two axes are
    /// read the other way round first.
    pub fn point(&self, table: &RawTable, row: usize, swap: bool) -> Result<Point, SkipReason> {
        self.check(table, self.raw_point(table, row)?, swap)
    }

    /// A raw point (see [`raw_point`](Self::raw_point)), checked as [`point`](Self::point)
    /// checks it.
    pub fn check(&self, table: &RawTable, raw: Point, swap: bool) -> Result<Point, SkipReason> {
        let point = if swap {
            Point::new(raw.y(), raw.x())
        } else {
            raw
        };
        if !(-90.0..=90.0).contains(&point.y()) {
            return Err(SkipReason::OutOfRange {
                column: self.axis_names(table, swap).0,
                value: point.y().to_string(),
            });
        }
        if !(-180.0..=180.0).contains(&point.x()) {
            return Err(SkipReason::OutOfRange {
                column: self.axis_names(table, swap).1,
                value: point.x().to_string(),
            });
        }
        if point.x() == 0.0 && point.y() == 0.0 {
            return Err(SkipReason::NullIsland);
        }
        Ok(point)
    }

    fn axis_names(&self, table: &RawTable, swap: bool) -> (String, String) {
        let (lat, lon) = match *self {
            PointSource::Columns { lat, lon } => {
                (table.columns[lat].clone(), table.columns[lon].clone())
            }
            PointSource::Geometry => (
                "geometry latitude".to_string(),
                "geometry longitude".to_string(),
            ),
            PointSource::Wkt(column)
            | PointSource::LocationText(column)
            | PointSource::Wkb(column) => {
                let name = &table.columns[column];
                (format!("{name} (latitude)"), format!("{name} (longitude)"))
            }
        };
        if swap { (lon, lat) } else { (lat, lon) }
    }
}

fn number_cell(table: &RawTable, column: usize, row: usize) -> Result<f64, SkipReason> {
    let name = || table.columns[column].clone();
    if let Some(number) = table.cells[column].number(row) {
        return match number {
            Some(value) if value.is_finite() => Ok(value),
            Some(value) => Err(SkipReason::NotANumber {
                column: name(),
                value: value.to_string(),
            }),
            None => Err(SkipReason::MissingCoordinate {
                column: name(),
                value: String::new(),
            }),
        };
    }
    let text = table.text(column, row);
    let text = text.as_deref().unwrap_or("");
    // No null spelling reads as a finite number, so the common case is tried first.
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ if is_null_spelling(text) => Err(SkipReason::MissingCoordinate {
            column: name(),
            value: text.to_string(),
        }),
        _ => Err(SkipReason::NotANumber {
            column: name(),
            value: text.to_string(),
        }),
    }
}

fn text_point(
    table: &RawTable,
    column: usize,
    row: usize,
    parse: fn(&str) -> Option<Point>,
) -> Result<Point, SkipReason> {
    let text = table.text(column, row);
    let text = text.as_deref().unwrap_or("");
    if is_null_spelling(text) {
        return Err(SkipReason::MissingCoordinate {
            column: table.columns[column].clone(),
            value: text.to_string(),
        });
    }
    parse(text).ok_or_else(|| SkipReason::UnreadablePoint {
        column: table.columns[column].clone(),
        value: text.to_string(),
    })
}

/// `POINT (lon lat)`, with an optional `SRID=4326;` prefix and `Z`/`M` coordinates.
/// `POINT EMPTY` and other SRIDs give `None`.
pub(crate) fn parse_wkt_point(text: &str) -> Option<Point> {
    let mut text = text.trim();
    if text
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("SRID="))
    {
        let (srid, rest) = text[5..].split_once(';')?;
        if srid.trim() != "4326" {
            return None;
        }
        text = rest.trim();
    }
    if !text
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("POINT"))
    {
        return None;
    }
    let body = text[5..]
        .trim_start()
        .trim_start_matches(['Z', 'z', 'M', 'm'])
        .trim();
    let inner = body.strip_prefix('(')?.strip_suffix(')')?;
    let mut numbers = inner.split_whitespace().map(str::parse::<f64>);
    let lon = numbers.next()?.ok()?;
    let lat = numbers.next()?.ok()?;
    (lon.is_finite() && lat.is_finite()).then(|| Point::new(lon, lat))
}

/// Text ending in `(lat, lon)`, like Socrata's location fields: `(41.88, -87.63)` or
/// `333 EAST 4 STREET\nMANHATTAN, NY 10009\n(40.722075, -73.978747)`.
pub(crate) fn parse_location_text(text: &str) -> Option<Point> {
    let inner = text.trim_end().strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (lat, lon) = inner[open + 1..].split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    (lon.is_finite() && lat.is_finite()).then(|| Point::new(lon, lat))
}

/// A hex-encoded WKB or EWKB point (as in Carto exports and PostGIS dumps), with an
/// optional `\x` or `0x` prefix.
pub(crate) fn parse_wkb_hex(text: &str) -> Option<Point> {
    let text = text.trim();
    let text = text
        .strip_prefix("\\x")
        .or_else(|| text.strip_prefix("0x"))
        .unwrap_or(text);
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect::<Option<_>>()?;
    parse_wkb(&bytes)
}

/// A WKB or EWKB point. EWKB with an SRID other than 4326 gives `None`, as does an empty
/// point (NaN coordinates) or any other geometry.
pub(crate) fn parse_wkb(bytes: &[u8]) -> Option<Point> {
    let little_endian = match bytes.first()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let u32_at = |at: usize| -> Option<u32> {
        let raw: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if little_endian {
            u32::from_le_bytes(raw)
        } else {
            u32::from_be_bytes(raw)
        })
    };
    let f64_at = |at: usize| -> Option<f64> {
        let raw: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        Some(if little_endian {
            f64::from_le_bytes(raw)
        } else {
            f64::from_be_bytes(raw)
        })
    };
    let kind = u32_at(1)?;
    let has_srid = kind & 0x2000_0000 != 0;
    let base = kind & 0x0FFF_FFFF;
    // Point, or ISO WKB Point Z / M / ZM (1001, 2001, 3001).
    if base % 1000 != 1 {
        return None;
    }
    let mut at = 5;
    if has_srid {
        if u32_at(at)? != 4326 {
            return None;
        }
        at += 4;
    }
    let (x, y) = (f64_at(at)?, f64_at(at + 8)?);
    (x.is_finite() && y.is_finite()).then(|| Point::new(x, y))
}

/// How the rows of a source fit as written and swapped: rows whose point is a plausible
/// (lat, lon) only as written, and only swapped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AxisFit {
    /// Rows whose point fits as written, and not swapped.
    pub only_as_written: usize,
    /// Rows whose point fits only when swapped.
    pub only_swapped: usize,
}

impl AxisFit {
    /// Whether most rows that fit one way only fit swapped.
    pub fn looks_swapped(&self) -> bool {
        self.only_swapped > self.only_as_written
    }
}

/// Counts how the raw `points` fit as written and swapped. A point fits when its latitude is
/// within [-90, 90] and inhabited (not south of 60°S nor north of 84°N), and its longitude
/// within [-180, 180].
pub(crate) fn axis_fit(points: impl ParallelIterator<Item = Point>) -> AxisFit {
    let fits = |lat: f64, lon: f64| INHABITED_LATITUDES.contains(&lat) && lon.abs() <= 180.0;
    let (only_as_written, only_swapped) = points
        .map(|point| {
            let (x, y) = (point.x(), point.y());
            match (fits(y, x), fits(x, y)) {
                (true, false) => (1, 0),
                (false, true) => (0, 1),
                _ => (0, 0),
            }
        })
        .reduce(|| (0, 0), |(a, b), (c, d)| (a + c, b + d));
    AxisFit {
        only_as_written,
        only_swapped,
    }
}

const LATITUDE_TOKENS: [&str; 2] = ["lat", "latitude"];
const LONGITUDE_TOKENS: [&str; 4] = ["lon", "lng", "long", "longitude"];

/// Pairs of (latitude-like, longitude-like) columns whose names differ in one word only:
/// `Lat`/`Long`, `LATITUDE`/`LONGITUDE`, `Y`/`X`, `Y_COORDINATE`/`X_COORDINATE`,
/// `Y.Coordinate`/`X.Coordinate`. Latitude/longitude names come before Y/X names.
fn coordinate_pairs(table: &RawTable) -> Vec<(usize, usize)> {
    let names: Vec<Vec<String>> = table.columns.iter().map(|c| tokens(c)).collect();
    let mut pairs = Vec::new();
    let axis_words: [(&[&str], &[&str]); 2] =
        [(&LATITUDE_TOKENS, &LONGITUDE_TOKENS), (&["y"], &["x"])];
    for (lat_words, lon_words) in axis_words {
        for (lat, lat_name) in names.iter().enumerate() {
            for (position, word) in lat_name.iter().enumerate() {
                if !lat_words.contains(&word.as_str()) {
                    continue;
                }
                let partner = names.iter().position(|lon_name| {
                    lon_name.len() == lat_name.len()
                        && lon_words.contains(&lon_name[position].as_str())
                        && (0..lat_name.len()).all(|i| i == position || lon_name[i] == lat_name[i])
                });
                if let Some(lon) = partner
                    && !pairs.contains(&(lat, lon))
                {
                    pairs.push((lat, lon));
                }
            }
        }
    }
    pairs
}

/// Reads a point from one text cell, or gives `None`.
type TextParser = fn(&str) -> Option<Point>;

/// Names the source that reads one column.
type SourceOfColumn = fn(usize) -> PointSource;

/// Every source the header and a sample of the cells suggest, most conventional first:
/// coordinate columns, then WKT, "(lat, lon)" text and WKB columns.
pub(crate) fn candidate_sources(table: &RawTable) -> Vec<PointSource> {
    let mut sources: Vec<PointSource> = coordinate_pairs(table)
        .into_iter()
        .map(|(lat, lon)| PointSource::Columns { lat, lon })
        .collect();
    let kinds: [(TextParser, SourceOfColumn); 3] = [
        (parse_wkt_point, PointSource::Wkt),
        (parse_location_text, PointSource::LocationText),
        (parse_wkb_hex, PointSource::Wkb),
    ];
    let mostly = |sample: Vec<bool>| {
        !sample.is_empty() && sample.iter().filter(|&&ok| ok).count() * 2 > sample.len()
    };
    for (column, cells) in table.cells.iter().enumerate() {
        match cells {
            Column::Binary(_) => {
                let sample = (0..table.n_rows)
                    .filter_map(|row| cells.bytes(row).map(|bytes| parse_wkb(bytes).is_some()))
                    .take(SAMPLE)
                    .collect();
                if mostly(sample) {
                    sources.push(PointSource::Wkb(column));
                }
            }
            Column::Text(_) | Column::Json(_) => {
                let texts: Vec<_> = (0..table.n_rows)
                    .filter_map(|row| cells.text(row))
                    .filter(|text| !is_null_spelling(text))
                    .take(SAMPLE)
                    .collect();
                let kind = kinds.iter().find(|(parse, _)| {
                    mostly(texts.iter().map(|text| parse(text).is_some()).collect())
                });
                if let Some((_, source)) = kind {
                    sources.push(source(column));
                }
            }
            Column::Float(_) | Column::Int(_) | Column::Bool(_) => {}
        }
    }
    sources
}

/// Whether values look like projected coordinates (feet or metres from an origin) rather
/// than degrees.
pub(crate) fn looks_projected(points: &[Point]) -> bool {
    !points.is_empty()
        && points
            .iter()
            .all(|p| p.x().abs() > 180.0 || p.y().abs() > 180.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkt_points() {
        let p = Some(Point::new(-87.63, 41.88));
        assert_eq!(parse_wkt_point("POINT (-87.63 41.88)"), p);
        assert_eq!(parse_wkt_point("point(-87.63 41.88)"), p);
        assert_eq!(
            parse_wkt_point("POINT Z (1 2 3)"),
            Some(Point::new(1.0, 2.0))
        );
        assert_eq!(
            parse_wkt_point("SRID=4326;POINT(1 2)"),
            Some(Point::new(1.0, 2.0))
        );
        assert_eq!(parse_wkt_point("SRID=3435;POINT(1 2)"), None);
        assert_eq!(parse_wkt_point("POINT EMPTY"), None);
        assert_eq!(parse_wkt_point("LINESTRING (1 2, 3 4)"), None);
        assert_eq!(parse_wkt_point("POINT (1)"), None);
        assert_eq!(parse_wkt_point("POINT (a b)"), None);
        assert_eq!(parse_wkt_point("é"), None);
        assert_eq!(parse_wkt_point("POINTé"), None);
        assert_eq!(parse_wkt_point("SRID=é"), None);
    }

    #[test]
    fn location_text() {
        let p = Some(Point::new(-87.63, 41.88));
        assert_eq!(parse_location_text("(41.88, -87.63)"), p);
        assert_eq!(parse_location_text("(41.88,-87.63)"), p);
        let socrata = "333 EAST 4 STREET\nMANHATTAN, NY 10009\n(40.722075, -73.978747)";
        assert_eq!(
            parse_location_text(socrata),
            Some(Point::new(-73.978747, 40.722075))
        );
        assert_eq!(parse_location_text("100 Main St (rear)"), None);
        assert_eq!(parse_location_text("(41.88)"), None);
        assert_eq!(parse_location_text(")"), None);
    }

    #[test]
    fn wkb_points() {
        // POINT(-87.63 41.88): little-endian WKB, big-endian WKB, and EWKB with SRID 4326.
        let p = Some(Point::new(-87.63, 41.88));
        assert_eq!(
            parse_wkb_hex("0101000000B81E85EB51E855C0713D0AD7A3F04440"),
            p
        );
        assert_eq!(
            parse_wkb_hex("0000000001C055E851EB851EB84044F0A3D70A3D71"),
            p
        );
        assert_eq!(
            parse_wkb_hex("0101000020E6100000B81E85EB51E855C0713D0AD7A3F04440"),
            p
        );
        assert_eq!(
            parse_wkb_hex("\\x0101000000B81E85EB51E855C0713D0AD7A3F04440"),
            p
        );
        // SRID 3435 (Illinois East, feet) is not degrees.
        let projected = "01010000206B0D0000B81E85EB51E855C0713D0AD7A3F04440";
        assert_eq!(parse_wkb_hex(projected), None);
        assert_eq!(parse_wkb_hex("0102000000"), None);
        assert_eq!(
            parse_wkb_hex("zz01000000B81E85EB51E855C0713D0AD7A3F04440"),
            None
        );
        assert_eq!(
            parse_wkb_hex("0101000000B81E85EB51E855C0713D0AD7A3F044"),
            None
        );
        assert_eq!(parse_wkb_hex("é1"), None);
        assert_eq!(parse_wkb(&[]), None);
        // POINT EMPTY is written with NaN coordinates.
        let mut empty = vec![1, 1, 0, 0, 0];
        empty.extend_from_slice(&f64::NAN.to_le_bytes());
        empty.extend_from_slice(&f64::NAN.to_le_bytes());
        assert_eq!(parse_wkb(&empty), None);
    }
}
