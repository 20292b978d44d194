//! The design version bump after each pass (spec §5): lenient semver, patch + 1.

/// `0.1.0` → `0.1.1`; `v1.2` → `1.2.1`; `1.0.0-rc.1` → `1.0.0`; unparseable → `0.0.1`.
pub fn bump_version(version: &str) -> String {
    let trimmed = version.trim().trim_start_matches(['v', 'V']);
    let (core, pre_release) = match trimmed.split_once(['-', '+']) {
        Some((core, rest)) => (core, trimmed[core.len()..].starts_with('-') && !rest.is_empty()),
        None => (trimmed, false),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let parsed: Option<Vec<u64>> =
        if (1..=3).contains(&parts.len()) { parts.iter().map(|p| p.parse::<u64>().ok()).collect() } else { None };
    let Some(mut numbers) = parsed else { return "0.0.1".into() };
    numbers.resize(3, 0);
    if !pre_release {
        numbers[2] = numbers[2].saturating_add(1);
    }
    format!("{}.{}.{}", numbers[0], numbers[1], numbers[2])
}

#[cfg(test)]
mod tests {
    use super::bump_version;

    #[test]
    fn bumps_patch_leniently() {
        assert_eq!(bump_version("0.1.0"), "0.1.1");
        assert_eq!(bump_version("v1.2"), "1.2.1");
        assert_eq!(bump_version("1.0.0-rc.1"), "1.0.0");
        assert_eq!(bump_version("1.0.0+build"), "1.0.1");
        assert_eq!(bump_version(""), "0.0.1");
        assert_eq!(bump_version("nonsense"), "0.0.1");
    }
}
