//! Math functions of the default path: `exp`, `erf`, `gelu`, `ln`, the softmaxes, layer norm
//! and the rounding the quantizers use, from `+ - * / sqrt` only instead of libm's (glibc
//! picks FMA variants by CPU). Invariant: each is one fixed sequence of exactly rounded
//! operations, so every build and every CPU gives the same bits.

use super::floats::{dot, sum, ROWS_PER_TASK};
use super::isa::{with_isa, Isa};
#[cfg(target_arch = "x86_64")]
use super::x86::avx2;
use rayon::prelude::*;

/// Rounds to the nearest integer, ties to even, for |v| < 2^22: adding 1.5 * 2^23 leaves no
/// fraction bits, and both operations are exactly rounded, so every CPU gives the same.
#[inline(always)]
pub fn round_even(v: f32) -> f32 {
    (v + ROUND_MAGIC) - ROUND_MAGIC
}

/// 1.5 * 2^23, `round_even`'s constant (its SIMD builds use it too).
pub(super) const ROUND_MAGIC: f32 = 12_582_912.0;

/// `exp`'s range: 0 below `EXP_LO` (where f32 would go subnormal), capped at `e^EXP_HI`.
pub(super) const EXP_LO: f32 = -87.3;
pub(super) const EXP_HI: f32 = 88.0;

/// ln 2 split (Cody-Waite) so that `n * LN2_HI` is exact for the `n` of `exp`.
pub(super) const LN2_HI: f32 = 0.693_359_4;
pub(super) const LN2_LO: f32 = -2.121_944_4e-4;

/// `exp`'s Taylor coefficients, highest degree first: `p = EXP_POLY[0]`, then `p = c + r p`
/// for each next `c` (Horner).
pub(super) const EXP_POLY: [f32; 8] = [
    1.0 / 5040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
    1.0,
    1.0,
];

/// `erf`'s `t = 1 / (1 + ERF_P |x|)` and its polynomial in `t`, highest degree first, as
/// `EXP_POLY` (the last step multiplies by `t` once more).
pub(super) const ERF_P: f32 = 0.327_591_1;
pub(super) const ERF_POLY: [f32; 5] = [
    1.061_405_4,
    -1.453_152,
    1.421_413_8,
    -0.284_496_74,
    0.254_829_6,
];

/// `e^x` from `+ - *` only: `x = n ln2 + r` (Cody-Waite split of ln 2, so `n * LN2_HI` is
/// exact), a degree-7 Taylor polynomial on |r| <= ln2 / 2 (relative error below 1e-8), times
/// 2^n built from bits. 0 below -87.3 (where f32 would go subnormal), capped at e^88.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let under = x < EXP_LO;
    let x = x.clamp(EXP_LO, EXP_HI);
    let n = round_even(x * std::f32::consts::LOG2_E);
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let mut p = EXP_POLY[0];
    for c in &EXP_POLY[1..] {
        p = c + r * p;
    }
    let two_n = f32::from_bits(((n as i32 + 127) as u32) << 23);
    if under {
        0.0
    } else {
        p * two_n
    }
}

/// The error function, Abramowitz and Stegun 7.1.26 (absolute error below 1e-6 in f32, under
/// the step the next layer quantizes to), on our `exp`.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + ERF_P * a);
    let mut q = ERF_POLY[0];
    for c in &ERF_POLY[1..] {
        q = c + t * q;
    }
    let y = 1.0 - (t * q) * exp(-a * a);
    if x < 0.0 {
        -y
    } else {
        y
    }
}

/// The exact gelu, `x/2 (1 + erf(x / sqrt 2))` (rust-bert's `gelu("none")`).
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// `gelu` of every element of `x` in place, 8 at a time on AVX2 (the same operations, so the
/// same bits).
pub fn gelu_in_place(isa: Isa, x: &mut [f32]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2.
        i if i.avx2() => unsafe { avx2::gelu(x) },
        _ => x.iter_mut().for_each(|v| *v = gelu(*v)),
    }
}

/// Natural log of a positive finite `v`, in f64 from `+ - * /`: `v = 2^e m` with m in
/// [sqrt(1/2), sqrt(2)), `ln m = 2 atanh((m-1)/(m+1))` by its series to s^19 (|s| < 0.172,
/// error below 1e-15).
pub fn ln(v: f64) -> f64 {
    debug_assert!(v > 0.0 && v.is_finite());
    let bits = v.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for k in (0..10).rev() {
        series = series * s2 + 1.0 / (2 * k + 1) as f64;
    }
    e as f64 * std::f64::consts::LN_2 + 2.0 * s * series
}

/// `log_softmax` of `x` in place: `x - max - ln(sum e^(x - max))`.
pub fn log_softmax(x: &mut [f32]) {
    if x.is_empty() {
        return;
    }
    let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut e: Vec<f32> = x.iter().map(|&v| exp(v - max)).collect();
    let lse = max + ln(f64::from(sum(&e))) as f32;
    e.clear();
    for v in x.iter_mut() {
        *v -= lse;
    }
}

/// `softmax` of `x` in place, its `exp`s 8 at a time on AVX2 (the same operations, so the
/// same bits).
#[inline(always)]
pub fn softmax(isa: Isa, x: &mut [f32]) {
    let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2.
        i if i.avx2() => unsafe { avx2::exp_shifted(x, max) },
        _ => x.iter_mut().for_each(|v| *v = exp(*v - max)),
    }
    let inv = 1.0 / sum(x);
    for v in x.iter_mut() {
        *v *= inv;
    }
}

