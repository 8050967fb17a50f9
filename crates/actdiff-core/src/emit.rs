//! Schedule and emit: writes the Rust the macro expands to.
//!
//! Each generated method body is a straight-line schedule: the nodes reachable from
//! its results, in topological order, each bound once with `let`, so a value shared
//! by the forward and the derivative is computed once in `forward_and_derivative`.
//! Both sides of every `if` are computed before the choice, which LLVM turns into a
//! blend: the bodies are branch-free and vectorize inside slice loops.
//!
//! Generated code names everything by absolute path through `::actdiff::__private`,
//! and its only local names (`x`, `p0`, `t7`, `c8`) cannot meet the user's, since the
//! user's formula was lowered to the DAG and carries no names of its own, and the
//! activation's name, a type, starts with an uppercase letter (`valid.rs`).

use crate::compiled::{Math, Product, Sum};
use crate::graph::{Graph, Node, NodeId};
use crate::nan::carries_nan;
use crate::print::{format_number, to_dsl};
use crate::refine::{Precision, RootWindow};
use crate::syntax::Header;
use crate::{Definition, Outcome};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

fn private() -> TokenStream {
    quote!(::actdiff::__private)
}

/// Emits every definition of one `activation!` invocation, plus one
/// `compile_error!` per error and a stub for each definition that failed.
pub fn emit_all(outcomes: &[Outcome]) -> TokenStream {
    let mut out = TokenStream::new();
    for outcome in outcomes {
        match &outcome.result {
            Ok(def) => out.extend(emit_definition(def)),
            Err(errors) => {
                for e in errors {
                    out.extend(e.to_compile_error());
                }
                if let Some(header) = &outcome.header {
                    out.extend(emit_stub(header));
                }
            }
        }
    }
    out
}

