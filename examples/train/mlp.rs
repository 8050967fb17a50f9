//! A small multilayer perceptron on plain `Vec<f32>` matrices, trained with Adam on a
//! softmax cross-entropy loss. The hidden activation is any actdiff activation: its
//! forward and backward passes are actdiff's slice kernels, and its `learn`
//! parameters (PReLU's `alpha`) are trained from `param_gradient_sum`.
//!
//! Shared by the example (`examples/train/main.rs`) and its test (`tests/train.rs`).

use actdiff::prelude::*;

/// Fisher's Iris data as shipped in the repository (provenance in `data/README.md`).
const IRIS_CSV: &str = include_str!("../../data/iris.csv");

/// A labelled data set: `features` holds `len()` rows of `n_features` values.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Row-major features.
    pub features: Vec<f32>,
    /// The class index of each row.
    pub labels: Vec<usize>,
    /// Values per row.
    pub n_features: usize,
    /// The name of each class, by index.
    pub class_names: Vec<String>,
}

impl Dataset {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Row `i`'s features.
    fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// The rows at `indices`, in that order.
    fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            features: indices.iter().flat_map(|&i| self.row(i)).copied().collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            n_features: self.n_features,
            class_names: self.class_names.clone(),
        }
    }
}

/// Fisher's Iris data, checked: 150 rows, 4 features, 50 rows of each of 3 classes.
pub fn iris() -> Result<Dataset, String> {
    let data = parse_csv(IRIS_CSV)?;
    let counts = class_counts(&data);
    if data.n_features != 4 || counts != [50, 50, 50] {
        return Err(format!(
            "iris.csv: expected 4 features and 50 rows per class, got {} features and {counts:?}",
            data.n_features
        ));
    }
    Ok(data)
}

/// Rows per class.
pub fn class_counts(data: &Dataset) -> Vec<usize> {
    let mut counts = vec![0; data.class_names.len()];
    for &c in &data.labels {
        counts[c] += 1;
    }
    counts
}

