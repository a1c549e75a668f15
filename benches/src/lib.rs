//! Criterion benchmarks of every dyad stage live in `benches/`.
