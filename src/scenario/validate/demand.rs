//! `[demand]`: constant streams, regions with arrival profiles, custom profiles
//! and historical traces, all turned into arrival [`Source`]s.

use super::checker::{Checker, quoted};
use crate::demand::builtin::{builtin, curve_for_channel};
use crate::demand::{DAY_S, Mix, RateProfile};
use crate::scenario::limits::{MAX_RATE_PER_HOUR, MAX_STREAMS, MAX_WEEKLY_VOLUME, MIN_CV};
use crate::scenario::raw::{RawDemand, RawIntraday, RawProfile, RawShares, RawSpecialDay};
use crate::scenario::{Channel, Region, ServiceLevel, Source};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

/// Everything demand contributes to the scenario.
pub struct DemandParts {
    pub regions: Vec<Region>,
    pub languages: Vec<String>,
    pub tiers: Vec<String>,
    pub sources: Vec<Source>,
}

/// Context the demand section needs from the rest of the scenario.
pub struct DemandContext<'a> {
    /// (name, share) of every `[[intent]]`; one implicit intent when none are given.
    pub intents: &'a [(String, f64)],
    pub start: Option<NaiveDate>,
    pub base_dir: &'a Path,
}

/// Index of `name` in `list`, appending it when new.
pub fn intern(list: &mut Vec<String>, name: &str) -> usize {
    if let Some(i) = list.iter().position(|n| n == name) {
        return i;
    }
    list.push(name.to_string());
    list.len() - 1
}

/// Index of the channel called `name`, adding it (with conventional defaults) when new.
pub fn channel_id(channels: &mut Vec<Channel>, name: &str) -> usize {
    if let Some(i) = channels.iter().position(|c| c.name == name) {
        return i;
    }
    channels.push(Channel {
        name: name.to_string(),
        patience: None,
        service_level: ServiceLevel::conventional(name),
        deferred: name == "email",
    });
    channels.len() - 1
}

struct Mixes<'a> {
    intent: Option<&'a RawShares>,
    language: Option<&'a RawShares>,
    value: Option<&'a RawShares>,
}

