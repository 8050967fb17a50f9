//! The `actdiff` command-line tool. With no arguments it gives a tour of the
//! built-in activations; its subcommands show, differentiate, expand, plot and
//! check any built-in or definition, and measure the kernels' throughput.

mod tour;

use actdiff_cli::target::{as_definition, Target};
use actdiff_cli::{check, plot, throughput};
use actdiff_core::diff::differentiate_node;
use actdiff_core::print::to_dsl;
use actdiff_core::{compile_str, Node};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

/// Activation functions written as math, with derivatives generated at compile time.
#[derive(Parser)]
#[command(name = "actdiff", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Lists the built-ins with their formulas.
    List,
    /// Shows a built-in or a definition: formulas, derivatives, a value table.
    Show {
        /// A built-in's name (`gelu(approximate=tanh)`) or a definition
        /// (`"Swish(x; beta = 1) = x * sigmoid(beta * x)"`).
        target: String,
    },
    /// Differentiates an expression of `x`, or a definition, and prints the result.
    Diff {
        /// An expression of `x` (`"x * tanh(softplus(x))"`) or a definition.
        expression: String,
        /// How many times to differentiate.
        #[arg(long, default_value_t = 1)]
        order: u32,
        /// The variable: the input (default) or a parameter's name.
        #[arg(long)]
        wrt: Option<String>,
    },
    /// Prints the Rust that `activation!` generates for a definition.
    Expand {
        /// A definition, e.g. `"pub Relu(x) = max(0, x);"`.
        definition: String,
    },
    /// Draws f, f' and f'' over a range, as SVG or PNG.
    Plot {
        /// A built-in's name or a definition, as for `show`.
        #[arg(required_unless_present = "docs")]
        target: Option<String>,
        /// The file to write, `.svg` or `.png` [default: NAME.svg, NAME the activation's].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The x range, `a..b` [default: -4..4, widened to show the kinks within ±10].
        #[arg(long, allow_hyphen_values = true)]
        range: Option<String>,
        /// Which curves: 0 is f, 1 is f', 2 is f''.
        #[arg(long, value_delimiter = ',', default_values_t = [0u32, 1, 2],
              value_parser = clap::value_parser!(u32).range(0..=2))]
        order: Vec<u32>,
        /// Also draw the gradient with respect to each parameter.
        #[arg(long)]
        params: bool,
        /// The image size in pixels, `WIDTHxHEIGHT`.
        #[arg(long, default_value = "800x500")]
        size: String,
        /// Instead, write the documentation plot of every built-in into this
        /// directory (`docs/plots`).
        #[arg(long, value_name = "DIR", conflicts_with_all = ["target", "output", "range", "params"])]
        docs: Option<PathBuf>,
    },
    /// Checks a built-in or a definition: special values, derivatives against finite
    /// differences, f32 against f64, NaN leaks. Fails if a check fails.
    Check {
        /// A built-in's name or a definition, as for `show`.
        target: String,
    },
    /// Measures the slice kernels' throughput, in the peers' line format.
    Bench {
        #[command(flatten)]
        options: throughput::Options,
    },
}

fn show(target: &str) -> Result<(), String> {
    let t = Target::parse(target)?;
    let note = if t.is_builtin() {
        t.label()
    } else {
        "a run-time definition".to_string()
    };
    tour::show(t.double(), &note);
    Ok(())
}

/// `a..b` as two numbers.
fn parse_range(text: &str) -> Result<(f64, f64), String> {
    let bad = || format!("expected the range as `a..b`, like `-5..5`, got `{text}`");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let a = a.trim().parse::<f64>().map_err(|_| bad())?;
    let b = b.trim().parse::<f64>().map_err(|_| bad())?;
    Ok((a, b))
}

