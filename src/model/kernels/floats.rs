//! Float products in one fixed order: dot products, sums, `linear_f32` (the heads' dense
//! layers) and attention's scores (`dots` over `Rows`) and weighted values (`weighted_sums`).
//! Invariant: every element is the same sequence of exactly rounded `+` and `*` on every build
//! (element `k` of a dot product goes to lane `k % 8`, lanes added in order, then one fixed
//! tree; multiply then add, never an FMA), so the SIMD builds give the portable build's bits.

use super::isa::Isa;
#[cfg(target_arch = "x86_64")]
use super::x86::{avx2, avx512};
use rayon::prelude::*;

/// Rows of `x` per parallel task: each output element is computed by one task, in one order.
pub(super) const ROWS_PER_TASK: usize = 16;

/// Sums 8 lanes in one fixed tree.
#[inline(always)]
fn tree(l: [f32; 8]) -> f32 {
    let a = [l[0] + l[4], l[1] + l[5], l[2] + l[6], l[3] + l[7]];
    (a[0] + a[2]) + (a[1] + a[3])
}

/// `a . b` in a fixed order: element `k` goes to lane `k % 8`, lanes added in order, then a
/// fixed tree. Lengths must match.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let mut l = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            l[i] += x[i] * y[i];
        }
    }
    for i in 0..ra.len() {
        l[i] += ra[i] * rb[i];
    }
    tree(l)
}

/// The sum of `a` in the order `dot` uses.
#[inline(always)]
pub fn sum(a: &[f32]) -> f32 {
    let mut l = [0f32; 8];
    let c = a.chunks_exact(8);
    let r = c.remainder();
    for x in c {
        for i in 0..8 {
            l[i] += x[i];
        }
    }
    for i in 0..r.len() {
        l[i] += r[i];
    }
    tree(l)
}

/// `out[i * m + j] = x_i . w_j + bias_j` for `x` `[n, k]`, `w` `[m, k]`, in f32: each element
/// one `dot` (by `dots`, so by its register blocks on the SIMD builds), plus the bias.
pub fn linear_f32(isa: Isa, x: &[f32], w: &[f32], bias: Option<&[f32]>, m: usize) -> Vec<f32> {
    let k = w.len() / m.max(1);
    let n = x.len().checked_div(k).unwrap_or(0);
    let mut out = vec![0f32; n * m];
    if n == 0 || m == 0 {
        return out;
    }
    out.par_chunks_mut(ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(t, out)| {
            let i0 = t * ROWS_PER_TASK;
            let rows = out.len() / m;
            let x = &x[i0 * k..(i0 + rows) * k];
            let xw = Rows {
                x,
                xs: k,
                w,
                ws: k,
                k,
            };
            dots(isa, &xw, rows, m, out, m);
            // Adding 0 without a bias turns -0 into +0, as `dot(..) + 0.0` always has.
            for o in out.chunks_exact_mut(m) {
                for (j, o) in o.iter_mut().enumerate() {
                    *o += bias.map_or(0.0, |b| b[j]);
                }
            }
        });
    out
}

/// Two sets of `k`-long rows, `x_i = x[i * xs..][..k]` and `w_j = w[j * ws..][..k]`, for
/// `dots`.
pub struct Rows<'a> {
    pub x: &'a [f32],
    pub xs: usize,
    pub w: &'a [f32],
    pub ws: usize,
    pub k: usize,
}

impl Rows<'_> {
    /// Element `(a, b)` from its 8 lane sums over the first `k / 8 * 8` columns: the tail
    /// goes to the first lanes, then `tree`, as `dot` does. Every SIMD build ends this way.
    #[inline(always)]
    pub(super) fn finish(&self, mut lanes: [f32; 8], a: usize, b: usize) -> f32 {
        let full = self.k / 8 * 8;
        let xr = &self.x[a * self.xs + full..a * self.xs + self.k];
        let wr = &self.w[b * self.ws + full..b * self.ws + self.k];
        for (t, (&p, &w)) in xr.iter().zip(wr).enumerate() {
            lanes[t] += p * w;
        }
        tree(lanes)
    }
}

/// `out[i * os + j] = dot(x_i, w_j)` for `i < n`, `j < m`: every element the same operations
/// in the same order as `dot` (so the same bits), the SIMD builds by register blocks.
pub fn dots(isa: Isa, rows: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
    if n == 0 || m == 0 {
        return;
    }
    assert!(rows.x.len() >= (n - 1) * rows.xs + rows.k);
    assert!(rows.w.len() >= (m - 1) * rows.ws + rows.k);
    assert!(out.len() >= (n - 1) * os + m);
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX-512 F and DQ; sizes asserted above.
        i if i.avx512() => unsafe { avx512::dots(rows, n, m, out, os) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2; sizes asserted above.
        i if i.avx2() => unsafe { avx2::dots(rows, n, m, out, os) },
        _ => {
            for i in 0..n {
                let xr = &rows.x[i * rows.xs..][..rows.k];
                for j in 0..m {
                    out[i * os + j] = dot(xr, &rows.w[j * rows.ws..][..rows.k]);
                }
            }
        }
    }
}

