//! `demand.trace`: a historical trace (CSV of interval volumes) read from
//! disk, checked row by row against one interval grid, and turned into one
//! arrival [`Source`] per (region, channel, intent) series.

use super::checker::{Checker, quoted};
use super::demand::{DemandContext, DemandParts, channel_id, day_cv, intern, region_id};
use crate::demand::trace::{TraceRow, parse_trace};
use crate::demand::{DAY_S, Mix, RateProfile};
use crate::scenario::limits::{
    MAX_RATE_PER_HOUR, MAX_SIMULATED_S, MAX_TRACE_BYTES, MAX_TRACE_CELLS, MIN_TRACE_INTERVAL_S,
};
use crate::scenario::raw::RawDemand;
use crate::scenario::{Channel, Source};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// (region, channel, intent) of one trace series.
type SeriesKey = (String, String, Option<String>);

/// Reports every row that repeats an earlier row's (interval, series):
/// summing them would double-count, keeping one would be a guess. Sorts
/// each series' points by slot (the order the rates are filled in does not
/// matter). Returns whether any was found.
fn duplicate_rows(
    ck: &mut Checker<'_>,
    shown: &str,
    series: &mut BTreeMap<SeriesKey, Vec<(i64, f64, usize)>>,
) -> bool {
    let mut found = false;
    for ((region, channel, intent), points) in series.iter_mut() {
        points.sort_by_key(|p| (p.0, p.2));
        for w in points.windows(2) {
            if w[0].0 == w[1].0 {
                found = true;
                ck.fail(
                    "demand.trace",
                    format!(
                        "{shown} line {}: the same interval and series (region {region:?}, channel {channel:?}{}) as line {}; allowed: one row per interval and series",
                        w[1].2,
                        intent.as_ref().map(|i| format!(", intent {i:?}")).unwrap_or_default(),
                        w[0].2
                    ),
                );
            }
        }
    }
    found
}

