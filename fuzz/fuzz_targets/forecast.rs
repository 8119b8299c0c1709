//! Fuzz the forecast history parser and checks (`forecast::parse_history`),
//! and the forecaster on what it accepts: any UTF-8 text gives a history or
//! an input error naming the file — never a panic — and a forecast of an
//! accepted history has finite, non-negative means inside their intervals.
#![no_main]

use cxsim::forecast::history::{ALLOWED_INTERVALS_MIN, MIN_HISTORY_DAYS};
use cxsim::forecast::{self, ForecastError, Options, SpecialDays, parse_history};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_history(Path::new("fuzz.csv"), text) {
        Ok(h) => {
            assert!(ALLOWED_INTERVALS_MIN.contains(&(h.interval_s / 60)));
            assert!(h.days >= MIN_HISTORY_DAYS);
            for s in &h.series {
                assert_eq!(s.values.len(), h.days * h.slots_per_day);
                assert!(
                    s.values
                        .iter()
                        .all(|v| v.is_nan() || (v.is_finite() && *v >= 0.0))
                );
            }
            // Keep each run fast: forecast only small grids.
            if h.series.len() * h.days * h.slots_per_day <= 200_000 {
                let f = forecast::forecast(
                    &h,
                    &SpecialDays::none(),
                    &Options {
                        horizon_s: 7 * 86_400,
                    },
                    None,
                );
                for s in &f.series {
                    for r in &s.rows {
                        assert!(r.mean.is_finite() && r.mean >= 0.0, "{r:?}");
                        assert!(r.lo <= r.hi, "{r:?}");
                    }
                }
            }
        }
        Err(ForecastError::Input { file, issues }) => {
            assert_eq!(file, Path::new("fuzz.csv"));
            assert!(!issues.is_empty());
            assert!(issues.iter().all(|i| !i.message.is_empty()));
        }
        Err(e) => panic!("parsing text cannot fail to read: {e}"),
    }
});
