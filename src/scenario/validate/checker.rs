//! The issue collector and the checks every section shares.

use super::super::dist::{DIST_NAMES, Dist};
use super::super::duration::{DURATION_HELP, format_duration, parse_duration_s};
use super::super::error::{Issue, SourceMap};
use super::super::limits::{MAX_DURATION_PARAM_S, MIN_CV};
use super::super::raw::{RawDist, RawShares};
use chrono::NaiveDate;

/// Tolerance on shares that must sum to 1 (hand-written files round).
pub const SHARE_TOLERANCE: f64 = 0.005;

/// Collects issues while building the validated scenario; on any issue the
/// partially built scenario is discarded.
pub struct Checker<'a> {
    pub issues: Vec<Issue>,
    pub map: &'a SourceMap,
}

impl Checker<'_> {
    /// Records a problem at `path`.
    pub fn fail(&mut self, path: &str, message: String) {
        self.issues.push(Issue {
            path: path.to_string(),
            position: self.map.locate(path),
            message,
        });
    }

    /// A duration string within [min_s, max_s].
    pub fn duration(&mut self, path: &str, text: &str, min_s: f64, max_s: f64) -> f64 {
        match parse_duration_s(text) {
            Some(s) if s >= min_s && s <= max_s => s,
            Some(s) => {
                self.fail(
                    path,
                    format!(
                        "got {text:?} ({s} s); allowed: between {} and {}",
                        format_duration(min_s),
                        format_duration(max_s)
                    ),
                );
                min_s.max(1.0)
            }
            None => {
                self.fail(path, format!("got {text:?}; expected {DURATION_HELP}"));
                min_s.max(1.0)
            }
        }
    }

    /// A finite number in (0, max].
    pub fn positive(&mut self, path: &str, value: f64, max: f64) -> f64 {
        if value.is_finite() && value > 0.0 && value <= max {
            value
        } else {
            self.fail(
                path,
                format!("got {value}; allowed: a finite number > 0 and <= {max}"),
            );
            1.0
        }
    }

    /// A finite number in [0, max].
    pub fn non_negative(&mut self, path: &str, value: f64, max: f64) -> f64 {
        if value.is_finite() && (0.0..=max).contains(&value) {
            value
        } else {
            self.fail(
                path,
                format!("got {value}; allowed: a finite number >= 0 and <= {max}"),
            );
            0.0
        }
    }

    /// A TOML local date (`2026-11-02`).
    pub fn date(&mut self, path: &str, value: &toml::value::Datetime) -> Option<NaiveDate> {
        let parsed = match (value.date, value.time, value.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        if parsed.is_none() {
            self.fail(
                path,
                format!("got {value}; allowed: a date without time, e.g. 2026-11-02"),
            );
        }
        parsed
    }

    /// Shares over known names that sum to 1; returns (index, share) pairs.
    /// `resolve` maps a name to its index or `None` when unknown.
    pub fn shares(
        &mut self,
        path: &str,
        raw: &RawShares,
        what: &str,
        known: &str,
        mut resolve: impl FnMut(&str) -> Option<usize>,
    ) -> Vec<(usize, f64)> {
        let mut pairs = Vec::new();
        if raw.is_empty() {
            self.fail(
                path,
                format!("empty; give at least one {what} with its share"),
            );
            return pairs;
        }
        let mut total = 0.0;
        for (name, &share) in raw {
            let key = format!("{path}.{name}");
            if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
                self.fail(
                    &key,
                    format!("got {share}; allowed: a share between 0 and 1"),
                );
                continue;
            }
            total += share;
            match resolve(name) {
                Some(i) => {
                    if share > 0.0 {
                        pairs.push((i, share));
                    }
                }
                None => self.fail(&key, format!("unknown {what} {name:?}; known: {known}")),
            }
        }
        if (total - 1.0).abs() > SHARE_TOLERANCE {
            self.fail(
                path,
                format!(
                    "shares sum to {}; allowed: 1 (within {SHARE_TOLERANCE})",
                    round4(total)
                ),
            );
        }
        pairs
    }

    /// A distribution table.
    pub fn dist(&mut self, path: &str, raw: &RawDist) -> Dist {
        let used = |name: &str, present: bool, wanted: bool, me: &mut Self| {
            if present && !wanted {
                me.fail(
                    &format!("{path}.{name}"),
                    format!("`{name}` is not used by dist = {:?}", raw.dist),
                );
            }
        };
        let kind = raw.dist.as_str();
        let (mean, cv, value, bounds) = match kind {
            "exponential" => (true, false, false, false),
            "lognormal" | "gamma" => (true, true, false, false),
            "fixed" => (false, false, true, false),
            "uniform" => (false, false, false, true),
            other => {
                self.fail(
                    &format!("{path}.dist"),
                    format!("got {other:?}; allowed: {DIST_NAMES}"),
                );
                return Dist::exponential(1.0);
            }
        };
        used("mean", raw.mean.is_some(), mean, self);
        used("cv", raw.cv.is_some(), cv, self);
        used("value", raw.value.is_some(), value, self);
        used("min", raw.min.is_some(), bounds, self);
        used("max", raw.max.is_some(), bounds, self);
        let required = |name: &str, v: &Option<String>, me: &mut Self| -> f64 {
            match v {
                Some(text) => {
                    me.duration(&format!("{path}.{name}"), text, 0.0, MAX_DURATION_PARAM_S)
                }
                None => {
                    me.fail(
                        path,
                        format!("dist = {kind:?} needs `{name}` ({DURATION_HELP})"),
                    );
                    1.0
                }
            }
        };
        match kind {
            "exponential" | "lognormal" | "gamma" => {
                let mean_s = required("mean", &raw.mean, self);
                if mean_s <= 0.0 && raw.mean.is_some() {
                    self.fail(&format!("{path}.mean"), "got 0; allowed: a mean > 0".into());
                }
                let mean_s = mean_s.max(1e-3);
                if kind == "exponential" {
                    return Dist::exponential(mean_s);
                }
                let cv = match raw.cv {
                    // The gamma's shape is 1/cv²: a smaller cv would make it
                    // infinite (or its scale subnormal).
                    Some(cv) if cv.is_finite() && (MIN_CV..=10.0).contains(&cv) => cv,
                    Some(cv) => {
                        self.fail(
                            &format!("{path}.cv"),
                            format!("got {cv}; allowed: a coefficient of variation between {MIN_CV:e} and 10"),
                        );
                        1.0
                    }
                    None => {
                        self.fail(path, format!("dist = {kind:?} needs `cv` (e.g. cv = 0.6)"));
                        1.0
                    }
                };
                let built = if kind == "lognormal" {
                    Dist::lognormal(mean_s, cv)
                } else {
                    Dist::gamma(mean_s, cv)
                };
                built.unwrap_or_else(|| {
                    self.fail(path, format!("mean {mean_s} s with cv {cv} is not usable"));
                    Dist::exponential(mean_s)
                })
            }
            "fixed" => Dist::Fixed {
                value_s: required("value", &raw.value, self),
            },
            _ => {
                let min_s = required("min", &raw.min, self);
                let max_s = required("max", &raw.max, self);
                if max_s < min_s {
                    self.fail(
                        &format!("{path}.max"),
                        format!("max ({max_s} s) is below min ({min_s} s); allowed: max >= min"),
                    );
                }
                Dist::Uniform { min_s, max_s }
            }
        }
    }
}

/// Quoted, comma-separated names for messages.
pub fn quoted<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = names.into_iter().map(|n| format!("{n:?}")).collect();
    if list.is_empty() {
        "(none)".into()
    } else {
        list.join(", ")
    }
}

/// Rounds for messages, so that 0.1 + 0.7 shows as 0.8.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