pub(super) fn trace_sources(
    ck: &mut Checker<'_>,
    raw: &RawDemand,
    trace: &str,
    channels: &mut Vec<Channel>,
    ctx: &DemandContext<'_>,
    parts: &mut DemandParts,
) {
    let day_cv = raw.day_cv.map(|cv| day_cv(ck, "demand.day_cv", cv));
    let file = ctx.base_dir.join(trace);
    let shown = file.display().to_string();
    // Bounded whatever the file is (a FIFO or /dev/zero has no useful size).
    let text = match crate::input::read_bounded(&file, MAX_TRACE_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                ck.fail("demand.trace", format!("{shown} is not UTF-8 text"));
                return;
            }
        },
        Err(crate::input::ReadError::TooLarge { limit }) => {
            ck.fail(
                "demand.trace",
                format!("{shown} holds more than {limit} bytes; allowed: at most {limit}"),
            );
            return;
        }
        Err(crate::input::ReadError::Io(e)) => {
            ck.fail(
                "demand.trace",
                format!("cannot read {shown}: {e} (paths are relative to the scenario file)"),
            );
            return;
        }
    };
    let rows = match parse_trace(&text) {
        Ok(rows) => rows,
        Err(issues) => {
            for issue in issues.into_iter().take(50) {
                let col = issue
                    .column
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default();
                ck.fail(
                    "demand.trace",
                    format!("{shown} line {}{col}: {}", issue.line, issue.message),
                );
            }
            return;
        }
    };
    if rows.is_empty() {
        ck.fail("demand.trace", format!("{shown} has no data rows"));
        return;
    }
    let interval_s = match &raw.trace_interval {
        Some(t) => ck.duration("demand.trace_interval", t, MIN_TRACE_INTERVAL_S, DAY_S),
        None => match infer_interval(&rows) {
            Ok(s) => s,
            Err(why) => {
                ck.fail("demand.trace", format!("{shown}: {why}"));
                return;
            }
        },
    };
    if (DAY_S % interval_s).abs() > 1e-9 {
        ck.fail(
            "demand.trace_interval",
            format!("{interval_s} s does not divide a day; allowed: e.g. 5m, 10m, 15m, 30m, 1h"),
        );
        return;
    }
    let first = rows.iter().map(|r| r.start).min().expect("non-empty");
    let start = ctx.start.unwrap_or(first.date());
    let origin = start.and_hms_opt(0, 0, 0).expect("midnight exists");
    let slots_per_day = (DAY_S / interval_s).round() as i64;
    let grid = match &raw.trace_interval {
        Some(t) => format!("the declared demand.trace_interval = {t:?}"),
        None => format!(
            "the grid of this file, inferred from the most common gap between a series' consecutive starts; if a finer grid is real, declare it, e.g. demand.trace_interval = \"{}\"",
            finer_hint(interval_s)
        ),
    };
    let mut series: BTreeMap<SeriesKey, Vec<(i64, f64, usize)>> = BTreeMap::new();
    let mut max_slot = 0;
    let mut bad_rows = 0usize;
    for row in &rows {
        let offset = (row.start - origin).num_seconds();
        let slot = offset.div_euclid(interval_s as i64);
        let problem = if offset < 0 {
            Some(format!(
                ", column 1: interval start {} is before simulation.start ({start}); allowed: starts on or after it",
                row.start
            ))
        } else if offset % (interval_s as i64) != 0 {
            Some(format!(
                ", column 1: interval start {} is not aligned to the {interval_s} s trace interval ({} s past the grid); allowed: starts at whole multiples of {interval_s} s from midnight ({grid})",
                row.start,
                offset % (interval_s as i64)
            ))
        } else if slot as f64 * interval_s > MAX_SIMULATED_S {
            Some(format!(
                ", column 1: interval start {} is more than two years after the start; allowed: at most two years",
                row.start
            ))
        } else {
            let per_hour = row.contacts / interval_s * 3600.0;
            (per_hour > MAX_RATE_PER_HOUR).then(|| format!(
                ": {} contacts in a {interval_s} s interval is {per_hour} per hour; allowed: at most {MAX_RATE_PER_HOUR} per hour per series",
                row.contacts
            ))
        };
        if let Some(problem) = problem {
            bad_rows += 1;
            if bad_rows <= MAX_ROW_ISSUES {
                ck.fail(
                    "demand.trace",
                    format!("{shown} line {}{problem}", row.line),
                );
            }
            continue;
        }
        max_slot = max_slot.max(slot);
        let region = row.region.clone().unwrap_or_else(|| "default".into());
        series
            .entry((region, row.channel.clone(), row.intent.clone()))
            .or_default()
            .push((slot, row.contacts, row.line));
    }
    if bad_rows > MAX_ROW_ISSUES {
        ck.fail(
            "demand.trace",
            format!(
                "{shown}: {} more rows with problems like the above (the first {MAX_ROW_ISSUES} are listed)",
                bad_rows - MAX_ROW_ISSUES
            ),
        );
    }
    if duplicate_rows(ck, &shown, &mut series) {
        return;
    }
    let days = (max_slot / slots_per_day + 1) as usize;
    let cycle_slots = days * slots_per_day as usize;
    // Each series holds a rate for every slot of the span: bound the product so
    // that a small, sparse file cannot ask for gigabytes.
    if cycle_slots.saturating_mul(series.len()) > MAX_TRACE_CELLS {
        ck.fail("demand.trace", format!("{shown}: {} series over {days} days at a {interval_s} s interval make {} rate cells; allowed: at most {MAX_TRACE_CELLS} (use a longer interval, fewer series or a shorter span)", series.len(), cycle_slots.saturating_mul(series.len())));
        return;
    }
    // Regions that streams or [[demand.region]] made before the trace: one
    // day multiplier per region, so demand.day_cv would scale them as well.
    let earlier_regions = parts.regions.len();
    let mut shared_regions = std::collections::BTreeSet::new();
    for ((region_name, channel_name, intent), points) in series {
        let channel = channel_id(channels, &channel_name);
        let region = region_id(&mut parts.regions, &region_name);
        if let Some(cv) = day_cv {
            if region < earlier_regions {
                if parts.regions[region].day_cv != cv && shared_regions.insert(region) {
                    ck.fail(
                        "demand.day_cv",
                        format!(
                            "the trace's region {region_name:?} is also a [[demand.region]] or holds a [[demand.stream]] (day multipliers are drawn per region, so day_cv = {cv} would scale those too); allowed: a region column in {shown} whose names only the trace uses, or no demand.day_cv"
                        ),
                    );
                }
            } else {
                parts.regions[region].day_cv = cv;
            }
        }
        let mut rates = vec![0.0; cycle_slots];
        for (slot, contacts, _) in points {
            rates[slot as usize] += contacts / interval_s;
        }
        let intent_mix = match &intent {
            Some(name) => match ctx.intents.iter().position(|i| &i.0 == name) {
                Some(i) => Mix::single(i),
                None => {
                    ck.fail(
                        "demand.trace",
                        format!(
                            "{shown}: unknown intent {name:?}; known: {}",
                            quoted(ctx.intents.iter().map(|i| i.0.as_str()))
                        ),
                    );
                    continue;
                }
            },
            None => Mix::new(
                &ctx.intents
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (i, x.1))
                    .collect::<Vec<_>>(),
            ),
        };
        let language = intern(&mut parts.languages, "default");
        let tier = intern(&mut parts.tiers, "standard");
        parts.sources.push(Source {
            name: format!(
                "trace/{region_name}/{channel_name}{}",
                intent.map(|i| format!("/{i}")).unwrap_or_default()
            ),
            region,
            channel,
            rate: RateProfile {
                slot_s: interval_s,
                rates_per_s: rates,
                start_offset_s: 0.0,
            },
            intent_mix,
            language_mix: Mix::single(language),
            tier_mix: Mix::single(tier),
        });
    }
}

