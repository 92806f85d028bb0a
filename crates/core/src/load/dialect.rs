//! Sniffing a CSV file's dialect and normalising what polars would trip over: a byte-order
//! mark, bare-CR line endings, invalid UTF-8, a delimiter other than the comma, and headers
//! that are empty, repeated or padded with spaces.

use std::borrow::Cow;

use crate::model::CsvDialect;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Returns bytes polars can parse with `dialect.delimiter`, and what was found and changed.
/// The bytes are borrowed from `bytes` unless something had to change.
pub(crate) fn normalize(input: &[u8]) -> (Cow<'_, [u8]>, CsvDialect) {
    let mut dialect = CsvDialect::default();
    let body = match input.strip_prefix(UTF8_BOM) {
        Some(body) => {
            dialect.bom = true;
            body
        }
        None => input,
    };
    let mut bytes = Cow::Borrowed(body);
    // Checking is much quicker than converting: convert only when there is something to
    // replace.
    if std::str::from_utf8(body).is_err() {
        let lossy = String::from_utf8_lossy(body).into_owned();
        let already = count_subslices(body, REPLACEMENT);
        dialect.invalid_utf8_sequences = count_subslices(lossy.as_bytes(), REPLACEMENT) - already;
        bytes = Cow::Owned(lossy.into_bytes());
    }
    let (crlf, lone_cr, lone_lf) = if bytes.contains(&b'\r') {
        let (crlf, lone_cr, lone_lf) = count_line_endings(&bytes);
        (crlf > 0, lone_cr > 0, lone_lf > 0)
    } else {
        // No CR at all (a fast search): lines end with LF, if any line break is outside
        // quotes, and the first such break ends the header.
        (false, false, header_line(&bytes).len() < bytes.len())
    };
    dialect.line_endings = match (crlf, lone_cr, lone_lf) {
        (false, false, false) => "none",
        (false, false, true) => "LF",
        (true, false, false) => "CRLF",
        (false, true, false) => "CR",
        _ => "mixed",
    };
    if lone_cr {
        // Old Mac files end lines with a bare CR, which polars does not split on.
        replace_lone_cr(bytes.to_mut());
    }
    dialect.delimiter = sniff_delimiter(header_line(&bytes)) as char;
    let delimiter = dialect.delimiter as u8;
    let header_end = header_line(&bytes).len();
    let written = split_fields(&bytes[..header_end], delimiter);
    let names = clean_header(&written);
    if names != written {
        dialect.renamed_columns = written
            .iter()
            .zip(&names)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        let mut header = join_fields(&names, delimiter).into_bytes();
        header.extend_from_slice(&bytes[header_end..]);
        bytes = Cow::Owned(header);
    }
    (bytes, dialect)
}

fn count_subslices(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|window| *window == needle)
        .count()
}

/// Line breaks outside quoted fields, by kind: CRLF, a bare CR, a bare LF. Breaks inside
/// quotes are a field's own text, not the file's line endings.
fn count_line_endings(bytes: &[u8]) -> (usize, usize, usize) {
    let (mut crlf, mut lone_cr, mut lone_lf) = (0, 0, 0);
    let mut quoted = false;
    for (i, byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => crlf += 1,
            b'\r' => lone_cr += 1,
            b'\n' if i > 0 && bytes[i - 1] == b'\r' => {}
            b'\n' => lone_lf += 1,
            _ => {}
        }
    }
    (crlf, lone_cr, lone_lf)
}

/// Ends records with LF where they end with a bare CR; a CR inside a quoted field is the
/// field's own text and stays.
fn replace_lone_cr(bytes: &mut [u8]) {
    let mut quoted = false;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\r' if !quoted && bytes.get(i + 1) != Some(&b'\n') => bytes[i] = b'\n',
            _ => {}
        }
    }
}

/// The first line, up to the first line break outside quotes (without it).
fn header_line(bytes: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return &bytes[..i],
            _ => {}
        }
    }
    bytes
}

fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for byte in header {
        if *byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|d| d == byte) {
            counts[i] += 1;
        }
    }
    // The most frequent wins; a tie goes to the earlier, more common delimiter.
    let best = (0..DELIMITERS.len())
        .rev()
        .max_by_key(|&i| counts[i])
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        DELIMITERS[best]
    }
}

