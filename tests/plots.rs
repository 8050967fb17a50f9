//! The plots in `docs/plots`, which the rustdoc pages and the README show, are the
//! ones `actdiff plot --docs` draws from today's built-ins.

use actdiff_cli::plot::{docs_svgs, DOCS_COMMAND};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

/// The plots drawn now, once for all the tests.
fn fresh() -> &'static [(String, String)] {
    static PLOTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PLOTS.get_or_init(|| docs_svgs().expect("every built-in draws"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_plots_are_up_to_date() {
    let dir = root().join("docs/plots");
    let fresh = fresh();
    let mut stale: Vec<String> = fresh
        .iter()
        .filter(|(name, svg)| fs::read_to_string(dir.join(name)).ok().as_ref() != Some(svg))
        .map(|(name, _)| name.clone())
        .collect();
    // A plot no built-in draws any more is stale too.
    for entry in fs::read_dir(&dir).expect("docs/plots exists") {
        let name = entry
            .expect("readable")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !fresh.iter().any(|(n, _)| *n == name) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "plots in docs/plots differ from what the built-ins draw now: {stale:?}\n\
         regenerate them with: {DOCS_COMMAND}"
    );
}

#[test]
fn drawing_is_deterministic() {
    assert!(docs_svgs().expect("draws again") == fresh());
}

#[test]
fn every_plot_is_shown_in_rustdoc_and_the_readme() {
    let builtins = fs::read_to_string(root().join("crates/actdiff/src/builtins.rs"))
        .expect("builtins.rs is readable");
    let readme = fs::read_to_string(root().join("README.md")).expect("README is readable");
    for (name, svg) in fresh() {
        let attr = format!("#[doc = include_str!(\"../../../docs/plots/{name}\")]");
        assert!(builtins.contains(&attr), "builtins.rs lacks `{attr}`");
        assert!(
            readme.contains(&format!("(docs/plots/{name})")),
            "the README's Plots section lacks docs/plots/{name}"
        );
        // Inline SVG in rustdoc is an HTML block, which a blank line would end early.
        assert!(svg.starts_with("<svg ") && !svg.contains("\n\n"), "{name}");
    }
}
