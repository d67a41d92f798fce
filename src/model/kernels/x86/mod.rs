//! The x86-64 builds of the kernels, one module per instruction set: `avx2` and `avx512` (with
//! or without VNNI). Each holds that set's integer products and float products, written with
//! `std::arch` intrinsics. Invariant: each function gives the bits of its portable counterpart
//! (in `int8.rs` and `floats.rs`), which its doc names; it runs only when `Isa` says the CPU
//! has its features.

/// Calls `$f::<R, ..>` for a run-time row count `$r` in `1..=6` (the kernels' row blocks are
/// const-generic so that their accumulators live in registers); further const arguments
/// follow the row count.
macro_rules! rows_dispatch {
    ($r:expr, $f:ident::<_ $(, $c:tt)*>($($arg:expr),*)) => {
        match $r {
            1 => $f::<1 $(, $c)*>($($arg),*),
            2 => $f::<2 $(, $c)*>($($arg),*),
            3 => $f::<3 $(, $c)*>($($arg),*),
            4 => $f::<4 $(, $c)*>($($arg),*),
            5 => $f::<5 $(, $c)*>($($arg),*),
            _ => $f::<6 $(, $c)*>($($arg),*),
        }
    };
}

pub(super) mod avx2;
pub(super) mod avx512;