/// Splits one CSV line into unquoted field texts.
fn split_fields(line: &[u8], delimiter: u8) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let byte = line[i];
        match byte {
            b'"' if quoted && line.get(i + 1) == Some(&b'"') => {
                field.push(b'"');
                i += 1;
            }
            b'"' => quoted = !quoted,
            _ if byte == delimiter && !quoted => {
                fields.push(String::from_utf8_lossy(&std::mem::take(&mut field)).into_owned())
            }
            _ => field.push(byte),
        }
        i += 1;
    }
    fields.push(String::from_utf8_lossy(&field).into_owned());
    fields
}

/// Trims names, names empty columns `column_N`, and numbers repeats `name_2`, `name_3`.
fn clean_header(written: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(written.len());
    for (i, name) in written.iter().enumerate() {
        let trimmed = name.trim();
        let base = if trimmed.is_empty() {
            format!("column_{}", i + 1)
        } else {
            trimmed.to_string()
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while names.contains(&candidate)
            || (candidate != base && written.iter().any(|w| w.trim() == candidate))
        {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        names.push(candidate);
    }
    names
}

fn join_fields(names: &[String], delimiter: u8) -> String {
    let delimiter = delimiter as char;
    let quoted: Vec<String> = names
        .iter()
        .map(|name| {
            if name.contains(['"', delimiter, '\n', '\r']) {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.clone()
            }
        })
        .collect();
    quoted.join(&delimiter.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[u8], expected: &str, delimiter: char, line_endings: &str) -> CsvDialect {
        let (bytes, dialect) = normalize(input);
        assert_eq!(String::from_utf8(bytes.into_owned()).unwrap(), expected);
        assert_eq!(dialect.delimiter, delimiter);
        assert_eq!(dialect.line_endings, line_endings);
        dialect
    }

    #[test]
    fn line_endings_and_bom() {
        check(b"a,b\n1,2\n", "a,b\n1,2\n", ',', "LF");
        check(b"a,b\r\n1,2\r\n", "a,b\r\n1,2\r\n", ',', "CRLF");
        check(b"a,b\r1,2\r3,4", "a,b\n1,2\n3,4", ',', "CR");
        // Breaks inside quoted fields are the field's text: neither counted nor changed.
        check(
            b"a,b\r\n1,\"x\ny\"\r\n",
            "a,b\r\n1,\"x\ny\"\r\n",
            ',',
            "CRLF",
        );
        check(b"a,b\r1,\"x\ry\"\r", "a,b\n1,\"x\ry\"\n", ',', "CR");
        let dialect = check(b"\xef\xbb\xbfa,b\n1,2", "a,b\n1,2", ',', "LF");
        assert!(dialect.bom);
        check(b"a,b", "a,b", ',', "none");
    }

    #[test]
    fn delimiters() {
        check(b"a;b;c\n1,5;2;3\n", "a;b;c\n1,5;2;3\n", ';', "LF");
        check(b"a\tb\n1\t2\n", "a\tb\n1\t2\n", '\t', "LF");
        check(b"a|b\n1|2\n", "a|b\n1|2\n", '|', "LF");
        check(b"\"x,y\";b\n1;2\n", "\"x,y\";b\n1;2\n", ';', "LF");
        check(b"single\n1\n", "single\n1\n", ',', "LF");
    }

    #[test]
    fn headers_are_cleaned() {
        let dialect = check(
            b" id ,,name,name,\"a\"\"b\"\n1,2,3,4,5\n",
            "id,column_2,name,name_2,\"a\"\"b\"\n1,2,3,4,5\n",
            ',',
            "LF",
        );
        assert_eq!(dialect.renamed_columns.len(), 3);
        // A generated name never takes a name that is already in the file.
        check(b"x,x,x_2\n1,2,3\n", "x,x_3,x_2\n1,2,3\n", ',', "LF");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        let (bytes, dialect) = normalize(b"a,b\n1,caf\xe9\n2,\xff\xfe\n");
        assert_eq!(dialect.invalid_utf8_sequences, 3);
        assert_eq!(
            String::from_utf8(bytes.into_owned()).unwrap(),
            "a,b\n1,caf\u{FFFD}\n2,\u{FFFD}\u{FFFD}\n"
        );
    }
}