/// `WIDTHxHEIGHT` in pixels.
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected the size as `WIDTHxHEIGHT`, like `800x500`, got `{text}`");
    let (w, h) = text.split_once('x').ok_or_else(bad)?;
    match (w.trim().parse::<u32>(), h.trim().parse::<u32>()) {
        (Ok(w), Ok(h)) if (64..=8192).contains(&w) && (64..=8192).contains(&h) => Ok((w, h)),
        _ => Err(bad()),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes the documentation plots into `dir`.
fn plot_docs(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let plots = plot::docs_svgs()?;
    for (name, svg) in &plots {
        write(&dir.join(name), svg.as_bytes())?;
    }
    println!("wrote {} plots into {}", plots.len(), dir.display());
    Ok(())
}

fn plot(
    target: &str,
    output: Option<PathBuf>,
    range: Option<&str>,
    options: plot::Options,
) -> Result<(), String> {
    let t = Target::parse(target)?;
    let options = plot::Options {
        range: range.map(parse_range).transpose()?,
        ..options
    };
    let path = output.unwrap_or_else(|| PathBuf::from(format!("{}.svg", t.stem())));
    let bytes = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => plot::svg(&t, &options)?.into_bytes(),
        Some(e) if e.eq_ignore_ascii_case("png") => plot::png(&t, &options)?,
        _ => {
            return Err(format!(
                "cannot tell the format of {}: name it .svg or .png",
                path.display()
            ))
        }
    };
    write(&path, &bytes)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn diff(expression: &str, order: u32, wrt: Option<&str>) -> Result<(), String> {
    let mut defs = compile_str(&as_definition(expression)).map_err(|e| e.to_string())?;
    if defs.len() > 1 {
        let names: Vec<String> = defs
            .iter()
            .map(|d| format!("`{}`", d.header.name))
            .collect();
        return Err(format!(
            "error: give one definition at a time; this text has {}: {}",
            names.len(),
            names.join(", ")
        ));
    }
    let mut def = defs.remove(0);
    let span = def.graph.span(def.forward);
    let var = match wrt {
        None => def.graph.input(span),
        Some(name) if name == def.graph.input_name => def.graph.input(span),
        Some(name) => match def.graph.param_names.iter().position(|p| p == name) {
            Some(i) => def.graph.param(i as u16, span),
            None => {
                return Err(format!(
                    "`{name}` is neither the input `{}` nor a parameter",
                    def.graph.input_name
                ))
            }
        },
    };
    let wrt_name = match def.graph.node(var) {
        Node::Param(i) => def.graph.param_names[i as usize].clone(),
        _ => def.graph.input_name.clone(),
    };
    let mut f = def.forward;
    println!("f = {}", to_dsl(&def.graph, f));
    for k in 1..=order {
        f = differentiate_node(&mut def.graph, f, var);
        let ticks = if k == 1 {
            String::new()
        } else {
            format!("^{k}")
        };
        println!("d{ticks}f/d{wrt_name}{ticks} = {}", to_dsl(&def.graph, f));
    }
    Ok(())
}

fn expand(definition: &str) -> Result<(), String> {
    let text = as_definition(definition);
    // Report errors with a caret under the text, as `show` and `diff` do, with the
    // macro's own rules for the Rust items it makes (a lowercase activation name was
    // printed as a `compile_error!` with exit status 0).
    actdiff_core::compile_str_as_items(&text).map_err(|e| e.to_string())?;
    let tokens = proc_macro2::TokenStream::from_str(&text).map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(actdiff_core::expand(tokens)).map_err(|e| e.to_string())?;
    print!("{}", prettyplease::unparse(&file));
    Ok(())
}

fn main() -> ExitCode {
    actdiff_cli::quiet_on_closed_pipe();
    let cli = Cli::parse();
    let result = match cli.command {
        None => {
            tour::run();
            Ok(())
        }
        Some(Command::List) => {
            tour::list();
            Ok(())
        }
        Some(Command::Show { target }) => show(&target),
        Some(Command::Diff {
            expression,
            order,
            wrt,
        }) => diff(&expression, order, wrt.as_deref()),
        Some(Command::Expand { definition }) => expand(&definition),
        Some(Command::Plot {
            docs: Some(dir), ..
        }) => plot_docs(&dir),
        Some(Command::Plot {
            target,
            output,
            range,
            order,
            params,
            size,
            docs: None,
        }) => parse_size(&size).and_then(|size| {
            let options = plot::Options {
                orders: order,
                params,
                size,
                ..plot::Options::default()
            };
            // clap requires the target when `--docs` is absent.
            plot(
                &target.unwrap_or_default(),
                output,
                range.as_deref(),
                options,
            )
        }),
        Some(Command::Check { target }) => Target::parse(&target).and_then(|t| {
            let report = check::check(&t);
            print!("{}", report.text);
            if report.failures == 0 {
                Ok(())
            } else {
                Err(format!("check: {} check(s) failed", report.failures))
            }
        }),
        Some(Command::Bench { options }) => throughput::report(&options, "bench"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::FAILURE
        }
    }
}
