//! Duration strings with units: `"20s"`, `"4m30s"`, `"1.5h"`, `"7d"`, `"250ms"`.

/// Units accepted in duration strings, longest suffix first so `ms` wins over `m`.
const UNITS: [(&str, f64); 6] = [
    ("ms", 0.001),
    ("s", 1.0),
    ("m", 60.0),
    ("h", 3600.0),
    ("d", 86_400.0),
    ("w", 604_800.0),
];

/// What a duration string may look like, for error messages.
pub const DURATION_HELP: &str =
    "a duration string such as \"20s\", \"4m30s\", \"1.5h\", \"7d\" (units ms, s, m, h, d, w)";

/// Parses a duration string into seconds. Returns `None` when the text is not a
/// well-formed, finite, non-negative duration.
pub fn parse_duration_s(text: &str) -> Option<f64> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        let value: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let (unit, scale) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        rest = &rest[unit.len()..];
        total += value * scale;
    }
    total.is_finite().then_some(total)
}

/// Formats seconds compactly for humans (`"3m"`, `"1h30m"`, `"20s"`, `"2.5s"`).
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return format!("{seconds}s");
    }
    if seconds.fract() != 0.0 || seconds < 1.0 {
        return format!("{seconds}s");
    }
    let mut rest = seconds as u64;
    let mut out = String::new();
    for (unit, scale) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= scale {
            out.push_str(&format!("{}{unit}", rest / scale));
            rest %= scale;
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_compound_units() {
        assert_eq!(parse_duration_s("20s"), Some(20.0));
        assert_eq!(parse_duration_s("4m30s"), Some(270.0));
        assert_eq!(parse_duration_s("9h"), Some(32_400.0));
        assert_eq!(parse_duration_s("7d"), Some(604_800.0));
        assert_eq!(parse_duration_s("1.5h"), Some(5400.0));
        assert_eq!(parse_duration_s("250ms"), Some(0.25));
        assert_eq!(parse_duration_s("1w"), Some(604_800.0));
        assert_eq!(parse_duration_s("0s"), Some(0.0));
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "20", "s", "20x", "-5s", "3 m", "1..2s", "m5", "20sec"] {
            assert_eq!(parse_duration_s(bad), None, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in [20.0, 270.0, 5400.0, 604_800.0, 90_061.0] {
            assert_eq!(parse_duration_s(&format_duration(s)), Some(s));
        }
        assert_eq!(format_duration(180.0), "3m");
    }
}
