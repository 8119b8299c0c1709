//! What every method knows at a forecast origin: the training days (all
//! before the origin — nothing at or after it is read), which intervals of
//! each weekday are open, which days are usable, day totals, weekday-specific
//! intraday shares and the multipliers of named special days.

use super::calendar::SpecialDays;
use super::history::{History, weekday};
use std::collections::BTreeMap;

/// Same-weekday days that decide whether an interval is open.
const MASK_WEEKS: usize = 8;
/// Same-weekday days whose intraday shape makes the shares: enough to make
/// the share noise small next to Poisson noise (≈ 1/12 of its variance).
const SHARE_WEEKS: usize = 12;
/// A day with fewer of its open intervals present is a gap, not a day.
const MIN_PRESENT: f64 = 0.8;
/// Days either side of a past special day whose same weekdays are its reference.
const SPECIAL_REFERENCE_DAYS: usize = 14;

/// A day below this share of the median of its weekday's previous normal
/// days (or above [`OUTLIER_HIGH`] times it) is treated as an
/// unlisted special day: a holiday missing from `--special-days`, an outage.
const OUTLIER_LOW: f64 = 0.4;
/// See [`OUTLIER_LOW`].
const OUTLIER_HIGH: f64 = 2.5;
/// Previous same weekdays whose median judges a day.
const OUTLIER_WEEKS: usize = 8;

/// Marks as unusable the days far from the median of the previous
/// [`OUTLIER_WEEKS`] usable days of their weekday (earlier days only, so the
/// judgement at an origin never depends on later data).
fn drop_outliers(usable: &mut [bool], totals: &[f64], weekday: impl Fn(usize) -> usize) {
    let mut previous: [Vec<f64>; 7] = Default::default();
    for d in 0..usable.len() {
        if !usable[d] {
            continue;
        }
        let w = weekday(d);
        let past = &mut previous[w];
        if past.len() >= 3 {
            let mut sorted = past.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            let t = totals[d];
            if median > 0.0 && (t < OUTLIER_LOW * median || t > OUTLIER_HIGH * median) {
                usable[d] = false;
                continue;
            }
        }
        past.push(totals[d]);
        if past.len() > OUTLIER_WEEKS {
            past.remove(0);
        }
    }
}

/// Training view of one series at one origin.
pub struct Context<'a> {
    /// The history.
    pub history: &'a History,
    /// Series index.
    pub series: usize,
    /// First day not used for training (the first forecast day).
    pub origin: usize,
    /// Open intervals per weekday (Monday = 0).
    pub mask: [Vec<bool>; 7],
    /// Per training day: a normal, sufficiently complete, open day.
    pub usable: Vec<bool>,
    /// Per training day: the sum of its present intervals.
    pub totals: Vec<f64>,
    /// Per weekday, intraday shares of the open intervals (sum 1).
    pub shares: [Vec<f64>; 7],
    specials: &'a SpecialDays,
    multipliers: BTreeMap<String, f64>,
}

impl<'a> Context<'a> {
    /// Builds the view of `series` trained on days before `origin`.
    pub fn new(
        history: &'a History,
        series: usize,
        specials: &'a SpecialDays,
        origin: usize,
    ) -> Self {
        let origin = origin.min(history.days);
        let slots = history.slots_per_day;
        let value = |d: usize, s: usize| history.value(series, d, s);
        let special = |d: usize| specials.name(history.date(d)).is_some();
        let wd = |d: usize| weekday(history.date(d));
        let mut mask: [Vec<bool>; 7] = Default::default();
        for (w, m) in mask.iter_mut().enumerate() {
            let days: Vec<usize> = (0..origin)
                .rev()
                .filter(|&d| wd(d) == w && !special(d))
                .take(MASK_WEEKS)
                .collect();
            *m = (0..slots)
                .map(|s| {
                    let present = days.iter().filter(|&&d| !value(d, s).is_nan()).count();
                    !days.is_empty() && present * 2 >= days.len()
                })
                .collect();
        }
        let open_count: Vec<usize> = mask
            .iter()
            .map(|m| m.iter().filter(|&&o| o).count())
            .collect();
        let mut usable = vec![false; origin];
        let mut totals = vec![0.0; origin];
        for d in 0..origin {
            let w = wd(d);
            let mut present_open = 0;
            let mut total = 0.0;
            let row = &history.series[series].values[d * slots..(d + 1) * slots];
            for (&v, &open) in row.iter().zip(&mask[w]) {
                if !v.is_nan() {
                    total += v;
                    present_open += usize::from(open);
                }
            }
            totals[d] = total;
            usable[d] = open_count[w] > 0
                && !special(d)
                && present_open as f64 >= MIN_PRESENT * open_count[w] as f64;
        }
        drop_outliers(&mut usable, &totals, wd);
        let mut shares: [Vec<f64>; 7] = Default::default();
        for (w, share) in shares.iter_mut().enumerate() {
            let mut sum = vec![0.0; slots];
            for d in (0..origin)
                .rev()
                .filter(|&d| usable[d] && wd(d) == w)
                .take(SHARE_WEEKS)
            {
                for (s, acc) in sum.iter_mut().enumerate() {
                    let v = value(d, s);
                    if mask[w][s] && !v.is_nan() {
                        *acc += v;
                    }
                }
            }
            let total: f64 = sum.iter().sum();
            *share = if total > 0.0 {
                sum.iter().map(|v| v / total).collect()
            } else if open_count[w] > 0 {
                // No volume seen yet: spread evenly over the open intervals.
                mask[w]
                    .iter()
                    .map(|&o| if o { 1.0 / open_count[w] as f64 } else { 0.0 })
                    .collect()
            } else {
                vec![0.0; slots]
            };
        }
        let mut ctx = Context {
            history,
            series,
            origin,
            mask,
            usable,
            totals,
            shares,
            specials,
            multipliers: BTreeMap::new(),
        };
        ctx.multipliers = ctx.past_multipliers();
        ctx
    }

