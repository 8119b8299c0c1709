//! Historical traces: a CSV of interval volumes, as an ACD or WFM tool exports.
//!
//! Columns (header required, any order, case-insensitive):
//! `interval_start` (or `start`, `timestamp`): `YYYY-MM-DD HH:MM[:SS]` or with a `T`;
//! `channel`; optional `region`; optional `intent`; `contacts` (or `volume`, `offered`).
//! Each row's volume becomes a Poisson arrival rate over its interval.

use chrono::NaiveDateTime;

/// One parsed row.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    /// Line number in the file (1-based, header is line 1).
    pub line: usize,
    /// Interval start.
    pub start: NaiveDateTime,
    /// Channel name.
    pub channel: String,
    /// Region name, if the file has a region column.
    pub region: Option<String>,
    /// Intent name, if the file has an intent column.
    pub intent: Option<String>,
    /// Contacts offered in the interval.
    pub contacts: f64,
}

/// A problem in a trace file, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceIssue {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (field number), when known.
    pub column: Option<usize>,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Largest trace accepted, in rows (a year of 5-minute intervals × 8 series).
pub const MAX_TRACE_ROWS: usize = 1_000_000;

const FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
];

/// Parses a timestamp in one of the accepted formats.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.as_str()))
}

/// The names each column role accepts.
const ROLES: [&[&str]; 5] = [
    &["interval_start", "start", "timestamp"],
    &["channel"],
    &["contacts", "volume", "offered"],
    &["region"],
    &["intent"],
];

/// A header that names one column twice, or one role (e.g. the contacts)
/// by two columns, is ambiguous: which one counts would be a guess.
fn ambiguous_header(headers: &[String]) -> Option<TraceIssue> {
    for (j, h) in headers.iter().enumerate() {
        if let Some(i) = headers[..j].iter().position(|x| x == h) {
            return Some(TraceIssue {
                line: 1,
                column: Some(j + 1),
                message: format!(
                    "column {h:?} appears twice (columns {} and {}); allowed: each column once",
                    i + 1,
                    j + 1
                ),
            });
        }
    }
    for names in ROLES {
        let cols: Vec<usize> = (0..headers.len())
            .filter(|&c| names.contains(&headers[c].as_str()))
            .collect();
        if let [a, b, ..] = cols[..] {
            return Some(TraceIssue {
                line: 1,
                column: Some(b + 1),
                message: format!(
                    "columns {:?} and {:?} both name the same field; allowed: one of {}",
                    headers[a],
                    headers[b],
                    names.join(", ")
                ),
            });
        }
    }
    None
}

/// Parses trace text; returns every row or every problem found.
pub fn parse_trace(text: &str) -> Result<Vec<TraceRow>, Vec<TraceIssue>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(e) => {
            return Err(vec![TraceIssue {
                line: 1,
                column: None,
                message: format!("cannot read the header: {e}"),
            }]);
        }
    };
    if let Some(issue) = ambiguous_header(&headers) {
        return Err(vec![issue]);
    }
    let start_col = find(&headers, &["interval_start", "start", "timestamp"]);
    let channel_col = find(&headers, &["channel"]);
    let contacts_col = find(&headers, &["contacts", "volume", "offered"]);
    let region_col = find(&headers, &["region"]);
    let intent_col = find(&headers, &["intent"]);
    let (Some(start_col), Some(channel_col), Some(contacts_col)) =
        (start_col, channel_col, contacts_col)
    else {
        return Err(vec![TraceIssue {
            line: 1,
            column: None,
            message: format!(
                "header {headers:?} lacks a required column; required: interval_start, channel, contacts (optional: region, intent)"
            ),
        }]);
    };
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // The reader's own position counts blank lines and quoted newlines.
        let line = match &record {
            Ok(r) => r.position().map_or(i + 2, |p| p.line() as usize),
            Err(e) => e.position().map_or(i + 2, |p| p.line() as usize),
        };
        if rows.len() >= MAX_TRACE_ROWS {
            issues.push(TraceIssue {
                line,
                column: None,
                message: format!(
                    "more than {MAX_TRACE_ROWS} rows; allowed: at most {MAX_TRACE_ROWS}"
                ),
            });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                issues.push(TraceIssue {
                    line,
                    column: None,
                    message: format!("malformed row: {e}"),
                });
                continue;
            }
        };
        let field = |c: usize| record.get(c).unwrap_or("").to_string();
        let start_text = field(start_col);
        let start = parse_timestamp(&start_text);
        if start.is_none() {
            issues.push(TraceIssue {
                line,
                column: Some(start_col + 1),
                message: format!(
                    "interval_start {start_text:?} is not a timestamp; allowed: YYYY-MM-DD HH:MM[:SS] (a T may replace the space)"
                ),
            });
        }
        let contacts_text = field(contacts_col);
        let contacts = contacts_text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0);
        if contacts.is_none() {
            issues.push(TraceIssue {
                line,
                column: Some(contacts_col + 1),
                message: format!("contacts {contacts_text:?}: allowed a finite number >= 0"),
            });
        }
        let channel = field(channel_col);
        if channel.is_empty() {
            issues.push(TraceIssue {
                line,
                column: Some(channel_col + 1),
                message: "empty channel".into(),
            });
        }
        let optional = |c: Option<usize>| c.map(field).filter(|s| !s.is_empty());
        if let (Some(start), Some(contacts)) = (start, contacts) {
            rows.push(TraceRow {
                line,
                start,
                channel,
                region: optional(region_col),
                intent: optional(intent_col),
                contacts,
            });
        }
    }
    if issues.is_empty() {
        Ok(rows)
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_with_optional_columns() {
        let text = "interval_start,channel,region,contacts\n2026-11-02 08:00,voice,metro,120\n2026-11-02T08:15,chat,,33.5\n";
        let rows = parse_trace(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region.as_deref(), Some("metro"));
        assert_eq!(rows[1].region, None);
        assert_eq!(rows[1].contacts, 33.5);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn reports_line_and_column_of_each_problem() {
        let text = "start,channel,contacts\n2026-11-02 08:00,voice,-3\n2026-13-02 08:00,voice,4\nx,voice\n";
        let issues = parse_trace(text).unwrap_err();
        assert_eq!(issues[0].line, 2);
        assert_eq!(issues[0].column, Some(3));
        assert_eq!(issues[1].line, 3);
        assert_eq!(issues[1].column, Some(1));
        assert_eq!(issues[2].line, 4);
        for header in [
            "start,channel,contacts,contacts",
            "start,channel,contacts,volume",
            "start,timestamp,channel,contacts",
        ] {
            let text = format!("{header}\n2026-11-02 08:00,voice,3,4\n");
            let issues = parse_trace(&text).unwrap_err();
            assert_eq!(issues[0].line, 1, "{header}");
            assert!(issues[0].message.contains("allowed"), "{:?}", issues[0]);
        }
        assert!(
            parse_trace("a,b\n1,2\n").unwrap_err()[0]
                .message
                .contains("required")
        );
    }
}
