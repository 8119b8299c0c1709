//! The two built-in 24/7 arrival shapes, `metro` and `tier2`.
//!
//! **These are conventions, not measurements.** No published contact-centre
//! timing study for Indian metro or tier-2 cities was found (see
//! ../shared/DOMAIN.md, "Arrivals"). The shapes encode what is known or
//! commonly assumed, and are documented in docs/DEMAND.md:
//! - weekday voice peaks late morning (the public Brown et al. bank data, 1999,
//!   peak 10–11 h \[derived\]); metro voice 10–13 h \[convention\];
//! - digital (chat, messaging) peaks after dinner, 20–23 h in metros, following
//!   mobile data use that peaks after dinner to ≈ 01 h \[weak\];
//! - real night demand: nights are low but never zero (24/7 service);
//! - tier-2 starts later, carries relatively more voice and has a stronger
//!   weekend \[convention\];
//! - email arrives with office hours, flatter than voice.
//!
//! Each curve has 24 hourly weights (relative; normalised per day) and each
//! profile has 7 weekday weights, Monday first (relative; normalised per week).

/// Hourly shapes for one profile: voice, digital (chat/messaging), email.
pub struct BuiltinShape {
    /// Profile name as written in scenarios.
    pub name: &'static str,
    /// Hourly voice weights, 00–01 h first.
    pub voice: [f64; 24],
    /// Hourly chat and messaging weights.
    pub digital: [f64; 24],
    /// Hourly email weights.
    pub email: [f64; 24],
    /// Monday..Sunday weights.
    pub weekday: [f64; 7],
}

/// `metro`: business-hour voice peak, strong evening digital peak, real nights.
pub const METRO: BuiltinShape = BuiltinShape {
    name: "metro",
    voice: [
        1.2, 0.8, 0.6, 0.5, 0.5, 0.7, 1.3, 2.6, 4.6, 6.6, 7.9, 8.2, 7.8, 7.0, 6.6, 6.4, 6.1, 5.6,
        5.0, 4.4, 3.9, 3.4, 2.6, 1.8,
    ],
    digital: [
        2.6, 1.8, 1.1, 0.7, 0.5, 0.5, 0.8, 1.5, 2.6, 3.6, 4.4, 4.9, 5.1, 5.0, 4.9, 4.9, 5.0, 5.3,
        5.8, 6.5, 7.4, 7.9, 7.5, 5.2,
    ],
    email: [
        1.5, 1.0, 0.8, 0.6, 0.6, 0.8, 1.3, 2.4, 3.9, 5.2, 5.9, 6.0, 5.7, 5.4, 5.3, 5.2, 5.0, 4.8,
        4.4, 4.0, 3.6, 3.2, 2.6, 2.0,
    ],
    weekday: [1.10, 1.04, 1.00, 0.98, 1.00, 0.92, 0.80],
};

/// `tier2`: later start, a second evening voice hump, later digital peak,
/// stronger weekend.
pub const TIER2: BuiltinShape = BuiltinShape {
    name: "tier2",
    voice: [
        0.8, 0.5, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 3.0, 4.8, 6.6, 7.8, 8.2, 8.0, 7.4, 6.9, 6.6, 6.5,
        6.6, 6.2, 5.2, 3.9, 2.6, 1.5,
    ],
    digital: [
        3.0, 2.0, 1.2, 0.7, 0.5, 0.4, 0.6, 1.0, 1.8, 2.7, 3.5, 4.1, 4.5, 4.6, 4.6, 4.7, 4.9, 5.3,
        5.9, 6.7, 7.6, 8.3, 8.2, 6.4,
    ],
    email: [
        1.2, 0.8, 0.6, 0.5, 0.5, 0.6, 1.0, 1.8, 3.2, 4.6, 5.6, 6.0, 6.0, 5.8, 5.6, 5.4, 5.2, 5.0,
        4.8, 4.4, 4.0, 3.4, 2.6, 1.8,
    ],
    weekday: [1.02, 0.98, 0.96, 0.95, 0.97, 1.04, 1.08],
};

/// Looks up a built-in shape by name.
pub fn builtin(name: &str) -> Option<&'static BuiltinShape> {
    [&METRO, &TIER2].into_iter().find(|s| s.name == name)
}

/// Which hourly curve a channel follows in the built-in shapes.
pub fn curve_for_channel<'a>(shape: &'a BuiltinShape, channel: &str) -> &'a [f64; 24] {
    match channel {
        "voice" => &shape.voice,
        "email" => &shape.email,
        // chat, messaging and any other digital channel
        _ => &shape.digital,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argmax(xs: &[f64]) -> usize {
        (0..xs.len())
            .max_by(|&a, &b| xs[a].total_cmp(&xs[b]))
            .unwrap()
    }

    #[test]
    fn shapes_say_what_the_docs_say() {
        // metro voice peaks 10–13 h, digital 20–23 h; tier2 peaks later.
        assert!((10..13).contains(&argmax(&METRO.voice)));
        assert!((20..23).contains(&argmax(&METRO.digital)));
        assert!(argmax(&TIER2.voice) > argmax(&METRO.voice));
        assert!(argmax(&TIER2.digital) >= argmax(&METRO.digital));
        // real night demand: no zero hour
        for s in [&METRO, &TIER2] {
            for c in [&s.voice, &s.digital, &s.email] {
                assert!(c.iter().all(|&w| w > 0.0));
            }
        }
        // tier2 weekend is stronger relative to weekdays
        let weekend =
            |s: &BuiltinShape| (s.weekday[5] + s.weekday[6]) / s.weekday.iter().sum::<f64>();
        assert!(weekend(&TIER2) > weekend(&METRO));
    }
}
