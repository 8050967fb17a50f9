//! The `actdiff` command-line tool. With no arguments it gives a tour of the
//! built-in activations; its subcommands show, differentiate and expand any
//! built-in or definition.

mod tour;

use actdiff::{Builtin, Dynamic};
use actdiff_core::diff::differentiate_node;
use actdiff_core::print::to_dsl;
use actdiff_core::{compile_str, Node};
use clap::{Parser, Subcommand};
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
}

/// A definition given as text, or an expression of `x` made into one.
fn as_definition(text: &str) -> String {
    // A definition's signature closes with `)` followed by `=` (or `where`), which
    // an expression of `x` never has at that point.
    let t = text.trim();
    let is_definition = t.split_once(')').is_some_and(|(_, rest)| {
        rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("==")
    }) || t.contains(" where ");
    if is_definition {
        t.trim_end_matches(';').to_string() + ";"
    } else {
        format!("F(x) = {t};")
    }
}

fn show(target: &str) -> Result<(), String> {
    if let Ok(b) = Builtin::<f64>::from_str(target) {
        tour::show(&b, &b.to_string());
        return Ok(());
    }
    let d = Dynamic::parse(&as_definition(target)).map_err(|e| e.to_string())?;
    tour::show(&d, "a run-time definition");
    Ok(())
}

fn diff(expression: &str, order: u32, wrt: Option<&str>) -> Result<(), String> {
    let mut defs = compile_str(&as_definition(expression)).map_err(|e| e.to_string())?;
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
    // Report errors with a caret under the text, as `show` and `diff` do.
    compile_str(&text).map_err(|e| e.to_string())?;
    let tokens = proc_macro2::TokenStream::from_str(&text).map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(actdiff_core::expand(tokens)).map_err(|e| e.to_string())?;
    print!("{}", prettyplease::unparse(&file));
    Ok(())
}

fn main() -> ExitCode {
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