pub fn demand(
    ck: &mut Checker<'_>,
    raw: &RawDemand,
    channels: &mut Vec<Channel>,
    ctx: &DemandContext<'_>,
) -> DemandParts {
    let mut parts = DemandParts {
        regions: Vec::new(),
        languages: Vec::new(),
        tiers: Vec::new(),
        sources: Vec::new(),
    };
    if raw.stream.is_empty() && raw.region.is_empty() && raw.trace.is_none() {
        ck.fail(
            "demand",
            "no demand: add [[demand.stream]] (constant rate), [[demand.region]] (profiles) or demand.trace (CSV)".into(),
        );
    }
    for (i, rs) in raw.stream.iter().enumerate() {
        let path = format!("demand.stream[{i}]");
        let channel = channel_id(channels, &rs.channel);
        let rate_per_hour = if rs.rate_per_hour == 0.0 {
            0.0
        } else {
            ck.positive(
                &format!("{path}.rate_per_hour"),
                rs.rate_per_hour,
                MAX_RATE_PER_HOUR,
            )
        };
        let region = region_id(&mut parts.regions, "default");
        let mixes = Mixes {
            intent: rs.intent_mix.as_ref(),
            language: rs.language_mix.as_ref(),
            value: rs.value_mix.as_ref(),
        };
        let (intent_mix, language_mix, tier_mix) =
            attribute_mixes(ck, &path, &mixes, ctx, &mut parts);
        parts.sources.push(Source {
            name: rs
                .name
                .clone()
                .unwrap_or_else(|| format!("{}-{i}", rs.channel)),
            region,
            channel,
            rate: RateProfile::constant(rate_per_hour / 3600.0),
            intent_mix,
            language_mix,
            tier_mix,
        });
    }
    let profiles = custom_profiles(ck, &raw.profile);
    let start_weekday_s = ctx.start.map_or(0.0, |d| {
        f64::from(d.weekday().num_days_from_monday()) * DAY_S
    });
    for (i, rr) in raw.region.iter().enumerate() {
        let path = format!("demand.region[{i}]");
        if rr.name.trim().is_empty() {
            ck.fail(
                &format!("{path}.name"),
                "empty; give each region a name".into(),
            );
        }
        if parts.regions.iter().any(|r| r.name == rr.name) {
            ck.fail(
                &format!("{path}.name"),
                format!("duplicate region {:?}", rr.name),
            );
        }
        let weekly = match (rr.volume_per_week, rr.volume_per_day) {
            (Some(w), None) => {
                ck.positive(&format!("{path}.volume_per_week"), w, MAX_WEEKLY_VOLUME)
            }
            (None, Some(d)) => {
                7.0 * ck.positive(
                    &format!("{path}.volume_per_day"),
                    d,
                    MAX_WEEKLY_VOLUME / 7.0,
                )
            }
            _ => {
                ck.fail(
                    &path,
                    "give exactly one of volume_per_week or volume_per_day".into(),
                );
                1.0
            }
        };
        let day_cv = match rr.day_cv {
            Some(cv) => day_cv(ck, &format!("{path}.day_cv"), cv),
            None => 0.0,
        };
        let profile_name = rr.profile.as_deref().unwrap_or("metro");
        let custom = profiles.iter().find(|p| p.name == profile_name);
        if custom.is_none() && builtin(profile_name).is_none() {
            let mut known = vec!["metro", "tier2"];
            known.extend(profiles.iter().map(|p| p.name.as_str()));
            ck.fail(
                &format!("{path}.profile"),
                format!("unknown profile {profile_name:?}; known: {}", quoted(known)),
            );
        }
        let mut special = special_days(
            ck,
            &format!("{path}.special_days"),
            &rr.special_days,
            ctx.start,
        );
        if let Some(c) = custom {
            let base = profile_path(&raw.profile, profile_name);
            special.extend(special_days(
                ck,
                &format!("{base}.special_days"),
                &c.raw.special_days,
                ctx.start,
            ));
        }
        let region = region_id(&mut parts.regions, &rr.name);
        parts.regions[region].day_cv = day_cv;
        parts.regions[region].special_days = special;
        let channel_pairs = ck.shares(
            &format!("{path}.channel_mix"),
            &rr.channel_mix,
            "channel",
            "any channel name",
            |name| Some(channel_id(channels, name)),
        );
        let mixes = Mixes {
            intent: rr.intent_mix.as_ref(),
            language: rr.language_mix.as_ref(),
            value: rr.value_mix.as_ref(),
        };
        let (intent_mix, language_mix, tier_mix) =
            attribute_mixes(ck, &path, &mixes, ctx, &mut parts);
        let total_share: f64 = channel_pairs.iter().map(|p| p.1).sum();
        for &(channel, share) in &channel_pairs {
            let channel_name = channels[channel].name.clone();
            let volume = weekly * share / total_share.max(f64::MIN_POSITIVE);
            let rate = match custom {
                Some(c) => c.weekly_rates(&channel_name, volume),
                None => builtin(profile_name).map(|shape| {
                    weekly_rates(
                        curve_for_channel(shape, &channel_name),
                        &shape.weekday,
                        volume,
                    )
                }),
            };
            let Some((slot_s, rates_per_s)) = rate else {
                ck.fail(
                    &format!("{}.intraday", profile_path(&raw.profile, profile_name)),
                    format!(
                        "no intraday curve for channel {channel_name:?} and no `default` curve"
                    ),
                );
                continue;
            };
            let peak_per_hour = rates_per_s.iter().fold(0.0f64, |m, r| m.max(*r)) * 3600.0;
            // NaN counts as too high.
            if peak_per_hour.is_nan() || peak_per_hour > MAX_RATE_PER_HOUR {
                let key = if rr.volume_per_day.is_some() {
                    "volume_per_day"
                } else {
                    "volume_per_week"
                };
                ck.fail(
                    &format!("{path}.{key}"),
                    format!(
                        "channel {channel_name:?} peaks at {peak_per_hour} contacts per hour under profile {profile_name:?}; allowed: at most {MAX_RATE_PER_HOUR} per hour per stream"
                    ),
                );
                continue;
            }
            parts.sources.push(Source {
                name: format!("{}/{channel_name}", rr.name),
                region,
                channel,
                rate: RateProfile {
                    slot_s,
                    rates_per_s,
                    start_offset_s: start_weekday_s,
                },
                intent_mix: intent_mix.clone(),
                language_mix: language_mix.clone(),
                tier_mix: tier_mix.clone(),
            });
        }
    }
    if let Some(trace) = &raw.trace {
        super::trace::trace_sources(ck, raw, trace, channels, ctx, &mut parts);
    } else if let Some(cv) = raw.day_cv {
        ck.fail(
            "demand.day_cv",
            format!("got {cv} without demand.trace; allowed: only next to demand.trace (for [[demand.region]] give day_cv on each region)"),
        );
    }
    if parts.sources.len() > MAX_STREAMS {
        ck.fail(
            "demand",
            format!(
                "{} arrival sources; allowed: at most {MAX_STREAMS}",
                parts.sources.len()
            ),
        );
    }
    parts
}