/// Layer norm of each `d`-wide row of `x` in place: mean and variance by `sum`, then
/// `(x - mean) / sqrt(var + eps) * w + b`.
pub fn layer_norm(isa: Isa, x: &mut [f32], w: &[f32], b: &[f32], eps: f32) {
    let d = w.len();
    x.par_chunks_mut(d * ROWS_PER_TASK).for_each(|rows| {
        with_isa(isa, || {
            let mut centred = vec![0f32; d];
            for row in rows.chunks_exact_mut(d) {
                let mean = sum(row) / d as f32;
                for (c, &v) in centred.iter_mut().zip(row.iter()) {
                    *c = v - mean;
                }
                let var = dot(&centred, &centred) / d as f32;
                let inv = 1.0 / (var + eps).sqrt();
                for (k, v) in row.iter_mut().enumerate() {
                    *v = centred[k] * inv * w[k] + b[k];
                }
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_functions_are_accurate() {
        for i in -870..=880 {
            let x = i as f32 / 10.0;
            let e = f64::from(exp(x));
            let want = f64::from(x).exp();
            assert!(
                (e - want).abs() <= want * 2e-7,
                "exp({x}) = {e}, want {want}"
            );
        }
        for i in -3000..=3000 {
            let x = i as f32 / 1000.0;
            let g = f64::from(erf(x));
            let want = series_erf(f64::from(x));
            // 1.5e-7 for the formula, plus f32 rounding.
            assert!((g - want).abs() < 1e-6, "erf({x}) = {g}, want {want}");
        }
        assert!((erf(6.0) - 1.0).abs() < 1e-7 && (erf(-6.0) + 1.0).abs() < 1e-7);
        assert_eq!(exp(-100.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        for v in [1e-30, 0.3, 1.0, 2.0, 7.5, 513.0, 1e30] {
            assert!(
                (ln(v) - v.ln()).abs() < 1e-14 * (1.0 + v.ln().abs()),
                "ln({v})"
            );
        }
    }

    /// erf by its Taylor series in f64 (for |x| <= 3 the cancellation costs under 5 digits),
    /// a reference independent of the function under test.
    fn series_erf(x: f64) -> f64 {
        let mut term = x;
        let mut s = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            s += term / (2 * n + 1) as f64;
        }
        s * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn gelu_is_the_same_bits_on_every_build() {
        // Every 1/64 over the range the encoder sees and beyond: exp's cut-off at -87.3 (erf's
        // argument squared), both signs of zero, the infinities, and a length with a tail.
        let mut x: Vec<f32> = (-1600..=1600).map(|i| i as f32 / 64.0).collect();
        x.extend([-0.0, 0.0, 1e-30, -1e-30, 13.2, -13.2, 1e6, -1e6]);
        x.extend([f32::INFINITY, f32::NEG_INFINITY, f32::MAX, f32::MIN]);
        let cut = (-EXP_LO).sqrt() * std::f32::consts::SQRT_2;
        x.extend((-100..=100).flat_map(|i| [cut + i as f32 * 1e-5, -cut - i as f32 * 1e-5]));
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        let want: Vec<f32> = x.iter().map(|&v| gelu(v)).collect();
        for isa in Isa::available() {
            let mut got = x.clone();
            gelu_in_place(isa, &mut got);
            assert_eq!(bits(&want), bits(&got), "{isa:?}");
        }
        for (&v, &g) in x.iter().zip(&want).filter(|(v, _)| v.abs() <= 4.0) {
            let exact = 0.5 * f64::from(v) * (1.0 + series_erf(f64::from(v) / 2f64.sqrt()));
            assert!(
                (f64::from(g) - exact).abs() < 2e-6 * (1.0 + exact.abs()),
                "gelu({v})"
            );
        }
    }

    #[test]
    fn softmax_is_the_same_bits_on_every_build() {
        // Rows with every exponent `exp` sees (down to its cut-off at -87.3 and below), of
        // lengths with and without a tail of fewer than 8.
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        for len in [1, 7, 8, 13, 64, 131] {
            let x: Vec<f32> = (0..len)
                .map(|i| -100.0 + 100.0 * (i as f32 * 0.37).sin().abs() + i as f32 * 1e-3)
                .collect();
            let mut want = x.clone();
            softmax(Isa::Portable, &mut want);
            let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            for (p, &v) in want.iter().zip(&x) {
                assert_eq!(p.to_bits() == 0, v - max < EXP_LO, "{v} in a row of {len}");
            }
            for isa in Isa::available() {
                let mut got = x.clone();
                softmax(isa, &mut got);
                assert_eq!(bits(&want), bits(&got), "{isa:?} {len}");
            }
        }
    }

    #[test]
    fn softmaxes_normalise() {
        let mut x = vec![1.0f32, 2.0, 3.0, -50.0, 0.5];
        let mut y = x.clone();
        softmax(Isa::Portable, &mut x);
        assert!((sum(&x) - 1.0).abs() < 1e-6);
        log_softmax(&mut y);
        for (p, l) in x.iter().zip(&y) {
            assert!((p.ln() - l).abs() < 1e-5);
        }
    }
}
