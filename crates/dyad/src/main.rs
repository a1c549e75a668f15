//! The `dyad` command line.
fn main() {}