/// Parses scikit-learn's data set format: a header `rows,features,class names...`,
/// then `features` numbers and a class index per row.
pub fn parse_csv(text: &str) -> Result<Dataset, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or("empty data file")?;
    let header: Vec<&str> = header.split(',').map(str::trim).collect();
    let count = |i: usize, what: &str| -> Result<usize, String> {
        header
            .get(i)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("line 1: expected the number of {what}"))
    };
    let (rows, n_features) = (count(0, "rows")?, count(1, "features")?);
    let class_names: Vec<String> = header[2..].iter().map(|s| s.to_string()).collect();
    let mut data = Dataset {
        features: Vec::with_capacity(rows * n_features),
        labels: Vec::with_capacity(rows),
        n_features,
        class_names,
    };
    for (n, line) in lines {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != n_features + 1 {
            return Err(format!(
                "line {}: expected {} fields, got {}",
                n + 1,
                n_features + 1,
                fields.len()
            ));
        }
        for f in &fields[..n_features] {
            let v: f32 = f
                .parse()
                .map_err(|_| format!("line {}: `{f}` is not a number", n + 1))?;
            data.features.push(v);
        }
        let class: usize = fields[n_features]
            .parse()
            .ok()
            .filter(|&c| c < data.class_names.len())
            .ok_or_else(|| {
                format!(
                    "line {}: `{}` is not a class index",
                    n + 1,
                    fields[n_features]
                )
            })?;
        data.labels.push(class);
    }
    if data.len() != rows {
        return Err(format!("expected {rows} rows, got {}", data.len()));
    }
    Ok(data)
}

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and good enough to shuffle
/// and initialize; fixed seeds make every run identical.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[-1, 1)`, from the top 24 bits (exact in f32).
    fn symmetric(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            // The modulo bias is below 2^-58 for slices this small.
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A training set and a test set.
#[derive(Clone, Debug)]
pub struct Split {
    /// The rows the network learns from.
    pub train: Dataset,
    /// The rows it is measured on.
    pub test: Dataset,
}

/// A stratified split: `test_per_class` rows of each class, drawn at random, go to the
/// test set, the rest to the training set; both in shuffled order.
pub fn stratified_split(data: &Dataset, test_per_class: usize, rng: &mut Rng) -> Split {
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in 0..data.class_names.len() {
        let mut rows: Vec<usize> = (0..data.len())
            .filter(|&i| data.labels[i] == class)
            .collect();
        rng.shuffle(&mut rows);
        let k = test_per_class.min(rows.len());
        test.extend_from_slice(&rows[..k]);
        train.extend_from_slice(&rows[k..]);
    }
    rng.shuffle(&mut train);
    rng.shuffle(&mut test);
    Split {
        train: data.select(&train),
        test: data.select(&test),
    }
}

/// Scales every feature to mean 0 and standard deviation 1 with the training set's
/// statistics, applied to both sets (the test set must not inform the scaling).
pub fn standardize(split: &mut Split) {
    let (n, d) = (split.train.len(), split.train.n_features);
    for j in 0..d {
        let column = || (0..n).map(|i| split.train.features[i * d + j] as f64);
        let mean = column().sum::<f64>() / n as f64;
        let var = column().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        // A constant feature carries no information: centre it and leave its scale.
        let scale = if var > 0.0 { 1.0 / var.sqrt() } else { 1.0 };
        for set in [&mut split.train, &mut split.test] {
            for row in set.features.chunks_exact_mut(d) {
                row[j] = ((row[j] as f64 - mean) * scale) as f32;
            }
        }
    }
}

/// An activation the trainer can use: any actdiff activation, copied into each hidden
/// layer. Its `learn` parameters are read and written through `Activation::param` and
/// `Activation::set_param`, which every `activation!` type, `Builtin` and `Dynamic` have.
pub trait Learnable: Activation<f32> + Clone {}

impl<A: Activation<f32> + Clone> Learnable for A {}

/// The indices (declaration order) of an activation's `learn` parameters.
fn learned_indices<A: Activation<f32>>(act: &A) -> Vec<usize> {
    let params = act.info().params.iter();
    params
        .enumerate()
        .filter(|(_, p)| p.learn)
        .map(|(i, _)| i)
        .collect()
}

/// A fully connected layer's place in the network's flat parameter vector: an
/// `inputs × outputs` row-major weight matrix, then `outputs` biases.
#[derive(Clone, Copy, Debug)]
struct Layer {
    inputs: usize,
    outputs: usize,
    offset: usize,
}

impl Layer {
    fn weights(self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.inputs * self.outputs
    }

    fn biases(self) -> std::ops::Range<usize> {
        let start = self.offset + self.inputs * self.outputs;
        start..start + self.outputs
    }
}

/// A multilayer perceptron: dense layers with the activation `A` after each hidden
/// layer (one instance per layer, so each learns its own parameters, as one
/// `torch.nn.PReLU` module per layer would) and a softmax on the output.
#[derive(Clone, Debug)]
pub struct Mlp<A> {
    layers: Vec<Layer>,
    /// Weights and biases of every layer, back to back.
    params: Vec<f32>,
    /// The hidden layers' activations.
    pub activations: Vec<A>,
}

/// The loss of a batch and its gradient with respect to every trained value.
#[derive(Clone, Debug)]
pub struct Gradients {
    /// Mean cross-entropy over the batch.
    pub loss: f32,
    /// Correct predictions in the batch.
    pub correct: usize,
    /// `∂loss/∂` each weight and bias, laid out as the network's parameters.
    pub params: Vec<f32>,
    /// `∂loss/∂` each `learn` parameter: one list per hidden layer, in declaration order.
    pub learned: Vec<Vec<f32>>,
}

/// Intermediate values of a forward pass that the backward pass needs.
struct Forward {
    /// The input of each layer (the data, then each hidden activation's output).
    inputs: Vec<Vec<f32>>,
    /// Each hidden layer's pre-activation, the activation's input.
    pre: Vec<Vec<f32>>,
    /// Output-layer scores.
    logits: Vec<f32>,
}

impl<A: Learnable> Mlp<A> {
    /// A network with these layer widths (`[4, 16, 16, 3]`), Glorot-uniform weights,
    /// zero biases, and a copy of `activation` after each hidden layer.
    ///
    /// # Panics
    /// If `widths` has fewer than two entries or a zero.
    pub fn new(widths: &[usize], activation: A, rng: &mut Rng) -> Mlp<A> {
        assert!(
            widths.len() >= 2 && !widths.contains(&0),
            "a network needs an input and an output width, none of them 0"
        );
        let mut layers = Vec::new();
        let mut offset = 0;
        for w in widths.windows(2) {
            layers.push(Layer {
                inputs: w[0],
                outputs: w[1],
                offset,
            });
            offset += w[0] * w[1] + w[1];
        }
        let mut params = vec![0.0; offset];
        for l in &layers {
            let limit = (6.0 / (l.inputs + l.outputs) as f32).sqrt();
            for p in &mut params[l.weights()] {
                *p = limit * rng.symmetric();
            }
        }
        Mlp {
            activations: vec![activation; layers.len() - 1],
            layers,
            params,
        }
    }

    /// Number of weights and biases.
    pub fn param_count(&self) -> usize {
        self.params.len()
    }

    /// The `learn` parameter values of each hidden layer's activation.
    pub fn learned(&self) -> Vec<Vec<f32>> {
        let values = |a: &A| learned_indices(a).into_iter().map(|i| a.param(i)).collect();
        self.activations.iter().map(values).collect()
    }

    /// `input · W + b` for layer `k`, over `rows` rows.
    fn dense(&self, k: usize, input: &[f32], rows: usize) -> Vec<f32> {
        let l = self.layers[k];
        let (w, b) = (&self.params[l.weights()], &self.params[l.biases()]);
        let mut z = Vec::with_capacity(rows * l.outputs);
        for row in input.chunks_exact(l.inputs).take(rows) {
            let start = z.len();
            z.extend_from_slice(b);
            for (&v, wi) in row.iter().zip(w.chunks_exact(l.outputs)) {
                for (o, &wv) in z[start..].iter_mut().zip(wi) {
                    *o += v * wv;
                }
            }
        }
        z
    }

    /// Runs `rows` rows of `x` through the network.
    fn forward(&self, x: &[f32], rows: usize) -> Forward {
        let mut inputs = Vec::new();
        let mut pre = Vec::new();
        let mut input = x.to_vec();
        for (k, act) in self.activations.iter().enumerate() {
            let z = self.dense(k, &input, rows);
            let mut h = vec![0.0; z.len()];
            act.forward_slice(&z, &mut h);
            inputs.push(std::mem::replace(&mut input, h));
            pre.push(z);
        }
        let logits = self.dense(self.layers.len() - 1, &input, rows);
        inputs.push(input);
        Forward {
            inputs,
            pre,
            logits,
        }
    }

    /// The mean cross-entropy and number of correct predictions on `data`.
    pub fn evaluate(&self, data: &Dataset) -> (f32, usize) {
        let f = self.forward(&data.features, data.len());
        let classes = self.layers[self.layers.len() - 1].outputs;
        let (loss, correct, _) = softmax_cross_entropy(&f.logits, &data.labels, classes);
        (loss, correct)
    }

    /// The loss on `rows` rows of `x` with `labels`, and its gradient.
    pub fn gradients(&self, x: &[f32], labels: &[usize]) -> Gradients {
        let rows = labels.len();
        let f = self.forward(x, rows);
        let last = self.layers.len() - 1;
        let (loss, correct, mut grad_z) =
            softmax_cross_entropy(&f.logits, labels, self.layers[last].outputs);
        let mut params = vec![0.0; self.params.len()];
        let mut learned = vec![Vec::new(); last];
        for k in (0..=last).rev() {
            let l = self.layers[k];
            let input = &f.inputs[k];
            let w = &self.params[l.weights()];
            for r in 0..rows {
                let gz = &grad_z[r * l.outputs..(r + 1) * l.outputs];
                for (i, &v) in input[r * l.inputs..(r + 1) * l.inputs].iter().enumerate() {
                    let gw = &mut params[l.weights()][i * l.outputs..(i + 1) * l.outputs];
                    for (g, &d) in gw.iter_mut().zip(gz) {
                        *g += v * d;
                    }
                }
                for (g, &d) in params[l.biases()].iter_mut().zip(gz) {
                    *g += d;
                }
            }
            if k == 0 {
                break;
            }
            // ∂loss/∂(this layer's input) = grad_z · Wᵀ: the hidden activation's output.
            let mut grad_h = vec![0.0; rows * l.inputs];
            for r in 0..rows {
                let gz = &grad_z[r * l.outputs..(r + 1) * l.outputs];
                for (i, gh) in grad_h[r * l.inputs..(r + 1) * l.inputs]
                    .iter_mut()
                    .enumerate()
                {
                    let wi = &w[i * l.outputs..(i + 1) * l.outputs];
                    *gh = wi.iter().zip(gz).map(|(a, b)| a * b).sum();
                }
            }
            let act = &self.activations[k - 1];
            let z = &f.pre[k - 1];
            learned[k - 1] = learned_indices(act)
                .into_iter()
                .map(|p| act.param_gradient_sum(p, z, &grad_h))
                .collect();
            grad_z = vec![0.0; grad_h.len()];
            act.backward_slice(z, &grad_h, &mut grad_z);
        }
        Gradients {
            loss,
            correct,
            params,
            learned,
        }
    }
}

/// Mean softmax cross-entropy of `logits` (`labels.len()` rows of `classes`), the
/// number of rows whose largest score is the label, and `∂loss/∂logits`.
fn softmax_cross_entropy(
    logits: &[f32],
    labels: &[usize],
    classes: usize,
) -> (f32, usize, Vec<f32>) {
    let rows = labels.len() as f32;
    let mut loss = 0.0f64;
    let mut correct = 0;
    let mut grad = vec![0.0; logits.len()];
    for ((z, g), &y) in logits
        .chunks_exact(classes)
        .zip(grad.chunks_exact_mut(classes))
        .zip(labels)
    {
        // Subtracting the maximum keeps exp from overflowing.
        let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = z.iter().map(|v| (v - max).exp()).sum();
        loss += f64::from(sum.ln() + max - z[y]);
        correct += usize::from(argmax(z) == y);
        for (gi, v) in g.iter_mut().zip(z) {
            *gi = (v - max).exp() / sum / rows;
        }
        g[y] -= 1.0 / rows;
    }
    ((loss / f64::from(rows)) as f32, correct, grad)
}

/// The index of the largest value, the first at a tie.
fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Adam (Kingma and Ba, 2015) over a flat list of values.
#[derive(Clone, Debug)]
pub struct Adam {
    /// Step size.
    pub learning_rate: f32,
    m: Vec<f32>,
    v: Vec<f32>,
    steps: i32,
}

impl Adam {
    const BETA1: f32 = 0.9;
    const BETA2: f32 = 0.999;
    const EPSILON: f32 = 1e-8;

    /// An optimizer for `len` values.
    pub fn new(len: usize, learning_rate: f32) -> Adam {
        Adam {
            learning_rate,
            m: vec![0.0; len],
            v: vec![0.0; len],
            steps: 0,
        }
    }

    /// One step against `grads`.
    pub fn step<'a>(&mut self, values: impl IntoIterator<Item = &'a mut f32>, grads: &[f32]) {
        self.steps += 1;
        let c1 = 1.0 - Self::BETA1.powi(self.steps);
        let c2 = 1.0 - Self::BETA2.powi(self.steps);
        let state = self.m.iter_mut().zip(&mut self.v);
        for ((p, &g), (m, v)) in values.into_iter().zip(grads).zip(state) {
            *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * g;
            *v = Self::BETA2 * *v + (1.0 - Self::BETA2) * g * g;
            *p -= self.learning_rate * (*m / c1) / ((*v / c2).sqrt() + Self::EPSILON);
        }
    }
}

