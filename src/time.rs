//! The wall clock, used only for the optional `timestamp` of a response. On
//! `wasm32-unknown-unknown` there is no clock in std: the npm build asks JavaScript's `Date`; the
//! Go module's build has no clock at all (the Go host writes the timestamp, see `go/`).

/// False in the one build without a clock (the Go module's), where `includeTimestamp` is refused
/// rather than ignored.
pub const HAS_CLOCK: bool = !cfg!(all(target_arch = "wasm32", feature = "cabi"));

/// The current UTC time as RFC 3339 (`2026-11-30T19:45:13Z`), where the platform has a clock.
pub fn now_rfc3339() -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        Some(format_rfc3339(seconds))
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "cabi")))]
    {
        Some(format_rfc3339((js_sys::Date::now() / 1000.0) as u64))
    }
    #[cfg(all(target_arch = "wasm32", feature = "cabi"))]
    {
        None
    }
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
#[cfg(not(all(target_arch = "wasm32", feature = "cabi")))]
pub fn format_rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3_600, (rest % 3_600) / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_known_instants() {
        assert_eq!(super::format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::format_rfc3339(1_796_067_913), "2026-11-30T19:45:13Z");
    }
}