/// Row problems listed one by one; beyond this, one line counts the rest.
const MAX_ROW_ISSUES: usize = 50;

/// A finer interval to suggest when rows are off the inferred grid: the
/// largest of the usual ones (1, 5, 10, 15, 30 minutes, 1 hour) below it.
fn finer_hint(interval_s: f64) -> &'static str {
    [
        (3600.0, "1h"),
        (1800.0, "30m"),
        (900.0, "15m"),
        (600.0, "10m"),
        (300.0, "5m"),
    ]
    .iter()
    .find(|(s, _)| *s < interval_s)
    .map_or("1m", |(_, name)| *name)
}

/// The trace's interval, inferred from its starts: the most common gap
/// between consecutive distinct starts of one series (region, channel,
/// intent), counted over all series; a tie goes to the smaller gap. Missing
/// rows and closed hours make some gaps longer, never shorter, so the most
/// common gap is the grid. A row off that grid (a second, or whole minutes,
/// off) is then reported by the alignment check with its line: it never
/// makes the grid finer, which would squeeze every row's contacts into a
/// shorter interval. When no series has two starts, the gaps between all
/// distinct starts are used; 15 minutes for a single start.
///
/// The same rule as `cxsim forecast`'s history reader, so a file reads on
/// the same grid in both.
pub(super) fn infer_interval(rows: &[TraceRow]) -> Result<f64, String> {
    let mut by_series: BTreeMap<SeriesKey, Vec<NaiveDateTime>> = BTreeMap::new();
    for row in rows {
        let region = row.region.clone().unwrap_or_else(|| "default".into());
        by_series
            .entry((region, row.channel.clone(), row.intent.clone()))
            .or_default()
            .push(row.start);
    }
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    fn count_gaps(counts: &mut BTreeMap<i64, usize>, starts: &mut Vec<NaiveDateTime>) {
        starts.sort_unstable();
        starts.dedup();
        for w in starts.windows(2) {
            *counts.entry((w[1] - w[0]).num_seconds()).or_default() += 1;
        }
    }
    for starts in by_series.values_mut() {
        count_gaps(&mut counts, starts);
    }
    if counts.is_empty() {
        count_gaps(&mut counts, &mut rows.iter().map(|r| r.start).collect());
    }
    // BTreeMap order: on a tie `max_by` keeps the later, so compare reversed gaps.
    let Some((&common, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) else {
        return Ok(900.0);
    };
    if common >= MIN_TRACE_INTERVAL_S as i64 && (DAY_S as i64) % common == 0 {
        Ok(common as f64)
    } else {
        Err(format!(
            "cannot infer the trace interval: the most common gap between a series' consecutive interval starts is {common} s; allowed: an interval of at least {MIN_TRACE_INTERVAL_S} s that divides a day (e.g. 5, 15, 30 or 60 minutes), or declare it with demand.trace_interval (e.g. \"15m\")"
        ))
    }
}
