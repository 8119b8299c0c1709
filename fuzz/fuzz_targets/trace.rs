//! Fuzz the trace CSV parser: any UTF-8 text gives rows or a list of issues
//! with line numbers — never a panic — and accepted rows hold usable values.
#![no_main]

use cxsim::demand::trace::{MAX_TRACE_ROWS, parse_trace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Mirrors the scenario loader: traces must be UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_trace(text) {
        Ok(rows) => {
            assert!(rows.len() <= MAX_TRACE_ROWS);
            for row in &rows {
                assert!(row.line >= 2, "data rows start on line 2: {row:?}");
                assert!(row.contacts.is_finite() && row.contacts >= 0.0, "{row:?}");
                assert!(!row.channel.is_empty(), "{row:?}");
            }
        }
        Err(issues) => {
            assert!(!issues.is_empty(), "an error lists at least one issue");
            for issue in &issues {
                assert!(issue.line >= 1 && !issue.message.is_empty(), "{issue:?}");
            }
        }
    }
});
