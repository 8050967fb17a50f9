//! `actdiff plot`: `f`, `f'`, `f''` (and the parameter gradients) of an activation
//! over a range, drawn with plotters as SVG or PNG; and the small plots of every
//! built-in in `docs/plots`, which the rustdoc pages and the README show.
//!
//! Text is measured (and, in PNG, drawn) with an embedded subset of DejaVu Sans, so
//! a plot is the same on every machine whatever fonts it has: the SVG of a built-in
//! is byte-for-byte reproducible, which the staleness test of `docs/plots` relies on.

use crate::png;
use crate::target::Target;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;
use std::sync::OnceLock;

/// The command that regenerates `docs/plots`.
pub const DOCS_COMMAND: &str = "cargo run --release -- plot --docs docs/plots";

/// The size of the documentation plots, in pixels.
pub const DOCS_SIZE: (u32, u32) = (480, 300);

/// What to draw and how large.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The x range; `None` chooses `[-4, 4]`, widened to show the branch points
    /// within ±10.
    pub range: Option<(f64, f64)>,
    /// Which derivatives: 0 is `f`, 1 is `f'`, 2 is `f''`.
    pub orders: Vec<u32>,
    /// Whether to draw `∂f/∂p` for each parameter too.
    pub params: bool,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// Points sampled across the range (the branch points are added to them).
    pub samples: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            range: None,
            orders: vec![0, 1, 2],
            params: false,
            size: (800, 500),
            samples: 240,
        }
    }
}

/// The default range: `[-4, 4]`, widened by 1 past any branch point within ±10.
fn auto_range(target: &Target) -> (f64, f64) {
    let (mut lo, mut hi) = (-4.0f64, 4.0f64);
    for b in target.branch_points(-10.0, 10.0) {
        lo = lo.min(b - 1.0);
        hi = hi.max(b + 1.0);
    }
    (lo, hi)
}

/// The colors of the curves, in order (matplotlib's first four, which stay apart
/// for the common kinds of color blindness).
const COLORS: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
];

/// One curve: its legend label and its points.
struct Curve {
    label: String,
    points: Vec<(f64, f64)>,
}

/// Samples the curves `options` asks for.
fn curves(target: &Target, options: &Options, (lo, hi): (f64, f64)) -> Vec<Curve> {
    let n = options.samples.max(2);
    let mut xs: Vec<f64> = (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect();
    // Both sides of each branch point, so that a jump is drawn vertical.
    let eps = (hi - lo) * 1e-9;
    for b in target.branch_points(lo, hi) {
        xs.extend([b - eps, b, b + eps]);
    }
    xs.retain(|x| (lo..=hi).contains(x));
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let a = target.double();
    let mut out = Vec::new();
    let names = ["f(x)", "f'(x)", "f''(x)"];
    for &order in &options.orders {
        let Some(name) = names.get(order as usize) else {
            continue;
        };
        let points = xs
            .iter()
            .map(|&x| {
                let y = match order {
                    0 => a.forward(x),
                    1 => a.derivative(x),
                    _ => a.second_derivative(x),
                };
                (x, y)
            })
            .collect();
        out.push(Curve {
            label: name.to_string(),
            points,
        });
    }
    if options.params {
        for (i, p) in a.info().params.iter().enumerate() {
            let points = xs.iter().map(|&x| (x, a.param_derivative(i, x))).collect();
            out.push(Curve {
                label: format!("∂f/∂{}", p.name),
                points,
            });
        }
    }
    out
}

/// The y range of the finite values, padded by 8%.
fn y_range(curves: &[Curve]) -> Result<(f64, f64), String> {
    let ys = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite());
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    if lo > hi {
        return Err("nothing to draw: no finite value in the range".to_string());
    }
    let pad = if hi > lo { (hi - lo) * 0.08 } else { 1.0 };
    Ok((lo - pad, hi + pad))
}