/// The number as an `f64` literal token, with the sign outside (`-(0.25)` is not
/// needed: `-0.25` is the negation of the literal `0.25`, which is exact).
fn number(v: f64) -> TokenStream {
    if !v.is_finite() {
        // Only a stub after an error in the default reaches here.
        return quote!(::core::f64::NAN);
    }
    let lit = Literal::f64_unsuffixed(v.abs());
    if v.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

fn type_generics(header: &Header) -> TokenStream {
    if header.params.is_empty() {
        quote!()
    } else {
        quote!(<T>)
    }
}

/// What every impl of a definition's type carries: the definition's `#[cfg(...)]`
/// attributes, which the struct has among its own (an impl of a type configured away
/// would not compile), `allow(deprecated)` (a `#[deprecated]` definition's impls name
/// its type, and would warn where the user's crate denies warnings), and
/// `allow(clippy::approx_constant)`: the engine's folded constants include such
/// numbers as 2/√π (`x * erf(x)`'s derivative), which clippy denies by default.
fn impl_attrs(header: &Header) -> TokenStream {
    let cfgs = header.attrs.iter().filter(|a| a.path().is_ident("cfg"));
    quote!(#(#cfgs)* #[allow(deprecated, clippy::approx_constant)])
}

/// The struct, its constructors and its `Default`.
fn emit_struct(header: &Header, docs: &[String]) -> TokenStream {
    let Header {
        attrs,
        vis,
        name,
        params,
        ..
    } = header;
    let constraints = crate::constraints::resolve(header);
    let texts: Vec<String> = constraints.iter().map(|r| r.text(header)).collect();
    let mut docs = docs.to_vec();
    if !texts.is_empty() {
        let list: Vec<String> = texts.iter().map(|t| format!("`{t}`")).collect();
        docs.extend([
            String::new(),
            " # Constraints".to_string(),
            String::new(),
            format!(
                " {}: checked by `try_new` and `new`. A NaN parameter violates every \
                 constraint that names it.",
                list.join(", ")
            ),
        ]);
    }
    let doc_attrs = docs.iter().map(|d| quote!(#[doc = #d]));
    if params.is_empty() {
        return quote! {
            #(#attrs)*
            #(#doc_attrs)*
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::default::Default, ::core::cmp::PartialEq)]
            #vis struct #name;
        };
    }
    let p = private();
    let impl_attrs = impl_attrs(header);
    let fields: Vec<&Ident> = params.iter().map(|p| &p.name).collect();
    let field_docs = params.iter().map(|p| {
        let kind = if p.learn.is_some() {
            "Learned parameter"
        } else {
            "Parameter"
        };
        format!(
            " {kind} `{}` (default {}).",
            p.name,
            format_number(p.default)
        )
    });
    let defaults = params.iter().map(|p| number(p.default));
    let constructors = if constraints.is_empty() {
        let new_doc = format!(" Creates `{name}` with these parameter values.");
        let try_doc = format!(
            " Creates `{name}` with these parameter values. `{name}` declares no constraints, \
             so this never fails: it is here so that every activation with parameters has \
             the same constructors."
        );
        quote! {
            #[doc = #new_doc]
            pub fn new(#(#fields: T),*) -> Self {
                Self { #(#fields),* }
            }

            #[doc = #try_doc]
            ///
            /// # Errors
            /// Never.
            pub fn try_new(#(#fields: T),*) -> ::core::result::Result<Self, #p::ParamError> {
                ::core::result::Result::Ok(Self { #(#fields),* })
            }
        }
    } else {
        let checks = constraints.iter().map(|r| emit_check(header, r));
        let list = texts.join("`, `");
        let try_doc = format!(" Creates `{name}` with these parameter values, checking `{list}`.");
        let new_doc = format!(" Creates `{name}` with these parameter values.");
        quote! {
            #[doc = #try_doc]
            ///
            /// # Errors
            /// A `ParamError` naming the parameter when a constraint does not hold; a NaN
            /// parameter violates every constraint that names it.
            pub fn try_new(#(#fields: T),*) -> ::core::result::Result<Self, #p::ParamError> {
                #(#checks)*
                ::core::result::Result::Ok(Self { #(#fields),* })
            }

            #[doc = #new_doc]
            ///
            /// # Panics
            /// When a constraint does not hold, with the message of `try_new`'s error.
            #[track_caller]
            pub fn new(#(#fields: T),*) -> Self {
                match Self::try_new(#(#fields),*) {
                    ::core::result::Result::Ok(made) => made,
                    ::core::result::Result::Err(e) => #p::invalid_parameters(e),
                }
            }
        }
    };
    quote! {
        #(#attrs)*
        #(#doc_attrs)*
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        #vis struct #name<T = f32> {
            #( #[doc = #field_docs] pub #fields: T, )*
        }

        #impl_attrs
        impl<T: #p::Real> #name<T> {
            #constructors
        }

        #impl_attrs
        impl<T: #p::Real> ::core::default::Default for #name<T> {
            /// The parameter values declared in the definition.
            fn default() -> Self {
                Self { #(#fields: <T as #p::Real>::from_f64(#defaults)),* }
            }
        }
    }
}

/// The run-time check of one constraint inside `try_new`: the comparison in `f64`
/// (exact for every `Real`), and the error naming the constraint's first parameter.
fn emit_check(header: &Header, r: &crate::constraints::Resolved) -> TokenStream {
    use crate::constraints::Side;
    let p = private();
    let field = |i: usize| {
        let f = &header.params[i].name;
        quote!(<T as #p::Real>::to_f64(#f))
    };
    let left = field(r.subject);
    let right = match r.other {
        Side::Param(j) => field(j),
        Side::Number(v) => number(v),
    };
    let op: TokenStream = r.op.symbol().parse().unwrap_or_default();
    let activation = header.name.to_string();
    let subject = header.params[r.subject].name.to_string();
    let requirement = r.requirement(header);
    let values = r.params().into_iter().map(|i| {
        let f = &header.params[i].name;
        let n = f.to_string();
        quote!((#n, #f))
    });
    quote! {
        #p::check_constraint(
            #left #op #right,
            #activation,
            #subject,
            #requirement,
            &[#(#values),*],
        )?;
    }
}

/// Rustdoc for the generated type: the author's docs come first (as attributes),
/// then the formulas the engine derived.
fn generated_docs(def: &Definition) -> Vec<String> {
    let g = &def.graph;
    let x = &g.input_name;
    let mut lines = vec![
        String::new(),
        " # Formulas".to_string(),
        String::new(),
        " Generated by `activation!`; derivatives are symbolic and simplified.".to_string(),
        String::new(),
        " ```text".to_string(),
        format!(" f({x})   = {}", to_dsl(g, def.forward)),
        format!(" f'({x})  = {}", to_dsl(g, def.derivative)),
        format!(" f''({x}) = {}", to_dsl(g, def.second_derivative)),
    ];
    for (p, &d) in def.header.params.iter().zip(&def.param_derivatives) {
        lines.push(format!(" ∂f/∂{} = {}", p.name, to_dsl(g, d)));
    }
    lines.push(" ```".to_string());
    lines.push(String::new());
    lines.push(
        " At a kink the derivative is the branch the formula's comparison selects; `max`, `min`, \
         `abs` and `clamp` take the derivative of smaller magnitude at a tie (0 for `max(0, x)`). \
         A NaN input or parameter gives NaN from every method."
            .to_string(),
    );
    lines
}

fn local(id: NodeId) -> Ident {
    format_ident!("t{}", id.0)
}

fn param_local(i: u16) -> Ident {
    format_ident!("p{}", i)
}

/// A reference to a node's value inside a body: a literal, the input, a parameter
/// local, or the `let` that computed it.
fn value_of(g: &Graph, id: NodeId) -> TokenStream {
    let p = private();
    match g.node(id) {
        Node::Const(bits) => {
            let n = number(f64::from_bits(bits));
            quote!(<T as #p::Real>::from_f64(#n))
        }
        Node::Input => quote!(x),
        Node::Param(i) => {
            let l = param_local(i);
            quote!(#l)
        }
        Node::Bool(b) => quote!(#b),
        _ => {
            let l = local(id);
            quote!(#l)
        }
    }
}

/// The right-hand side that computes an interior node from its children.
fn compute(g: &Graph, id: NodeId) -> TokenStream {
    let p = private();
    let v = |n: NodeId| value_of(g, n);
    // A `Real` method of one argument: a call, or a product with a fused form.
    let math_call = |math: Math, arg: NodeId| {
        let f = Ident::new(math.method(), Span::call_site());
        let a = v(arg);
        quote!(<T as #p::Real>::#f(#a))
    };
    match g.node(id) {
        Node::Neg(a) => {
            let a = v(a);
            quote!(-#a)
        }
        Node::Add(a, b) => match Sum::of(g, a, b) {
            Sum::TanhSoftplusSlope(u, w) => {
                let (u, w) = (v(u), v(w));
                quote!(<T as #p::Real>::tanh_softplus_slope(#u, #w))
            }
            Sum::Plain => {
                let (a, b) = (v(a), v(b));
                quote!(#a + #b)
            }
        },
        Node::Sub(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(#a - #b)
        }
        Node::Mul(a, b) => match Product::of(g, a, b) {
            Product::Call(math, u) => math_call(math, u),
            Product::Fused(fused, u, other) => {
                let (u, other) = (v(u), v(other));
                let method = format_ident!("{}", fused.method());
                quote!(<T as #p::Real>::#method(#u, #other))
            }
            Product::Plain => {
                let (a, b) = (v(a), v(b));
                quote!(#a * #b)
            }
        },
        Node::Div(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(#a / #b)
        }
        Node::Call(f, a) => {
            let (math, arg) = Math::of_call(g, f, a);
            math_call(math, arg)
        }
        Node::Max(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(<T as #p::Real>::max(#a, #b))
        }
        Node::Min(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(<T as #p::Real>::min(#a, #b))
        }
        Node::Pow(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(<T as #p::Real>::pow(#a, #b))
        }
        Node::MulErr(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(<T as #p::Real>::mul_err(#a, #b))
        }
        Node::Powi(a, n) => {
            let a = v(a);
            quote!(<T as #p::Real>::powi(#a, #n))
        }
        Node::Cmp(op, a, b) => {
            let (a, b) = (v(a), v(b));
            let op: TokenStream = op.symbol().parse().unwrap_or_default();
            quote!(#a #op #b)
        }
        // Non-short-circuit `&` and `|`: both sides are computed already, and the
        // bitwise forms keep the body free of branches.
        Node::And(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(#a & #b)
        }
        Node::Or(a, b) => {
            let (a, b) = (v(a), v(b));
            quote!(#a | #b)
        }
        Node::Select(c, a, b) => {
            let (c, a, b) = (v(c), v(a), v(b));
            quote!(if #c { #a } else { #b })
        }
        Node::Const(_) | Node::Input | Node::Param(_) | Node::Bool(_) => v(id),
    }
}

/// A straight-line body computing `roots`, each guarded so that a NaN input or
/// parameter yields NaN; evaluates to the single result or a tuple of them.
pub fn emit_body(def: &Definition, roots: &[NodeId]) -> TokenStream {
    emit_body_reading(def, roots, Some(&quote!(self)))
}

/// The body of the function `root` that f32 code evaluates in f64 and rounds once
/// (the second derivative: its formula is the longest, cancels the most, and
/// multiplies tail-small factors that are subnormal in f32, such as tanhexp's
/// `sech²(e^x)` at x = 3.9, whose product with `e^2x` came out 1,589 ULP off). The
/// body is a generic inner function of the input and the parameters it reads, called
/// at `f64` for `f32` and at `T` otherwise, so f64 code is unchanged.
pub fn emit_wide_body(def: &Definition, root: NodeId) -> TokenStream {
    let p = private();
    let body = emit_body_reading(def, &[root], None);
    let used = used_params(def, &[root]);
    let locals: Vec<Ident> = used.iter().map(|&i| param_local(i)).collect();
    let fields: Vec<&Ident> = used
        .iter()
        .map(|&i| &def.header.params[usize::from(i)].name)
        .collect();
    quote! {
        #[inline(always)]
        fn in_precision<T: #p::Real>(x: T, #(#locals: T),*) -> T {
            #body
        }
        if <T as #p::Real>::SINGLE {
            <T as #p::Real>::from_f64(in_precision::<f64>(
                <T as #p::Real>::to_f64(x),
                #(<T as #p::Real>::to_f64(self.#fields)),*
            ))
        } else {
            in_precision::<T>(x, #(self.#fields),*)
        }
    }
}

/// For each root, the variables (the input, the parameters) whose NaN the formula
/// would not carry to the result, so the body returns it explicitly.
fn nan_guards(def: &Definition, roots: &[NodeId]) -> Vec<Vec<Node>> {
    let g = &def.graph;
    let vars: Vec<Node> = std::iter::once(Node::Input)
        .chain((0..def.header.params.len() as u16).map(Node::Param))
        .collect();
    roots
        .iter()
        .map(|&r| {
            vars.iter()
                .copied()
                .filter(|&v| !carries_nan(g, r, v))
                .collect()
        })
        .collect()
}

/// The parameters a body of `roots` reads: in the formulas or in a NaN guard.
fn used_params(def: &Definition, roots: &[NodeId]) -> Vec<u16> {
    let g = &def.graph;
    let order = g.reachable(roots);
    let guards = nan_guards(def, roots);
    (0..def.header.params.len() as u16)
        .filter(|&i| {
            let var = Node::Param(i);
            order.iter().any(|&id| g.node(id) == var) || guards.iter().any(|gs| gs.contains(&var))
        })
        .collect()
}

/// [`emit_body`], reading the parameters from the fields of `receiver` (a local
/// copy of `self`, say) instead of `self`; with no receiver, from locals already in
/// scope (the arguments of [`emit_wide_body`]'s inner function).
fn emit_body_reading(
    def: &Definition,
    roots: &[NodeId],
    receiver: Option<&TokenStream>,
) -> TokenStream {
    let g = &def.graph;
    let p = private();
    let guards = nan_guards(def, roots);
    let order = g.reachable(roots);
    let mut stmts = Vec::new();
    if let Some(receiver) = receiver {
        for i in used_params(def, roots) {
            let l = param_local(i);
            let field = &def.header.params[usize::from(i)].name;
            stmts.push(quote!(let #l: T = #receiver.#field;));
        }
    }
    for &id in &order {
        let node = g.node(id);
        if matches!(
            node,
            Node::Const(_) | Node::Input | Node::Param(_) | Node::Bool(_)
        ) {
            continue;
        }
        let l = local(id);
        let rhs = compute(g, id);
        if node.is_condition() {
            stmts.push(quote!(let #l: bool = #rhs;));
        } else {
            stmts.push(quote!(let #l: T = #rhs;));
        }
    }
    let mut stmts = stmts;
    let results: Vec<TokenStream> = roots
        .iter()
        .zip(&guards)
        .map(|(&r, gs)| {
            let mut value = value_of(g, r);
            if let Some(windows) = def
                .windows
                .iter()
                .find(|(root, _)| *root == r)
                .map(|(_, w)| w)
            {
                for (k, w) in windows.iter().enumerate() {
                    let (window_stmts, refined) = emit_window(w, r, k, value);
                    stmts.extend(window_stmts);
                    value = refined;
                }
            }
            for &var in gs {
                let guard = match var {
                    Node::Param(i) => {
                        let l = param_local(i);
                        quote!(#l)
                    }
                    _ => quote!(x),
                };
                value = quote!(<T as #p::Real>::propagate_nan(#value, #guard));
            }
            value
        })
        .collect();
    let result = if results.len() == 1 {
        results[0].clone()
    } else {
        quote!((#(#results),*))
    };
    quote!( #(#stmts)* #result )
}

/// The statements that compute a root window's polynomial (see [`crate::refine`]) and
/// select it over `general` inside the window, in the window's precision only: in the
/// other the condition is the constant `false` and the compiler drops the polynomial.
/// A window fitted with parameters applies only while the parameters the function
/// reads have the values it was fitted for.
fn emit_window(
    w: &RootWindow,
    root: NodeId,
    k: usize,
    general: TokenStream,
) -> (Vec<TokenStream>, TokenStream) {
    let p = private();
    let name = |what: &str| format_ident!("w{}_{}_{}", root.0, k, what);
    let in_t = |v: f64| {
        let n = number(v);
        quote!(<T as #p::Real>::from_f64(#n))
    };
    // A wide window evaluates its polynomial in f64 from the f32 offset; its
    // literals are then unsuffixed f64 ones (negative ones in parentheses, as they
    // follow a minus sign).
    let ty = if w.wide { quote!(f64) } else { quote!(T) };
    let c = |v: f64| {
        let n = number(v);
        match (w.wide, v.is_sign_negative()) {
            (false, _) => in_t(v),
            (true, true) => quote!((#n)),
            (true, false) => n,
        }
    };
    let d = name("d");
    // The offset in the polynomial's type: `d` itself, or a widened copy.
    let dw = if w.wide { name("dw") } else { d.clone() };
    let (t, two_t, inside, refined) = (name("t"), name("two_t"), name("in"), name("r"));
    let (hi, lo, low, high) = (
        in_t(w.center_hi),
        in_t(w.center_lo),
        in_t(w.low),
        in_t(w.high),
    );
    let (mid, inv_half) = (c(w.mid), c(w.inv_half));
    // A window in `u = p·x` (see `RootWindow::scale`) takes the offset from `u`, with
    // `u`'s rounding error added back, and scales its value by `p^k`.
    let mut stmts = match w.scale {
        None => vec![quote!(let #d: T = (x - #hi) - #lo;)],
        Some((i, _)) => {
            let (l, u, e) = (param_local(i), name("u"), name("e"));
            vec![
                quote!(let #u: T = #l * x;),
                quote!(let #e: T = <T as #p::Real>::mul_err(#l, x);),
                quote!(let #d: T = ((#u - #hi) - #lo) + #e;),
            ]
        }
    };
    if w.wide {
        stmts.push(quote!(let #dw: f64 = <T as #p::Real>::to_f64(#d);));
    }
    stmts.push(quote!(let #t: #ty = (#dw - #mid) * #inv_half;));
    // `refine::clenshaw`'s evaluation, step for step: Clenshaw's recurrence in t, or
    // for a split window the even and the odd terms apart, each by the recurrence in
    // s = 2t² - 1, two chains of half the length side by side.
    let (zero, one) = (c(0.0), c(1.0));
    let (s, two_s, v1) = (name("s"), name("two_s"), name("v1"));
    let (even, odd): (Vec<f64>, Vec<f64>) = if w.split {
        (
            w.coeffs.iter().copied().step_by(2).collect(),
            w.coeffs.iter().copied().skip(1).step_by(2).collect(),
        )
    } else {
        (w.coeffs.clone(), Vec::new())
    };
    // Only what the sums read, so that no window leaves an unused variable in the
    // user's crate: a part of m coefficients reads its `P_1` from m = 2 on and its
    // `2s` from m = 3 on; V_1(s) = 2s - 1 is the odd part's `P_1`.
    let need_v1 = w.split && odd.len() >= 2;
    let need_two_s = w.split && (even.len() >= 3 || odd.len() >= 3 || need_v1);
    let need_s = w.split && (even.len() >= 2 || need_two_s);
    let need_two_t = if w.split { need_s } else { even.len() >= 3 };
    if need_two_t {
        stmts.push(quote!(let #two_t: #ty = #t + #t;));
    }
    if need_s {
        stmts.push(quote!(let #s: #ty = #two_t * #t - #one;));
    }
    if need_two_s {
        stmts.push(quote!(let #two_s: #ty = #s + #s;));
    }
    if need_v1 {
        stmts.push(quote!(let #v1: #ty = #two_s - #one;));
    }
    // `refine::half_sum` over `a` (at least one coefficient) with `2s = two` and
    // `P_1 = p1`; the name of its value.
    let mut half_sum = |tag: &str, a: &[f64], two: &Ident, p1: &Ident| {
        let b = |j: usize| format_ident!("w{}_{}_{}{}", root.0, k, tag, j);
        let m = a.len();
        if m == 1 {
            return c(a[0]);
        }
        let (last, c_last) = (b(m - 1), c(a[m - 1]));
        stmts.push(quote!(let #last: #ty = #c_last;));
        let b_or_zero = |j: usize| {
            if j < m {
                let bj = b(j);
                quote!(#bj)
            } else {
                zero.clone()
            }
        };
        for j in (1..m - 1).rev() {
            let (bj, b1, b2, aj) = (b(j), b(j + 1), b_or_zero(j + 2), c(a[j]));
            stmts.push(quote!(let #bj: #ty = (#aj - #b2) + #two * #b1;));
        }
        let (v, a0, b1, b2) = (name(tag), c(a[0]), b(1), b_or_zero(2));
        stmts.push(quote!(let #v: #ty = (#a0 - #b2) + #p1 * #b1;));
        quote!(#v)
    };
    let q = format_ident!("w{}_{}_q", root.0, k);
    let q_value = if !w.split {
        half_sum("b", &even, &two_t, &t)
    } else if odd.is_empty() {
        half_sum("even", &even, &two_s, &s)
    } else {
        let e = half_sum("even", &even, &two_s, &s);
        let o = half_sum("odd", &odd, &two_s, &v1);
        quote!(#e + #t * #o)
    };
    stmts.push(quote!(let #q: #ty = #q_value;));
    let mut value = if w.wide {
        quote!(<T as #p::Real>::from_f64(#dw * #q))
    } else {
        quote!(#dw * #q)
    };
    if let Some((i, k)) = w.scale {
        let l = param_local(i);
        for _ in 0..k.unsigned_abs() {
            value = if k > 0 {
                quote!((#value) * #l)
            } else {
                quote!((#value) / #l)
            };
        }
    }
    let precision = match w.precision {
        Precision::Single => quote!(<T as #p::Real>::SINGLE),
        Precision::Double => quote!(!<T as #p::Real>::SINGLE),
    };
    let params = w.params.iter().map(|&(i, v)| {
        let (l, v) = (param_local(i), c(v));
        quote!(& (#l == #v))
    });
    stmts.push(quote!(
        let #inside: bool = #precision & (#d > #low) & (#d < #high) #(#params)*;
    ));
    stmts.push(quote!(let #refined: T = if #inside { #value } else { #general };));
    (stmts, quote!(#refined))
}

fn emit_info(def: &Definition) -> TokenStream {
    let p = private();
    let g = &def.graph;
    let name = def.header.name.to_string();
    let input = g.input_name.clone();
    let formula = to_dsl(g, def.forward);
    let derivative = to_dsl(g, def.derivative);
    let second = to_dsl(g, def.second_derivative);
    let constraints = crate::constraints::where_text(&def.header);
    let params = def
        .header
        .params
        .iter()
        .zip(&def.param_derivatives)
        .map(|(param, &d)| {
            let pname = param.name.to_string();
            let learn = param.learn.is_some();
            let default = number(param.default);
            let deriv = to_dsl(g, d);
            quote! {
                #p::ParamInfo {
                    name: #p::Cow::Borrowed(#pname),
                    learn: #learn,
                    default: #default,
                    derivative: #p::Cow::Borrowed(#deriv),
                }
            }
        });
    quote! {
        static INFO: #p::ActivationInfo = #p::ActivationInfo {
            name: #p::Cow::Borrowed(#name),
            input: #p::Cow::Borrowed(#input),
            formula: #p::Cow::Borrowed(#formula),
            derivative: #p::Cow::Borrowed(#derivative),
            second_derivative: #p::Cow::Borrowed(#second),
            params: #p::Cow::Borrowed(&[#(#params),*]),
            constraints: #p::Cow::Borrowed(#constraints),
        };
        &INFO
    }
}

/// Everything one definition expands to.
pub fn emit_definition(def: &Definition) -> TokenStream {
    let p = private();
    let header = &def.header;
    let name = &header.name;
    let tg = type_generics(header);
    let strukt = emit_struct(header, &generated_docs(def));
    let info = emit_info(def);
    let forward = emit_body(def, &[def.forward]);
    let derivative = emit_body(def, &[def.derivative]);
    let both = emit_body(def, &[def.forward, def.derivative]);
    let second = emit_wide_body(def, def.second_derivative);
    let arms = def.param_derivatives.iter().enumerate().map(|(i, &d)| {
        let body = emit_body(def, &[d]);
        quote!(#i => { #body })
    });
    // The parameter-gradient sums, one loop per parameter with its derivative inlined:
    // a match on the index inside the loop would keep it from vectorizing.
    let sums = if def.param_derivatives.is_empty() {
        quote!()
    } else {
        let arms = def.param_derivatives.iter().enumerate().map(|(i, &d)| {
            let body = emit_body(def, &[d]);
            quote!(#i => #p::param_gradient_sum(self, index, xs, grad_out, #[inline(always)] |x: T| -> T { #body }),)
        });
        // And fused with the backward pass: f' and ∂f/∂p in one body, sharing work.
        // The body reads the parameters from a copy the closure owns: read through
        // `self`, LLVM cannot tell them from the output the loop writes, reloads them
        // for every element and does not vectorize.
        let this = quote!(this);
        let fused = def.param_derivatives.iter().enumerate().map(|(i, &d)| {
            let body = emit_body_reading(def, &[def.derivative, d], Some(&this));
            quote!(#i => {
                let #this: Self = *self;
                #p::backward_with_param_gradient(self, index, xs, grad_out, grad_in, #[inline(always)] move |x: T| -> (T, T) { #body })
            })
        });
        quote! {
            #[inline]
            fn param_gradient_sum_checked(&self, index: usize, xs: &[T], grad_out: &[T]) -> T {
                match index {
                    #(#arms)*
                    _ => <T as #p::Real>::from_f64(::core::f64::NAN),
                }
            }

            #[inline]
            fn backward_with_param_gradient_checked(&self, index: usize, xs: &[T], grad_out: &[T], grad_in: &mut [T]) -> T {
                match index {
                    #(#fused)*
                    _ => <T as #p::Real>::from_f64(::core::f64::NAN),
                }
            }
        }
    };
    // Only where it differs from the trait's default, so that most expansions do not
    // carry it.
    let (below, above) = (
        def.oscillates_toward(f64::NEG_INFINITY),
        def.oscillates_toward(f64::INFINITY),
    );
    let oscillates = if below || above {
        quote! {
            fn oscillates_toward(&self, infinity: T) -> bool {
                if infinity > <T as #p::Real>::from_f64(0.0) { #above } else { #below }
            }
        }
    } else {
        quote!()
    };
    let impl_generics = if header.params.is_empty() {
        quote!()
    } else {
        quote!(<T: #p::Real>)
    };
    // Reading and writing parameters by index; an activation without parameters keeps
    // the trait's methods, which panic for every index.
    let access = if header.params.is_empty() {
        quote!()
    } else {
        let fields: Vec<&Ident> = header.params.iter().map(|p| &p.name).collect();
        let indices: Vec<usize> = (0..fields.len()).collect();
        let count = fields.len();
        let name_str = name.to_string();
        quote! {
            #[track_caller]
            fn param(&self, index: usize) -> T {
                match index {
                    #(#indices => self.#fields,)*
                    _ => #p::parameter_out_of_range(#name_str, #count, index),
                }
            }

            #[track_caller]
            fn set_param(&mut self, index: usize, value: T) -> ::core::result::Result<(), #p::ParamError> {
                let mut next = *self;
                match index {
                    #(#indices => next.#fields = value,)*
                    _ => #p::parameter_out_of_range(#name_str, #count, index),
                }
                *self = Self::try_new(#(next.#fields),*)?;
                ::core::result::Result::Ok(())
            }
        }
    };
    let impl_attrs = impl_attrs(header);
    quote! {
        #strukt

        #impl_attrs
        impl #impl_generics #name #tg {
            /// The name and the formulas (forward, derivatives) as DSL text.
            pub fn info(&self) -> &'static #p::ActivationInfo {
                #info
            }
        }

        #impl_attrs
        impl<T: #p::Real> #p::Activation<T> for #name #tg {
            fn info(&self) -> &'static #p::ActivationInfo {
                <#name #tg>::info(self)
            }

            #[inline(always)]
            fn forward_finite(&self, x: T) -> T {
                #forward
            }

            #[inline(always)]
            fn derivative_finite(&self, x: T) -> T {
                #derivative
            }

            #[inline(always)]
            fn forward_and_derivative_finite(&self, x: T) -> (T, T) {
                #both
            }

            #[inline(always)]
            fn second_derivative_finite(&self, x: T) -> T {
                #second
            }

            #[inline(always)]
            fn param_derivative_finite(&self, index: usize, x: T) -> T {
                match index {
                    #(#arms)*
                    // No panic here: a call in the body would stop the gradient
                    // loops vectorizing. The provided methods check the index first.
                    _ => <T as #p::Real>::from_f64(::core::f64::NAN),
                }
            }

            #oscillates

            #sums

            #access
        }
    }
}

/// What a definition that failed expands to: its type and an `Activation` impl whose
/// methods return NaN, so the rest of the user's crate compiles against it and only
/// the real error is reported.
///
/// The stub must not add errors of its own: a repeated parameter becomes one field, one
/// named like a type or constant none, and a name that collides with the generated
/// code gets no stub at all (rustc does not report uses of a name after a
/// `compile_error!` that might have defined it).
pub fn emit_stub(header: &Header) -> TokenStream {
    if crate::valid::collides_with_generated(&header.name.to_string()) {
        return TokenStream::new();
    }
    let mut header = header.clone();
    // A failed definition's constraints may name what does not exist: its stub
    // checks nothing.
    header.constraints.clear();
    // Nor a parameter whose name `new` would take for a pattern.
    let mut seen = Vec::new();
    header.params.retain(|param| {
        let first = !seen.contains(&param.name);
        seen.push(param.name.clone());
        first && !crate::valid::uppercase_parameter_name(&param.name.to_string())
    });
    let header = &header;
    let p = private();
    let name = &header.name;
    let tg = type_generics(header);
    let strukt = emit_struct(header, &[]);
    let name_str = name.to_string();
    let input = header.input.to_string();
    let impl_attrs = impl_attrs(header);
    quote! {
        #strukt

        #impl_attrs
        impl<T: #p::Real> #p::Activation<T> for #name #tg {
            fn info(&self) -> &'static #p::ActivationInfo {
                static INFO: #p::ActivationInfo = #p::ActivationInfo {
                    name: #p::Cow::Borrowed(#name_str),
                    input: #p::Cow::Borrowed(#input),
                    formula: #p::Cow::Borrowed(""),
                    derivative: #p::Cow::Borrowed(""),
                    second_derivative: #p::Cow::Borrowed(""),
                    params: #p::Cow::Borrowed(&[]),
                    constraints: #p::Cow::Borrowed(""),
                };
                &INFO
            }
            fn forward_finite(&self, _: T) -> T { <T as #p::Real>::from_f64(::core::f64::NAN) }
            fn derivative_finite(&self, _: T) -> T { <T as #p::Real>::from_f64(::core::f64::NAN) }
            fn forward_and_derivative_finite(&self, _: T) -> (T, T) {
                (<T as #p::Real>::from_f64(::core::f64::NAN), <T as #p::Real>::from_f64(::core::f64::NAN))
            }
            fn second_derivative_finite(&self, _: T) -> T { <T as #p::Real>::from_f64(::core::f64::NAN) }
            fn param_derivative_finite(&self, _: usize, _: T) -> T { <T as #p::Real>::from_f64(::core::f64::NAN) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::emit_stub;
    use crate::syntax::parse_definitions;
    use proc_macro2::TokenStream;
    use std::str::FromStr;

    fn stub(src: &str) -> String {
        let defs = parse_definitions(TokenStream::from_str(src).expect("lexes"));
        emit_stub(defs[0].header.as_ref().expect("header")).to_string()
    }

    /// Every variable a window's code declares is read afterwards, for split and
    /// plain windows of every length the emitter accepts (the refine pass fits 9 to
    /// 29 coefficients today): an unused one would warn in the user's crate.
    #[test]
    fn window_code_reads_every_variable_it_declares() {
        use crate::graph::NodeId;
        use crate::refine::{Precision, RootWindow};
        for n in 2..=8 {
            for split in [false, true] {
                for wide in [false, true] {
                    let w = RootWindow {
                        precision: Precision::Single,
                        center_hi: 1.0,
                        center_lo: 0.0,
                        low: -0.5,
                        high: 0.5,
                        mid: 0.0,
                        inv_half: 4.0,
                        coeffs: (0..n).map(|j| 1.0 / (1.0 + j as f64)).collect(),
                        wide,
                        split,
                        params: Vec::new(),
                        scale: None,
                    };
                    let (stmts, value) =
                        super::emit_window(&w, NodeId(7), 0, quote::quote!(general));
                    let code = quote::quote!(#(#stmts)* #value).to_string();
                    let words: Vec<&str> = code
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .collect();
                    let declared: Vec<&str> = words
                        .windows(2)
                        .filter_map(|w| match w {
                            ["let", name] => Some(*name),
                            _ => None,
                        })
                        .collect();
                    assert!(declared.len() >= 5, "{declared:?} in {code}");
                    for name in declared {
                        let uses = words.iter().filter(|&&w| w == name).count();
                        assert!(
                            uses >= 2,
                            "n = {n}, split {split}, wide {wide}: {name} unused in {code}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn try_new_checks_each_constraint_and_new_panics_through_it() {
        let defs = crate::compile_str(
            "H(x; lo = -1, hi = 1) where lo <= hi, 0 < hi = x; L(x; a = 1) = a * x;",
        )
        .expect("compiles");
        let h = super::emit_definition(&defs[0]).to_string();
        assert_eq!(h.matches("check_constraint").count(), 2, "{h}");
        assert!(h.contains("\"lo must be <= hi\""), "{h}");
        assert!(h.contains("\"hi must be > 0\""), "{h}");
        assert!(h.contains("invalid_parameters"), "{h}");
        assert!(h.contains("# Constraints"), "{h}");
        let l = super::emit_definition(&defs[1]).to_string();
        assert!(
            l.contains("fn try_new") && !l.contains("check_constraint"),
            "{l}"
        );
        // A stub keeps the constructors but checks nothing.
        assert!(!stub("C(x; a = 1) where b > 0 = x").contains("check_constraint"));
    }

    #[test]
    fn stub_adds_no_error_of_its_own() {
        let repeated = stub("Elu(x; alpha = 1, alpha = 2) = x");
        assert_eq!(repeated.matches("pub alpha : T").count(), 1, "{repeated}");
        assert_eq!(stub("T(x; slope = 0.5) = x"), "");
        assert!(stub("Relu(x) = tahn(x)").contains("struct Relu"));
    }
}