/// Hyperparameters of a training run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Hidden layer widths.
    pub hidden: Vec<usize>,
    /// Passes over the training set.
    pub epochs: usize,
    /// Rows per gradient step; at least 1.
    pub batch_size: usize,
    /// Adam's step size, for the weights and the activation's parameters alike.
    pub learning_rate: f32,
    /// Seed of the weight initialization and the batch order.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            hidden: vec![16, 16],
            epochs: 100,
            batch_size: 16,
            learning_rate: 0.003,
            seed: 7,
        }
    }
}

/// Where training stands after an epoch.
#[derive(Clone, Debug)]
pub struct EpochReport {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches, weighted by batch size.
    pub train_loss: f32,
    /// Training accuracy over the epoch's batches.
    pub train_accuracy: f32,
    /// Loss on the test set after the epoch.
    pub test_loss: f32,
    /// Accuracy on the test set after the epoch.
    pub test_accuracy: f32,
    /// The `learn` parameter values of each hidden layer's activation.
    pub learned: Vec<Vec<f32>>,
}

/// Trains a fresh network with `activation` on `split.train`, calling `report` after
/// every epoch; returns the network.
///
/// # Panics
/// If `config.batch_size` is 0 or a hidden width is 0.
pub fn train<A: Learnable>(
    activation: A,
    split: &Split,
    config: &Config,
    mut report: impl FnMut(&EpochReport),
) -> Mlp<A> {
    let mut rng = Rng::new(config.seed);
    let data = &split.train;
    let mut widths = vec![data.n_features];
    widths.extend_from_slice(&config.hidden);
    widths.push(data.class_names.len());
    let mut net = Mlp::new(&widths, activation, &mut rng);
    let learned_count: usize = net.learned().iter().map(Vec::len).sum();
    let mut adam = Adam::new(net.param_count(), config.learning_rate);
    let mut adam_learned = Adam::new(learned_count, config.learning_rate);
    let mut order: Vec<usize> = (0..data.len()).collect();
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        let (mut loss, mut correct) = (0.0f64, 0);
        for batch in order.chunks(config.batch_size) {
            let b = data.select(batch);
            let g = net.gradients(&b.features, &b.labels);
            loss += f64::from(g.loss) * batch.len() as f64;
            correct += g.correct;
            adam.step(&mut net.params, &g.params);
            let mut learned = net.learned().concat();
            adam_learned.step(learned.iter_mut(), &g.learned.concat());
            let mut stepped = learned.into_iter();
            for a in &mut net.activations {
                for (i, v) in learned_indices(a).into_iter().zip(&mut stepped) {
                    // A step that would break one of the definition's `where`
                    // constraints is refused and the parameter keeps its value.
                    let _ = a.set_param(i, v);
                }
            }
        }
        let (test_loss, test_correct) = net.evaluate(&split.test);
        report(&EpochReport {
            epoch,
            train_loss: (loss / data.len() as f64) as f32,
            train_accuracy: correct as f32 / data.len() as f32,
            test_loss,
            test_accuracy: test_correct as f32 / split.test.len() as f32,
            learned: net.learned(),
        });
    }
    net
}
