//! A network that learns with actdiff: a small multilayer perceptron (4-16-16-3, Adam,
//! softmax cross-entropy, plain `Vec<f32>` matrices) learns Fisher's Iris data
//! (`data/iris.csv`) once with each of ReLU, Leaky ReLU, PReLU (its `alpha` learned),
//! Mish and a learnable activation declared below with `activation!`. The hidden
//! activation's forward and backward passes are actdiff's slice kernels, and its
//! learned parameters come from `param_gradient_sum`.
//!
//! ```sh
//! cargo run --release --example train                  # 100 epochs, a line every 10
//! cargo run --release --example train -- --epochs 300 --every 25
//! cargo run --release --example train -- --quiet       # the summary only
//! ```
//!
//! Everything is deterministic: the split, the initialization and the batch order come
//! from fixed seeds, so two runs print the same figures.

mod mlp;

use actdiff::prelude::*;
use clap::Parser;
use mlp::{Config, EpochReport, Learnable, Split};
use std::process::ExitCode;
use std::time::Instant;

activation! {
    /// Parametric ELU (Trottier, Giguère and Chaib-draa, 2017): an ELU whose height `a`
    /// and width `b` are learned; the slope `a / b` above zero keeps the derivative
    /// continuous at 0.
    pub Pelu(x; learn a = 1, learn b = 1) = if x >= 0 { a / b * x } else { a * expm1(x / b) };
}

/// Trains a small network on Iris with several actdiff activations.
#[derive(Parser)]
#[command(about = "Trains a small network on Fisher's Iris data with several actdiff activations")]
struct Args {
    /// Passes over the training set
    #[arg(long, default_value_t = Config::default().epochs, value_parser = positive)]
    epochs: usize,
    /// Hidden layer widths, comma-separated (32,32)
    #[arg(long, value_delimiter = ',', default_values_t = Config::default().hidden, value_parser = positive)]
    hidden: Vec<usize>,
    /// Adam's step size
    #[arg(long, default_value_t = Config::default().learning_rate)]
    lr: f32,
    /// Rows per gradient step
    #[arg(long, default_value_t = Config::default().batch_size, value_parser = positive)]
    batch_size: usize,
    /// Print a line every this many epochs
    #[arg(long, default_value_t = 10, value_parser = positive)]
    every: usize,
    /// Print only the summary
    #[arg(long)]
    quiet: bool,
    /// Seed of the train/test split
    #[arg(long, default_value_t = 2026)]
    split_seed: u64,
    /// Seed of the weight initialization and the batch order
    #[arg(long, default_value_t = Config::default().seed)]
    seed: u64,
}

/// A count of at least 1, for the flags where 0 makes no sense.
fn positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// What one training run ended with.
struct Outcome {
    name: String,
    test_accuracy: f32,
    test_loss: f32,
    learned: String,
    seconds: f64,
}

/// Rows in the test set per class: 10 of 50, a 120/30 split.
const TEST_PER_CLASS: usize = 10;

/// The accuracy the example promises on Iris's test set.
const TARGET_ACCURACY: f32 = 0.95;

fn main() -> ExitCode {
    let args = Args::parse();
    let data = match mlp::iris() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut split =
        mlp::stratified_split(&data, TEST_PER_CLASS, &mut mlp::Rng::new(args.split_seed));
    mlp::standardize(&mut split);
    let config = Config {
        hidden: args.hidden.clone(),
        epochs: args.epochs,
        batch_size: args.batch_size,
        learning_rate: args.lr,
        seed: args.seed,
    };
    let widths: Vec<String> = std::iter::once(data.n_features)
        .chain(config.hidden.iter().copied())
        .chain([data.class_names.len()])
        .map(|w| w.to_string())
        .collect();
    println!(
        "Iris: {} training rows, {} test rows; network {}, Adam lr {}, batch {}, {} epochs",
        split.train.len(),
        split.test.len(),
        widths.join("-"),
        config.learning_rate,
        config.batch_size,
        config.epochs
    );
    let outcomes = vec![
        run("relu", Relu, &split, &config, &args),
        run("leaky_relu", LeakyRelu::default(), &split, &config, &args),
        run("prelu", Prelu::default(), &split, &config, &args),
        run("mish", Mish, &split, &config, &args),
        run("pelu (custom)", Pelu::default(), &split, &config, &args),
    ];
    println!();
    println!(
        "{:<14} {:>9} {:>9} {:>7}  learned parameters (per hidden layer)",
        "activation", "test acc", "test loss", "time"
    );
    for o in &outcomes {
        let line = format!(
            "{:<14} {:>8.1}% {:>9.4} {:>6.2}s  {}",
            o.name,
            100.0 * o.test_accuracy,
            o.test_loss,
            o.seconds,
            o.learned
        );
        println!("{}", line.trim_end());
    }
    let below: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.test_accuracy < TARGET_ACCURACY)
        .map(|o| o.name.as_str())
        .collect();
    if below.is_empty() {
        println!(
            "every activation reached {:.0}% test accuracy",
            100.0 * TARGET_ACCURACY
        );
    } else {
        println!(
            "below {:.0}% test accuracy: {}",
            100.0 * TARGET_ACCURACY,
            below.join(", ")
        );
    }
    ExitCode::SUCCESS
}

/// Trains with `activation`, printing progress unless `--quiet`.
fn run<A: Learnable>(
    name: &str,
    activation: A,
    split: &Split,
    config: &Config,
    args: &Args,
) -> Outcome {
    if !args.quiet {
        println!();
        println!("== {name}: f(x) = {}", activation.info().formula);
    }
    let start = Instant::now();
    let mut last = None;
    mlp::train(activation, split, config, |r: &EpochReport| {
        let due =
            r.epoch.checked_rem(args.every) == Some(0) || r.epoch == 1 || r.epoch == config.epochs;
        if !args.quiet && due {
            println!(
                "epoch {:>4}  train loss {:.4} acc {:>5.1}%  test loss {:.4} acc {:>5.1}%{}",
                r.epoch,
                r.train_loss,
                100.0 * r.train_accuracy,
                r.test_loss,
                100.0 * r.test_accuracy,
                learned_text(&r.learned, " ")
            );
        }
        last = Some(r.clone());
    });
    let seconds = start.elapsed().as_secs_f64();
    let (test_accuracy, test_loss, learned) = match last {
        Some(r) => (r.test_accuracy, r.test_loss, learned_text(&r.learned, "")),
        None => (f32::NAN, f32::NAN, String::new()),
    };
    Outcome {
        name: name.to_string(),
        test_accuracy,
        test_loss,
        learned,
        seconds,
    }
}

/// The learned parameter values as `[0.2311] [0.1873]`, one bracket per hidden layer;
/// empty when the activation learns nothing.
fn learned_text(learned: &[Vec<f32>], lead: &str) -> String {
    if learned.iter().all(Vec::is_empty) {
        return String::new();
    }
    let layers: Vec<String> = learned
        .iter()
        .map(|l| {
            let values: Vec<String> = l.iter().map(|v| format!("{v:.4}")).collect();
            format!("[{}]", values.join(" "))
        })
        .collect();
    format!("{lead}{}", layers.join(" "))
}