/// Attention's weighted values: `n` rows of `pn` weights, `p_i = p[i * pn..][..pn]`, over `pn`
/// value rows `v_j = v[j * vs..][..d]`, for `weighted_sums`.
#[derive(Clone, Copy)]
pub struct WeightedRows<'a> {
    pub p: &'a [f32],
    pub n: usize,
    pub pn: usize,
    pub v: &'a [f32],
    pub vs: usize,
    pub d: usize,
}

/// `out[i * d + e] = sum_j p[i * pn + j] * v[j * vs + e]` for `i < n`, `j < pn`, `e < d`: each
/// element from 0, adding `p * v` in the order of `j`.
pub fn weighted_sums(isa: Isa, w: &WeightedRows, out: &mut [f32]) {
    assert!(w.p.len() >= w.n * w.pn && out.len() >= w.n * w.d);
    assert!(w.pn == 0 || w.v.len() >= (w.pn - 1) * w.vs + w.d);
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2; sizes asserted above.
        i if i.avx2() => unsafe { avx2::weighted_sums(w, out) },
        _ => weighted_sums_portable(w, out),
    }
}

/// The portable `weighted_sums`.
fn weighted_sums_portable(w: &WeightedRows, out: &mut [f32]) {
    let WeightedRows { p, n, pn, v, vs, d } = *w;
    for i in 0..n {
        let c = &mut out[i * d..(i + 1) * d];
        c.fill(0.0);
        for j in 0..pn {
            let pj = p[i * pn + j];
            for (c, &vj) in c.iter_mut().zip(&v[j * vs..j * vs + d]) {
                *c += pj * vj;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::Rng;

    #[test]
    fn float_products_are_the_same_bits_on_every_build() {
        let mut rng = Rng(42);
        for &(n, m, k) in &[(1, 1, 1), (5, 7, 13), (33, 9, 400), (2, 51, 256)] {
            let x: Vec<f32> = (0..n * k).map(|_| rng.f32() * 3.0).collect();
            let w: Vec<f32> = (0..m * k).map(|_| rng.f32()).collect();
            let b: Vec<f32> = (0..m).map(|_| rng.f32()).collect();
            let portable = linear_f32(Isa::Portable, &x, &w, Some(&b), m);
            let native = linear_f32(Isa::detect(), &x, &w, Some(&b), m);
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&portable), bits(&native));
            // and it is a dot product: close to the f64 one
            for i in 0..n {
                for j in 0..m {
                    let r: f64 = (0..k)
                        .map(|c| f64::from(x[i * k + c]) * f64::from(w[j * k + c]))
                        .sum::<f64>()
                        + f64::from(b[j]);
                    assert!((f64::from(portable[i * m + j]) - r).abs() < 1e-4, "{i} {j}");
                }
            }
        }
    }

    #[test]
    fn attention_products_are_the_same_bits_on_every_build() {
        let mut rng = Rng(99);
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        // Strided rows as attention reads them; lengths around every block edge.
        for &(n, k, stride) in &[
            (1, 32, 96),
            (7, 32, 96),
            (13, 20, 40),
            (30, 8, 8),
            (9, 33, 70),
        ] {
            let x: Vec<f32> = (0..n * stride).map(|_| rng.f32()).collect();
            let y: Vec<f32> = (0..n * stride).map(|_| rng.f32()).collect();
            let rows = Rows {
                x: &x,
                xs: stride,
                w: &y,
                ws: stride,
                k,
            };
            let mut want = vec![0f32; n * n];
            dots(Isa::Portable, &rows, n, n, &mut want, n);
            let mut ws_want = vec![0f32; n * k];
            let weighted = WeightedRows {
                p: &want,
                n,
                pn: n,
                v: &y,
                vs: stride,
                d: k,
            };
            weighted_sums(Isa::Portable, &weighted, &mut ws_want);
            for isa in Isa::available() {
                let mut got = vec![0f32; n * n];
                dots(isa, &rows, n, n, &mut got, n);
                assert_eq!(bits(&want), bits(&got), "dots {isa:?} {n} {k}");
                let mut ws = vec![0f32; n * k];
                weighted_sums(isa, &weighted, &mut ws);
                assert_eq!(bits(&ws_want), bits(&ws), "weighted sums {isa:?} {n} {k}");
            }
            for i in 0..n {
                for j in 0..n {
                    let d = dot(&x[i * stride..][..k], &y[j * stride..][..k]);
                    assert_eq!(want[i * n + j].to_bits(), d.to_bits());
                }
            }
        }
    }
}
