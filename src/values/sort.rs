//! Sorting. Each element type (and comparator) handed to `slice::sort*` is one more 3–10 KB copy
//! of the standard library's sort code in the WebAssembly module, so the crate's sorts go through
//! these two (and `sort_unstable` of `usize` positions, a single copy however often it is called).

use std::cmp::Ordering;

/// Sorts strings by their bytes (stable or not: equal strings are indistinguishable).
#[inline(never)]
pub fn sort_strs(items: &mut [&str]) {
    items.sort_unstable();
}

/// The permutation that sorts the indices `0..len` by `compare`, equal elements in index order
/// (a stable sort): `order[k]` is the index of the k-th element in sorted order. A plain merge
/// sort, a few hundred bytes where `slice::sort_by` with this comparator would be 10 KB.
pub fn sorted_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut scratch = order.clone();
    merge_sort(&mut order, &mut scratch, compare);
    order
}

fn merge_sort(items: &mut [usize], scratch: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let middle = items.len() / 2;
    merge_sort(&mut items[..middle], &mut scratch[..middle], compare);
    merge_sort(&mut items[middle..], &mut scratch[middle..], compare);
    scratch.copy_from_slice(items);
    let (left, right) = scratch.split_at(middle);
    let (mut i, mut j) = (0, 0);
    for slot in items.iter_mut() {
        // Take from the left run unless the right one's next element is strictly smaller.
        if j == right.len() || (i < left.len() && compare(left[i], right[j]) != Ordering::Greater) {
            *slot = left[i];
            i += 1;
        } else {
            *slot = right[j];
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_order_is_a_stable_sort() {
        // Pseudo-random keys with many ties, every length up to 100.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..100 {
            let keys: Vec<u64> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed % 7
                })
                .collect();
            let mut expected: Vec<usize> = (0..len).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(sorted_order(len, &|a, b| keys[a].cmp(&keys[b])), expected, "{keys:?}");
        }
    }

    #[test]
    fn sort_strs_sorts_by_bytes() {
        let mut items = vec!["b", "a\u{0}", "", "a", "é", "B", "a"];
        sort_strs(&mut items);
        assert_eq!(items, ["", "B", "a", "a", "a\u{0}", "b", "é"]);
    }
}
