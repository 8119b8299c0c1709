//! Special days (`--special-days FILE`): a CSV of `date,name` rows (a header
//! line `date,name` is optional). Dates are `YYYY-MM-DD`. In the history a
//! special day is left out of every weekday profile and level; in the
//! horizon it is forecast as a normal day times its past multiplier (the
//! same name seen in the history), or as closed when the name is new.

use super::error::{ForecastError, InputIssue, MAX_ISSUES};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;

/// Largest special-days file read, in bytes.
pub const MAX_SPECIAL_DAYS_BYTES: u64 = 1024 * 1024;

/// Named special dates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpecialDays {
    by_date: BTreeMap<NaiveDate, String>,
}

impl SpecialDays {
    /// No special days.
    pub fn none() -> Self {
        Self::default()
    }

    /// The name of `date`, if it is special.
    pub fn name(&self, date: NaiveDate) -> Option<&str> {
        self.by_date.get(&date).map(String::as_str)
    }

    /// Every (date, name), in date order.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, &str)> {
        self.by_date.iter().map(|(d, n)| (*d, n.as_str()))
    }

    /// Builds from (date, name) pairs (tests, generators).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (NaiveDate, String)>) -> Self {
        SpecialDays {
            by_date: pairs.into_iter().collect(),
        }
    }
}

/// Parses special-days text; `file` names it in errors.
pub fn parse_special_days(file: &Path, text: &str) -> Result<SpecialDays, ForecastError> {
    let mut by_date = BTreeMap::new();
    let mut issues = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let (date_text, name) = match raw.split_once(',') {
            Some((d, n)) => (d.trim(), n.trim().trim_matches('"').trim()),
            None => (raw, ""),
        };
        if line == 1 && date_text.eq_ignore_ascii_case("date") {
            continue;
        }
        let Ok(date) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
            issues.push(InputIssue {
                line,
                message: format!(
                    "date {date_text:?} is not a date; allowed: YYYY-MM-DD (e.g. 2026-12-25), then a comma and a name"
                ),
            });
            continue;
        };
        if name.is_empty() {
            issues.push(InputIssue {
                line,
                message: format!(
                    "date {date_text} has no name; allowed: `date,name` (the name links a holiday in the horizon to the same holiday in the history)"
                ),
            });
            continue;
        }
        if by_date.insert(date, name.to_string()).is_some() {
            issues.push(InputIssue {
                line,
                message: format!("date {date} is listed twice; allowed: each date once"),
            });
        }
    }
    if issues.is_empty() {
        Ok(SpecialDays { by_date })
    } else {
        issues.truncate(MAX_ISSUES);
        Err(ForecastError::Input {
            file: file.to_path_buf(),
            issues,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_or_without_header_and_rejects_other_formats() {
        let ok = parse_special_days(
            Path::new("s.csv"),
            "date,name\n2026-12-25,Christmas\n2027-01-01, New Year\n",
        )
        .unwrap();
        let d = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(ok.name(d), Some("New Year"));
        let e = parse_special_days(Path::new("s.csv"), "25/12/2026,Christmas\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.csv line 1") && e.contains("25/12/2026") && e.contains("YYYY-MM-DD"),
            "{e}"
        );
    }
}
