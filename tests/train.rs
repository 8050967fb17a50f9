//! The training example's code (`examples/train/mlp.rs`, included, not copied): the
//! data, the split, a short training run whose loss must fall, and PReLU's `alpha`
//! gradient from `param_gradient_sum` against a finite difference of the loss.

#[path = "../examples/train/mlp.rs"]
mod mlp;

use actdiff::prelude::*;
use mlp::{Config, EpochReport, Learnable, Mlp, Rng, Split};

/// The example's 120/30 split, standardized.
fn split() -> Split {
    let data = mlp::iris().expect("data/iris.csv parses");
    let mut split = mlp::stratified_split(&data, 10, &mut Rng::new(2026));
    mlp::standardize(&mut split);
    split
}

/// A short run: every epoch's report.
fn short_run<A: Learnable>(activation: A, epochs: usize) -> Vec<EpochReport> {
    let config = Config {
        epochs,
        ..Config::default()
    };
    let mut reports = Vec::new();
    mlp::train(activation, &split(), &config, |r| reports.push(r.clone()));
    reports
}

#[test]
fn iris_has_150_rows_50_per_class() {
    let data = mlp::iris().expect("data/iris.csv parses");
    assert_eq!(data.len(), 150);
    assert_eq!(data.n_features, 4);
    assert_eq!(data.class_names, ["setosa", "versicolor", "virginica"]);
    assert_eq!(mlp::class_counts(&data), [50, 50, 50]);
    // Fisher's first flower, as in his paper.
    assert_eq!(data.features[..4], [5.1, 3.5, 1.4, 0.2]);
}

#[test]
fn malformed_data_is_an_error_naming_the_line() {
    let bad = "2,2,a,b\n1.0,2.0,0\n1.0,x,1\n";
    assert_eq!(
        mlp::parse_csv(bad).unwrap_err(),
        "line 3: `x` is not a number"
    );
    let bad_class = "1,1,a\n1.0,1\n";
    assert_eq!(
        mlp::parse_csv(bad_class).unwrap_err(),
        "line 2: `1` is not a class index"
    );
    assert_eq!(
        mlp::parse_csv("3,1,a\n1.0,0\n").unwrap_err(),
        "expected 3 rows, got 1"
    );
}

#[test]
fn split_is_stratified_and_standardized_from_the_training_rows() {
    let s = split();
    assert_eq!((s.train.len(), s.test.len()), (120, 30));
    assert_eq!(mlp::class_counts(&s.test), [10, 10, 10]);
    assert_eq!(mlp::class_counts(&s.train), [40, 40, 40]);
    for j in 0..4 {
        let col: Vec<f64> = s.train.features[j..]
            .iter()
            .step_by(4)
            .map(|&v| f64::from(v))
            .collect();
        let mean = col.iter().sum::<f64>() / 120.0;
        let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 120.0;
        assert!(mean.abs() < 1e-6, "feature {j}: mean {mean}");
        assert!((var - 1.0).abs() < 1e-5, "feature {j}: variance {var}");
    }
}

#[test]
fn short_training_lowers_the_loss_and_beats_chance() {
    let epochs = 15;
    for (name, reports) in [
        ("relu", short_run(Relu, epochs)),
        ("prelu", short_run(Prelu::default(), epochs)),
    ] {
        let numbers: Vec<usize> = reports.iter().map(|r| r.epoch).collect();
        assert_eq!(
            numbers,
            (1..=epochs).collect::<Vec<_>>(),
            "{name}: one report per epoch"
        );
        let (first, last) = (&reports[0], &reports[epochs - 1]);
        assert!(
            last.train_loss < 0.5 * first.train_loss,
            "{name}: train loss {} after epoch 1, {} after epoch {epochs}",
            first.train_loss,
            last.train_loss
        );
        assert!(
            last.test_loss < first.test_loss,
            "{name}: test loss {} after epoch 1, {} after epoch {epochs}",
            first.test_loss,
            last.test_loss
        );
        // Chance is 1/3 with three balanced classes; ask for twice that.
        assert!(
            last.test_accuracy > 2.0 / 3.0 && last.train_accuracy > 2.0 / 3.0,
            "{name}: accuracy train {}, test {}",
            last.train_accuracy,
            last.test_accuracy
        );
    }
}

#[test]
fn prelu_alpha_is_learned() {
    let reports = short_run(Prelu::default(), 5);
    let learned = &reports[reports.len() - 1].learned;
    assert_eq!(learned.len(), 2, "one alpha per hidden layer");
    for (layer, alpha) in learned.iter().enumerate() {
        assert_eq!(alpha.len(), 1);
        assert!(
            (alpha[0] - 0.25).abs() > 0.01,
            "layer {layer}: alpha stayed at {}",
            alpha[0]
        );
    }
}

#[test]
fn prelu_alpha_gradient_matches_a_finite_difference_of_the_loss() {
    let s = split();
    let mut net = Mlp::new(&[4, 16, 16, 3], Prelu::new(0.1), &mut Rng::new(3));
    // Different alphas per layer, so a gradient credited to the wrong layer shows.
    net.activations[1].alpha = 0.4;
    let (x, labels) = (&s.train.features[..32 * 4], &s.train.labels[..32]);
    let analytic = net.gradients(x, labels).learned;
    assert_eq!(analytic.len(), 2, "one alpha per hidden layer");
    for (layer, g) in analytic.iter().enumerate() {
        let g = g[0];
        let loss_at = |alpha: f32| {
            let mut probe = net.clone();
            probe.activations[layer].alpha = alpha;
            f64::from(probe.gradients(x, labels).loss)
        };
        // The loss is smooth in alpha except where a unit of a later PReLU layer
        // crosses its kink: h is small enough that none does on this batch (with
        // h = 1e-2 some do, and the difference is off by 1.5%), and large enough
        // that f32 rounding in the loss (about 1e-7 relative) stays below the
        // tolerance. Measured: agreement to 2e-5 (layer 0) and 1e-4 (layer 1).
        let h = 1e-3;
        let alpha = net.activations[layer].alpha;
        let numeric = (loss_at(alpha + h) - loss_at(alpha - h)) / (2.0 * f64::from(h));
        assert!(
            g.abs() > 1e-3,
            "layer {layer}: gradient {g} too small to test"
        );
        assert!(
            (f64::from(g) - numeric).abs() < 1e-3 * numeric.abs().max(1e-2),
            "layer {layer}: param_gradient_sum gives {g}, finite difference {numeric}"
        );
    }
}