/// Registers the embedded font as plotters' `sans-serif`, once.
fn register_embedded_font() -> Result<(), String> {
    static FONT: &[u8] = include_bytes!("font/DejaVuSans-subset.ttf");
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok =
        *REGISTERED.get_or_init(|| register_font("sans-serif", FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err("the embedded font did not load".to_string())
    }
}

/// Draws the chart onto `area`, which is `scale` times `options.size` (every length
/// in pixels is multiplied by `scale`).
fn draw<DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    target: &Target,
    options: &Options,
    scale: u32,
) -> Result<(), String> {
    register_embedded_font()?;
    let (lo, hi) = match options.range {
        Some(r) => r,
        None => auto_range(target),
    };
    // A width that overflows (`-1e308..1e308`) would leave the samples and ticks
    // without a step.
    if !(lo < hi && (hi - lo).is_finite()) {
        return Err(format!("the range {lo}..{hi} is empty or not finite"));
    }
    let curves = curves(target, options, (lo, hi));
    let (ylo, yhi) = y_range(&curves)?;
    let small = options.size.0 < 640;
    let px = |n: u32| n * scale;
    let (text, caption_size) = if small {
        (px(12), px(15))
    } else {
        (px(15), px(20))
    };
    let error = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&WHITE).map_err(error)?;
    let formula = &target.info().formula;
    let caption = if formula.len() + target.label().len() < 60 && !small {
        format!("{}: f(x) = {formula}", target.label())
    } else {
        target.label()
    };
    let mut chart = ChartBuilder::on(&area)
        .caption(caption, ("sans-serif", caption_size))
        .margin(px(if small { 8 } else { 14 }))
        .x_label_area_size(px(if small { 34 } else { 42 }))
        .y_label_area_size(px(if small { 44 } else { 60 }))
        .build_cartesian_2d(lo..hi, ylo..yhi)
        .map_err(error)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .label_style(("sans-serif", text))
        .axis_desc_style(("sans-serif", text))
        .max_light_lines(0)
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(px(1)))
        .axis_style(BLACK.stroke_width(px(1)))
        .set_all_tick_mark_size(px(5))
        .draw()
        .map_err(error)?;
    // The axes through the origin, where they are in view.
    let axis = BLACK.mix(0.55).stroke_width(px(1));
    if ylo < 0.0 && yhi > 0.0 {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, 0.0), (hi, 0.0)],
                axis,
            )))
            .map_err(error)?;
    }
    if lo < 0.0 && hi > 0.0 {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, ylo), (0.0, yhi)],
                axis,
            )))
            .map_err(error)?;
    }
    let width = px(if small { 2 } else { 3 });
    for (curve, color) in curves.iter().zip(COLORS.iter().cycle()) {
        let style = color.stroke_width(width);
        // A non-finite value breaks the curve rather than bending it off the chart.
        let segments = curve
            .points
            .split(|p| !p.1.is_finite())
            .filter(|s| !s.is_empty());
        let mut labelled = false;
        for segment in segments {
            let series = chart
                .draw_series(LineSeries::new(segment.iter().copied(), style))
                .map_err(error)?;
            if !labelled {
                series.label(curve.label.as_str()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + px(18) as i32, y)], style)
                });
                labelled = true;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", text))
        .margin(px(8))
        .legend_area_size(px(26))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4).stroke_width(px(1)))
        .draw()
        .map_err(error)?;
    area.present().map_err(error)?;
    Ok(())
}

/// The plot as an SVG document.
///
/// # Errors
/// An empty range, or nothing finite to draw.
pub fn svg(target: &Target, options: &Options) -> Result<String, String> {
    let mut out = String::new();
    draw(
        SVGBackend::with_string(&mut out, options.size).into_drawing_area(),
        target,
        options,
        1,
    )?;
    Ok(out)
}

/// How many pixels across one PNG pixel is drawn from: the bitmap backend does not
/// antialias, so the image is drawn this many times larger and averaged down.
const SUPERSAMPLE: u32 = 3;

/// The plot as a PNG file's bytes.
///
/// # Errors
/// An empty range, or nothing finite to draw.
pub fn png(target: &Target, options: &Options) -> Result<Vec<u8>, String> {
    let (w, h) = options.size;
    let k = SUPERSAMPLE;
    let (big_w, big_h) = (w * k, h * k);
    let mut big = vec![0u8; big_w as usize * big_h as usize * 3];
    draw(
        BitMapBackend::with_buffer(&mut big, (big_w, big_h)).into_drawing_area(),
        target,
        options,
        k,
    )?;
    Ok(png::encode(
        w,
        h,
        &downsample(&big, big_w as usize, k as usize),
    ))
}

/// Averages each `k` × `k` block of an RGB image `width` pixels wide.
fn downsample(rgb: &[u8], width: usize, k: usize) -> Vec<u8> {
    let (w, h) = (width / k, rgb.len() / 3 / width / k);
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let sum: usize = (0..k * k)
                    .map(|i| rgb[((y * k + i / k) * width + x * k + i % k) * 3 + c] as usize)
                    .sum();
                out.push(((sum + k * k / 2) / (k * k)) as u8);
            }
        }
    }
    out
}

/// The documentation plot of every built-in: `f` and `f'` at [`DOCS_SIZE`], as
/// `(file name, SVG)`, the file named for the type in snake case (`leaky_relu.svg`).
///
/// # Errors
/// Only if a built-in had nothing finite to draw.
pub fn docs_svgs() -> Result<Vec<(String, String)>, String> {
    let options = Options {
        orders: vec![0, 1],
        size: DOCS_SIZE,
        samples: 240,
        ..Options::default()
    };
    Target::all_builtins()
        .iter()
        .map(|t| Ok((format!("{}.svg", t.stem()), svg(t, &options)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_averages_each_block() {
        // A 4 × 2 image of RGB pixels: two 2 × 2 blocks.
        let row0 = [0, 0, 0, 255, 255, 255, 10, 20, 30, 10, 20, 30];
        let row1 = [255, 255, 255, 255, 255, 255, 10, 20, 30, 10, 20, 31];
        let rgb: Vec<u8> = row0.iter().chain(&row1).copied().collect();
        assert_eq!(downsample(&rgb, 4, 2), [191, 191, 191, 10, 20, 30]);
    }
}
