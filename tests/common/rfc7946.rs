//! A validator for the parts of RFC 7946 that a FeatureCollection of Points must meet.

use serde_json::Value;

fn position(value: &Value, place: &str) -> Result<(f64, f64), String> {
    let array = value
        .as_array()
        .ok_or(format!("{place}: a position must be an array"))?;
    if !(2..=3).contains(&array.len()) {
        return Err(format!(
            "{place}: a position has 2 or 3 numbers (RFC 7946 3.1.1)"
        ));
    }
    let numbers: Vec<f64> = array
        .iter()
        .map(|v| v.as_f64().ok_or(format!("{place}: not a number")))
        .collect::<Result<_, _>>()?;
    let (lon, lat) = (numbers[0], numbers[1]);
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "{place}: ({lon}, {lat}) is not longitude, latitude in WGS84 (RFC 7946 4)"
        ));
    }
    Ok((lon, lat))
}

/// Checks `document` against RFC 7946 for a FeatureCollection; returns every violation.
pub fn validate(document: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = document.as_object() else {
        return vec!["the document is not a JSON object".into()];
    };
    if top.get("type") != Some(&Value::String("FeatureCollection".into())) {
        errors.push("top-level type must be \"FeatureCollection\"".into());
    }
    if top.contains_key("crs") {
        errors.push("the crs member was removed in RFC 7946 (section 4)".into());
    }
    for forbidden in ["coordinates", "geometries", "geometry", "properties"] {
        if top.contains_key(forbidden) {
            errors.push(format!(
                "a FeatureCollection must not have a {forbidden:?} member (7.1)"
            ));
        }
    }
    let Some(features) = top.get("features").and_then(Value::as_array) else {
        errors.push("a FeatureCollection has a \"features\" array (3.3)".into());
        return errors;
    };
    let mut points = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let place = format!("feature {i}");
        let Some(feature) = feature.as_object() else {
            errors.push(format!("{place}: not an object"));
            continue;
        };
        if feature.get("type") != Some(&Value::String("Feature".into())) {
            errors.push(format!("{place}: type must be \"Feature\" (3.2)"));
        }
        match feature.get("id") {
            None | Some(Value::String(_)) | Some(Value::Number(_)) => {}
            Some(_) => errors.push(format!("{place}: id must be a string or a number (3.2)")),
        }
        match feature.get("properties") {
            Some(Value::Object(_)) | Some(Value::Null) => {}
            _ => errors.push(format!(
                "{place}: properties must be an object or null (3.2)"
            )),
        }
        match feature.get("geometry") {
            Some(Value::Null) => {}
            Some(Value::Object(geometry)) => {
                if geometry.get("type") != Some(&Value::String("Point".into())) {
                    errors.push(format!("{place}: expected a Point geometry"));
                }
                match geometry.get("coordinates").map(|c| position(c, &place)) {
                    Some(Ok(point)) => points.push(point),
                    Some(Err(error)) => errors.push(error),
                    None => errors.push(format!("{place}: a Point has coordinates (3.1.2)")),
                }
            }
            _ => errors.push(format!(
                "{place}: a Feature has a geometry member, an object or null (3.2)"
            )),
        }
    }
    if let Some(bbox) = top.get("bbox") {
        match bbox
            .as_array()
            .map(|b| b.iter().filter_map(Value::as_f64).collect::<Vec<f64>>())
        {
            Some(b) if b.len() == 4 => {
                let (west, south, east, north) = (b[0], b[1], b[2], b[3]);
                if south > north
                    || !(-90.0..=90.0).contains(&south)
                    || !(-90.0..=90.0).contains(&north)
                {
                    errors.push(format!("bbox latitudes out of order or range: {b:?} (5)"));
                }
                // A bbox with west > east crosses the antimeridian (5.2).
                let inside_lon = |lon: f64| {
                    if west <= east {
                        lon >= west && lon <= east
                    } else {
                        lon >= west || lon <= east
                    }
                };
                for (lon, lat) in &points {
                    if !inside_lon(*lon) || *lat < south || *lat > north {
                        errors.push(format!("bbox {b:?} does not contain ({lon}, {lat}) (5)"));
                        break;
                    }
                }
            }
            _ => errors.push("bbox must be an array of 2*n numbers, 4 for 2-D (5)".into()),
        }
    }
    // The geojson crate must read it back as a FeatureCollection too.
    match serde_json::from_value::<geojson::GeoJson>(document.clone()) {
        Ok(geojson::GeoJson::FeatureCollection(_)) => {}
        Ok(_) => errors
            .push("the geojson crate reads it as something other than a FeatureCollection".into()),
        Err(error) => errors.push(format!("the geojson crate cannot read it: {error}")),
    }
    errors
}
