//! `cargo xtask`: the one entry point for running, benchmarking and evaluating dyad.
fn main() {}
