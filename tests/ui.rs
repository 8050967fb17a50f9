//! Compile-time behaviour of `activation!`: programs that must compile and run
//! (`tests/ui/pass`), and programs that must fail with exactly the macro's errors
//! (`tests/ui/fail`, each with its `.stderr`; regenerate with
//! `TRYBUILD=overwrite cargo test --test ui` and read every diff).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
    t.compile_fail("tests/ui/fail/*/*.rs");
}