    /// Weekday (Monday = 0) of grid day `day` (any day, also beyond the history).
    pub fn weekday(&self, day: usize) -> usize {
        weekday(self.history.date(day))
    }

    /// Whether weekday `w` has any open interval.
    pub fn open_weekday(&self, w: usize) -> bool {
        self.mask[w].iter().any(|&o| o)
    }

    /// The value of training day `day`, interval `slot` (`NaN` when absent).
    pub fn value(&self, day: usize, slot: usize) -> f64 {
        debug_assert!(day < self.origin, "no peeking past the origin");
        self.history.value(self.series, day, slot)
    }

    /// Usable training days of weekday `w`, most recent first.
    pub fn recent(&self, w: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.origin)
            .rev()
            .filter(move |&d| self.usable[d] && self.weekday(d) == w)
    }

    /// The multiplier of `day` when it is a special day: its name's mean
    /// ratio to a normal day in the training data, or 0 (closed) for a name
    /// not seen there. `None` for a normal day.
    pub fn special_multiplier(&self, day: usize) -> Option<f64> {
        let name = self.specials.name(self.history.date(day))?;
        Some(self.multipliers.get(name).copied().unwrap_or(0.0))
    }

    /// Interval means of a day of weekday `w` with daily total `total`.
    pub fn spread(&self, w: usize, total: f64) -> Vec<f64> {
        self.shares[w].iter().map(|p| p * total).collect()
    }

    /// Per name: mean over its past dates of the day total ÷ the mean total of
    /// usable same weekdays within two weeks either side (before the origin).
    fn past_multipliers(&self) -> BTreeMap<String, f64> {
        let mut ratios: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (date, name) in self.specials.iter() {
            if date < self.history.first_date {
                continue;
            }
            let day = (date - self.history.first_date).num_days() as usize;
            if day >= self.origin {
                continue;
            }
            let w = self.weekday(day);
            let lo = day.saturating_sub(SPECIAL_REFERENCE_DAYS);
            let hi = (day + SPECIAL_REFERENCE_DAYS).min(self.origin - 1);
            let refs: Vec<f64> = (lo..=hi)
                .filter(|&d| d != day && self.usable[d] && self.weekday(d) == w)
                .map(|d| self.totals[d])
                .collect();
            if refs.is_empty() {
                continue;
            }
            let reference = refs.iter().sum::<f64>() / refs.len() as f64;
            if reference > 0.0 {
                ratios
                    .entry(name.to_string())
                    .or_default()
                    .push(self.totals[day] / reference);
            }
        }
        ratios
            .into_iter()
            .map(|(n, r)| (n, r.iter().sum::<f64>() / r.len() as f64))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unlisted_low_day_is_dropped_and_a_level_shift_is_kept() {
        // One weekday: 100s, a holiday-like 20, then a lasting rise to 180.
        let totals = [100.0, 104.0, 98.0, 20.0, 101.0, 180.0, 182.0, 179.0];
        let mut usable = vec![true; totals.len()];
        drop_outliers(&mut usable, &totals, |_| 0);
        assert_eq!(usable, [true, true, true, false, true, true, true, true]);
    }
}