/// A region's day-level CV: 0 (no over-dispersion) or within
/// [`MIN_CV`, 2]. The engine draws each day's factor from a gamma with shape
/// 1/cv² and scale cv², so a cv whose square underflows (or whose inverse
/// square overflows) would give an unusable distribution.
pub(super) fn day_cv(ck: &mut Checker<'_>, path: &str, cv: f64) -> f64 {
    let shape = 1.0 / (cv * cv);
    let usable =
        cv == 0.0 || ((MIN_CV..=2.0).contains(&cv) && shape.is_finite() && (cv * cv).is_normal());
    if usable {
        cv
    } else {
        ck.fail(
            path,
            format!(
                "got {}; allowed: 0 (no day-to-day variation) or between {MIN_CV:e} and 2",
                if cv != 0.0 && cv.abs() < 1e-4 {
                    format!("{cv:e}")
                } else {
                    format!("{cv}")
                }
            ),
        );
        0.0
    }
}

pub(super) fn region_id(regions: &mut Vec<Region>, name: &str) -> usize {
    if let Some(i) = regions.iter().position(|r| r.name == name) {
        return i;
    }
    regions.push(Region {
        name: name.to_string(),
        day_cv: 0.0,
        special_days: Vec::new(),
    });
    regions.len() - 1
}

fn attribute_mixes(
    ck: &mut Checker<'_>,
    path: &str,
    mixes: &Mixes<'_>,
    ctx: &DemandContext<'_>,
    parts: &mut DemandParts,
) -> (Mix, Mix, Mix) {
    let intent_names = quoted(ctx.intents.iter().map(|i| i.0.as_str()));
    let intent = match mixes.intent {
        Some(raw) => Mix::new(&ck.shares(
            &format!("{path}.intent_mix"),
            raw,
            "intent",
            &intent_names,
            |n| ctx.intents.iter().position(|i| i.0 == n),
        )),
        None => Mix::new(
            &ctx.intents
                .iter()
                .enumerate()
                .map(|(i, x)| (i, x.1))
                .collect::<Vec<_>>(),
        ),
    };
    let languages = &mut parts.languages;
    let language = match mixes.language {
        Some(raw) => Mix::new(&ck.shares(
            &format!("{path}.language_mix"),
            raw,
            "language",
            "any name",
            |n| Some(intern(languages, n)),
        )),
        None => Mix::single(intern(languages, "default")),
    };
    let tiers = &mut parts.tiers;
    let tier = match mixes.value {
        Some(raw) => Mix::new(&ck.shares(
            &format!("{path}.value_mix"),
            raw,
            "value tier",
            "any name",
            |n| Some(intern(tiers, n)),
        )),
        None => Mix::single(intern(tiers, "standard")),
    };
    // An empty mix (all shares invalid) falls back so validation can go on.
    let fix = |m: Mix| {
        if m.categories.is_empty() {
            Mix::single(0)
        } else {
            m
        }
    };
    (fix(intent), fix(language), fix(tier))
}

/// Weights are normalised by their sum: the sum must be a normal, finite
/// number, or every share would be 0 (a sum overflowing to infinity) or
/// blow up (a zero or subnormal sum).
fn weight_sum(weights: &[f64]) -> Result<f64, String> {
    let sum: f64 = weights.iter().sum();
    if sum.is_finite() && sum >= f64::MIN_POSITIVE {
        Ok(sum)
    } else if sum.is_finite() {
        Err(format!(
            "the weights sum to {sum}; allowed: a sum > 0 and at least {:e} (all zero or subnormal weights give no shape)",
            f64::MIN_POSITIVE
        ))
    } else {
        Err(format!(
            "the weights sum to {sum}; allowed: weights whose sum is finite (at most {:e}); only their ratios matter, so scale them down",
            f64::MAX
        ))
    }
}

