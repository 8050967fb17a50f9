//! Nearest-name suggestions for diagnostics (`did you mean 'tanh'?`).

/// Edit distance counting insertions, deletions, substitutions and swaps of two
/// neighbouring letters (the commonest typo: `tahn` for `tanh`).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a likely typo
/// (at most a third of the name's length, and at least one edit allowed, but never
/// every letter: `y` is not a typo of `x`).
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .map(|c| (distance(name, c), c))
        .filter(|&(d, _)| d <= limit && d < len)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["tanh", "exp", "softplus", "sigmoid"];
        assert_eq!(did_you_mean("tahn", names.into_iter()), Some("tanh"));
        assert_eq!(
            did_you_mean("softpuls", names.into_iter()),
            Some("softplus")
        );
        assert_eq!(did_you_mean("banana", names.into_iter()), None);
        assert_eq!(did_you_mean("y", ["x", "a"].into_iter()), None);
        assert_eq!(did_you_mean("xs", ["x", "a"].into_iter()), Some("x"));
        assert_eq!(did_you_mean("ab", ["ba"].into_iter()), Some("ba"));
    }
}