/// Rates per slot over one week: `volume` split by weekday weights, then by the
/// intraday curve (both normalised).
fn weekly_rates(intraday: &[f64], weekday: &[f64; 7], volume: f64) -> (f64, Vec<f64>) {
    let slot_s = DAY_S / intraday.len() as f64;
    let day_total: f64 = intraday.iter().sum();
    let week_total: f64 = weekday.iter().sum();
    let mut rates = Vec::with_capacity(7 * intraday.len());
    for w in weekday {
        for p in intraday {
            rates.push(volume * (w / week_total) * (p / day_total) / slot_s);
        }
    }
    (slot_s, rates)
}

struct CustomProfile<'a> {
    name: String,
    raw: &'a RawProfile,
    curves: BTreeMap<String, Vec<f64>>,
    weekday: [f64; 7],
}

impl CustomProfile<'_> {
    fn weekly_rates(&self, channel: &str, volume: f64) -> Option<(f64, Vec<f64>)> {
        let curve = self
            .curves
            .get(channel)
            .or_else(|| self.curves.get("default"))?;
        Some(weekly_rates(curve, &self.weekday, volume))
    }
}

fn profile_path(raw: &[RawProfile], name: &str) -> String {
    let i = raw.iter().position(|p| p.name == name).unwrap_or(0);
    format!("demand.profile[{i}]")
}

fn custom_profiles<'a>(ck: &mut Checker<'_>, raw: &'a [RawProfile]) -> Vec<CustomProfile<'a>> {
    let mut out: Vec<CustomProfile<'a>> = Vec::new();
    for (i, rp) in raw.iter().enumerate() {
        let path = format!("demand.profile[{i}]");
        if builtin(&rp.name).is_some() || out.iter().any(|p| p.name == rp.name) {
            ck.fail(
                &format!("{path}.name"),
                format!(
                    "profile name {:?} is already taken (metro and tier2 are built in)",
                    rp.name
                ),
            );
        }
        let mut curves = BTreeMap::new();
        let listed: Vec<(String, &Vec<f64>)> = match &rp.intraday {
            RawIntraday::All(v) => vec![("default".to_string(), v)],
            RawIntraday::PerChannel(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        };
        for (key, points) in listed {
            let cpath = match &rp.intraday {
                RawIntraday::All(_) => format!("{path}.intraday"),
                RawIntraday::PerChannel(_) => format!("{path}.intraday.{key}"),
            };
            if ![24, 48, 96].contains(&points.len()) {
                ck.fail(&cpath, format!("{} points; allowed: 24, 48 or 96 per day (hourly, half-hourly, quarter-hourly)", points.len()));
                continue;
            }
            if let Some((j, bad)) = points
                .iter()
                .enumerate()
                .find(|(_, p)| !(p.is_finite() && **p >= 0.0))
            {
                ck.fail(
                    &format!("{cpath}[{j}]"),
                    format!("got {bad}; allowed: a finite weight >= 0"),
                );
                continue;
            }
            if let Err(why) = weight_sum(points) {
                ck.fail(&cpath, why);
                continue;
            }
            curves.insert(key, points.clone());
        }
        let mut weekday = [1.0; 7];
        if let Some(w) = &rp.weekday {
            if w.len() != 7 {
                ck.fail(
                    &format!("{path}.weekday"),
                    format!("{} weights; allowed: exactly 7, Monday first", w.len()),
                );
            } else if let Some((j, bad)) = w
                .iter()
                .enumerate()
                .find(|(_, p)| !(p.is_finite() && **p >= 0.0))
            {
                ck.fail(
                    &format!("{path}.weekday[{j}]"),
                    format!("got {bad}; allowed: a finite weight >= 0"),
                );
            } else if let Err(why) = weight_sum(w) {
                ck.fail(&format!("{path}.weekday"), why);
            } else {
                weekday.copy_from_slice(w);
            }
        }
        out.push(CustomProfile {
            name: rp.name.clone(),
            raw: rp,
            curves,
            weekday,
        });
    }
    out
}

fn special_days(
    ck: &mut Checker<'_>,
    path: &str,
    raw: &[RawSpecialDay],
    start: Option<NaiveDate>,
) -> Vec<(i64, f64)> {
    let mut out = Vec::new();
    for (i, sd) in raw.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let multiplier = ck.non_negative(&format!("{p}.multiplier"), sd.multiplier, 100.0);
        let Some(date) = ck.date(&format!("{p}.date"), &sd.date) else {
            continue;
        };
        match start {
            Some(start) => out.push(((date - start).num_days(), multiplier)),
            None => ck.fail(&format!("{p}.date"), "a dated special day needs simulation.start (the date the horizon starts), e.g. start = 2026-11-02".into()),
        }
    }
    out
}
