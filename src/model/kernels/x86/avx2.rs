//! The AVX2 build: the integer products (`vpmaddwd` on ymm; `vpmaddubsw` then `vpmaddwd` by
//! ones for bytes), the quantizers, the float products (`dots`, `weighted_sums`) by register
//! blocks, and `gelu` and `exp` 8 lanes at a time. Invariant: each function gives the bits of
//! the portable code its doc names (exact integers; floats in the same order, multiply then
//! add, never fused).

use super::super::floats::{Rows, WeightedRows};
use super::super::int8::{PackedWeights, Quantizer, Weight, TILE};
use super::super::math::{
    self, ERF_P, ERF_POLY, EXP_HI, EXP_LO, EXP_POLY, LN2_HI, LN2_LO, ROUND_MAGIC as MAGIC,
};
use std::arch::x86_64::*;

/// As `int8::gemm_portable`: blocks of rows times one tile (two ymm of 8 sums) per pass over
/// `k`, for both products read as bytes (a step of `k` is 4 bytes of an activation row and 64
/// of the tile). The i32 sums cannot overflow (`MAX_K`).
///
/// # Safety
/// The CPU must have AVX2; `x` holds `n * kp`, `out` `n * padded m` values.
#[target_feature(enable = "avx2")]
pub unsafe fn gemm<W: Weight>(x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
    let steps = w.kp / W::PER_STEP;
    let (xp, wp) = (x.as_ptr() as *const u8, w.data.as_ptr() as *const u8);
    let mp = w.padded_m();
    // Registers: 6 rows of 2 accumulators for i16; bytes keep 4 per row.
    let rows = if W::PER_STEP == 2 { 6 } else { 2 };
    for t in 0..w.tiles {
        let wt = wp.add(t * 64 * steps);
        let mut i = 0;
        while i < n {
            let r = (n - i).min(rows);
            let (xi, oi) = (
                xp.add(i * 4 * steps),
                out.as_mut_ptr().add(i * mp + t * TILE),
            );
            if W::PER_STEP == 2 {
                rows_dispatch!(r, wide_block::<_>(xi, wt, steps, oi, mp));
            } else {
                rows_dispatch!(r, bytes_block::<_>(xi, wt, steps, oi, mp));
            }
            i += r;
        }
    }
}

/// i16 rows from `x` times the tile at `w`, into `out` (rows `mp` apart): `vpmaddwd` multiplies
/// pairs and adds each pair into an i32 exactly (|2 * 4095 * 127| fits).
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn wide_block<const B: usize>(
    x: *const u8,
    w: *const u8,
    steps: usize,
    out: *mut i32,
    mp: usize,
) {
    let mut acc = [[_mm256_setzero_si256(); 2]; B];
    for s in 0..steps {
        let w0 = _mm256_loadu_si256(w.add(s * 64) as *const __m256i);
        let w1 = _mm256_loadu_si256(w.add(s * 64 + 32) as *const __m256i);
        for (r, a) in acc.iter_mut().enumerate() {
            let pair = (x.add(4 * (r * steps + s)) as *const i32).read_unaligned();
            let xv = _mm256_set1_epi32(pair);
            a[0] = _mm256_add_epi32(a[0], _mm256_madd_epi16(xv, w0));
            a[1] = _mm256_add_epi32(a[1], _mm256_madd_epi16(xv, w1));
        }
    }
    for (r, a) in acc.iter().enumerate() {
        _mm256_storeu_si256(out.add(r * mp) as *mut __m256i, a[0]);
        _mm256_storeu_si256(out.add(r * mp + 8) as *mut __m256i, a[1]);
    }
}

/// u8 rows from `x` times the i8 tile at `w`, into `out`. `vpmaddubsw` adds each pair of
/// products into an i16 without saturating (the widths `Activations` allows). The two pairs of
/// an i32 lane, `lo` and `hi`, are then added without a second multiply (`vpmaddwd` by ones,
/// which shares the one multiply port of AMD's Zen 2 with `vpmaddubsw`, was slower there than
/// the i16 product): the lane with bit 15 flipped is `65536 hi + lo + 32768`, summed in `all`,
/// and `hi` (an arithmetic shift) in `high`; every sum is exact modulo 2^32 and the result,
/// `all - 65535 high - 32768 steps`, fits, so it is the exact sum.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn bytes_block<const B: usize>(
    x: *const u8,
    w: *const u8,
    steps: usize,
    out: *mut i32,
    mp: usize,
) {
    let flip = _mm256_set1_epi32(0x8000);
    let mut all = [[_mm256_setzero_si256(); 2]; B];
    let mut high = [[_mm256_setzero_si256(); 2]; B];
    for s in 0..steps {
        let wv = [
            _mm256_loadu_si256(w.add(s * 64) as *const __m256i),
            _mm256_loadu_si256(w.add(s * 64 + 32) as *const __m256i),
        ];
        for (r, (all, high)) in all.iter_mut().zip(&mut high).enumerate() {
            let quad = (x.add(4 * (r * steps + s)) as *const i32).read_unaligned();
            let xv = _mm256_set1_epi32(quad);
            for ((a, hi), &wh) in all.iter_mut().zip(high.iter_mut()).zip(&wv) {
                let p = _mm256_maddubs_epi16(xv, wh);
                *hi = _mm256_add_epi32(*hi, _mm256_srai_epi32::<16>(p));
                *a = _mm256_add_epi32(*a, _mm256_xor_si256(p, flip));
            }
        }
    }
    let bias = _mm256_set1_epi32((32768 * steps) as i32);
    for (r, (all, high)) in all.iter().zip(&high).enumerate() {
        for (h, (&a, &hi)) in all.iter().zip(high).enumerate() {
            let v = _mm256_sub_epi32(_mm256_add_epi32(a, hi), _mm256_slli_epi32::<16>(hi));
            let v = _mm256_sub_epi32(v, bias);
            _mm256_storeu_si256(out.add(r * mp + 8 * h) as *mut __m256i, v);
        }
    }
}

/// `Quantizer::one` on 8 lanes, as i32: the same operations (`minps`/`maxps` are the compares
/// `one` writes; the value converted is a whole number in range, so truncation is exact).
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn quantize8(qz: &Quantizer, v: __m256) -> __m256i {
    let (hi, lo) = (_mm256_set1_ps(qz.hi), _mm256_set1_ps(qz.lo));
    let (hi_q, lo_q) = (_mm256_set1_ps(qz.hi_q), _mm256_set1_ps(qz.lo_q));
    let (inv, magic) = (_mm256_set1_ps(qz.inv_step), _mm256_set1_ps(MAGIC));
    let v = _mm256_max_ps(_mm256_min_ps(v, hi), lo);
    let v = _mm256_mul_ps(v, inv);
    let v = _mm256_sub_ps(_mm256_add_ps(v, magic), magic);
    let v = _mm256_max_ps(_mm256_min_ps(v, hi_q), lo_q);
    _mm256_cvttps_epi32(v)
}

/// `Quantizer::one` of each value, 8 at a time, the tail by the scalar code.
///
/// # Safety
/// The CPU must have AVX2; `q` is as long as `x`.
#[target_feature(enable = "avx2")]
pub unsafe fn quantize(qz: &Quantizer, x: &[f32], q: &mut [i16]) {
    let full = x.len() / 8 * 8;
    for k in (0..full).step_by(8) {
        let i = quantize8(qz, _mm256_loadu_ps(x.as_ptr().add(k)));
        // Pack to i16 (in range, no saturation) and gather the two lanes' halves.
        let p = _mm256_permute4x64_epi64(_mm256_packs_epi32(i, i), 0b1000);
        _mm_storeu_si128(
            q.as_mut_ptr().add(k) as *mut __m128i,
            _mm256_castsi256_si128(p),
        );
    }
    for k in full..x.len() {
        q[k] = qz.one(x[k]);
    }
}

/// `Quantizer::byte` of each value, 8 at a time, the tail by the scalar code.
///
/// # Safety
/// The CPU must have AVX2; `q` is as long as `x`.
#[target_feature(enable = "avx2")]
pub unsafe fn quantize_bytes(qz: &Quantizer, x: &[f32], q: &mut [u8]) {
    let zero = _mm256_set1_epi32(qz.zero);
    let full = x.len() / 8 * 8;
    for k in (0..full).step_by(8) {
        let i = quantize8(qz, _mm256_loadu_ps(x.as_ptr().add(k)));
        let i = _mm256_add_epi32(i, zero);
        // In 0..=255: packing to i16 then u8 saturates nothing; each 128-bit lane's 4 values
        // end in its low 4 bytes.
        let p = _mm256_packus_epi16(_mm256_packs_epi32(i, i), _mm256_setzero_si256());
        let lo = _mm256_cvtsi256_si32(p) as u32;
        let hi = _mm256_extract_epi32::<4>(p) as u32;
        let both = u64::from(lo) | u64::from(hi) << 32;
        (q.as_mut_ptr().add(k) as *mut u64).write_unaligned(both);
    }
    for k in full..x.len() {
        q[k] = qz.byte(x[k]);
    }
}

/// As the portable `dots`: blocks of 4 rows of `x` times 3 of `w`, 12 independent lane
/// accumulators in registers (one chain per element, as `dot` has, but 12 in flight).
///
/// # Safety
/// The CPU must have AVX2; sizes as `floats::dots` asserts.
#[target_feature(enable = "avx2")]
pub unsafe fn dots(r: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
    let mut i = 0;
    while i + 4 <= n {
        dots_cols::<4>(r, i, m, out, os);
        i += 4;
    }
    while i < n {
        dots_cols::<1>(r, i, m, out, os);
        i += 1;
    }
}

#[target_feature(enable = "avx2")]
#[inline]
pub(super) unsafe fn dots_cols<const R: usize>(
    r: &Rows,
    i: usize,
    m: usize,
    out: &mut [f32],
    os: usize,
) {
    let mut j = 0;
    while j + 3 <= m {
        dots_block::<R, 3>(r, i, j, out, os);
        j += 3;
    }
    while j < m {
        dots_block::<R, 1>(r, i, j, out, os);
        j += 1;
    }
}

/// Rows `i..i + R` of `x` times rows `j..j + C` of `w`: lane `l` of element `(a, b)` adds
/// `x * w` at `k = l, l + 8, ...` in order from 0, the tail goes to the first lanes, then
/// `tree`, exactly `dot`'s sequence. Multiply then add (no FMA).
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn dots_block<const R: usize, const C: usize>(
    r: &Rows,
    i: usize,
    j: usize,
    out: &mut [f32],
    os: usize,
) {
    let mut acc = [[_mm256_setzero_ps(); C]; R];
    let (xp, wp) = (r.x.as_ptr(), r.w.as_ptr());
    let full = r.k / 8 * 8;
    let mut k = 0;
    while k < full {
        let mut xv = [_mm256_setzero_ps(); R];
        for (a, v) in xv.iter_mut().enumerate() {
            *v = _mm256_loadu_ps(xp.add((i + a) * r.xs + k));
        }
        #[allow(clippy::needless_range_loop)]
        for b in 0..C {
            let wv = _mm256_loadu_ps(wp.add((j + b) * r.ws + k));
            for a in 0..R {
                acc[a][b] = _mm256_add_ps(acc[a][b], _mm256_mul_ps(xv[a], wv));
            }
        }
        k += 8;
    }
    for (a, row) in acc.iter().enumerate() {
        for (b, &v) in row.iter().enumerate() {
            let mut l = [0f32; 8];
            _mm256_storeu_ps(l.as_mut_ptr(), v);
            out[(i + a) * os + j + b] = r.finish(l, i + a, j + b);
        }
    }
}

/// As `floats::weighted_sums_portable`, by blocks of 3 rows times 32 columns in registers.
///
/// # Safety
/// The CPU must have AVX2; sizes as `weighted_sums` asserts.
#[target_feature(enable = "avx2")]
pub unsafe fn weighted_sums(w: &WeightedRows, out: &mut [f32]) {
    let WeightedRows { p, n, pn, v, vs, d } = *w;
    let full = d / 8 * 8;
    let mut i = 0;
    while i < n {
        let r = (n - i).min(3);
        let mut e = 0;
        while e < full {
            match (r, (full - e) / 8) {
                (3, 4..) => ws_block::<3, 4>(w, i, e, out),
                (3, c) => {
                    for t in 0..c {
                        ws_block::<3, 1>(w, i, e + 8 * t, out)
                    }
                }
                (_, 4..) => {
                    for a in 0..r {
                        ws_block::<1, 4>(w, i + a, e, out)
                    }
                }
                (_, c) => {
                    for a in 0..r {
                        for t in 0..c {
                            ws_block::<1, 1>(w, i + a, e + 8 * t, out)
                        }
                    }
                }
            }
            e += ((full - e) / 8).min(4) * 8;
        }
        // Columns past the last 8: plain, in the same order.
        for a in i..i + r {
            for e in full..d {
                let mut c = 0f32;
                for j in 0..pn {
                    c += p[a * pn + j] * v[j * vs + e];
                }
                out[a * d + e] = c;
            }
        }
        i += r;
    }
}

/// Rows `i..i + R`, columns `e..e + 8 * C` of `weighted_sums`.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn ws_block<const R: usize, const C: usize>(
    w: &WeightedRows,
    i: usize,
    e: usize,
    out: &mut [f32],
) {
    let WeightedRows {
        p, pn, v, vs, d, ..
    } = *w;
    let mut acc = [[_mm256_setzero_ps(); C]; R];
    let (pp, vp) = (p.as_ptr(), v.as_ptr());
    for j in 0..pn {
        let mut vv = [_mm256_setzero_ps(); C];
        for (c, x) in vv.iter_mut().enumerate() {
            *x = _mm256_loadu_ps(vp.add(j * vs + e + 8 * c));
        }
        for (a, row) in acc.iter_mut().enumerate() {
            let pa = _mm256_set1_ps(*pp.add((i + a) * pn + j));
            for (c, x) in row.iter_mut().enumerate() {
                *x = _mm256_add_ps(*x, _mm256_mul_ps(pa, vv[c]));
            }
        }
    }
    for (a, row) in acc.iter().enumerate() {
        for (c, &x) in row.iter().enumerate() {
            _mm256_storeu_ps(out.as_mut_ptr().add((i + a) * d + e + 8 * c), x);
        }
    }
}

/// `math::exp` on 8 lanes: the same operations in the same order (the clamp as `max(lo, x)`
/// then `min(hi, x)`, which keep a NaN as `f32::clamp` does; `n` is then a whole number in
/// -126..=127, so truncating it is exact).
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn exp8(x: __m256) -> __m256 {
    let magic = _mm256_set1_ps(MAGIC);
    let lo = _mm256_set1_ps(EXP_LO);
    let under = _mm256_cmp_ps::<_CMP_LT_OQ>(x, lo);
    let x = _mm256_min_ps(_mm256_set1_ps(EXP_HI), _mm256_max_ps(lo, x));
    let n = _mm256_mul_ps(x, _mm256_set1_ps(std::f32::consts::LOG2_E));
    let n = _mm256_sub_ps(_mm256_add_ps(n, magic), magic);
    let r = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(LN2_HI)));
    let r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(LN2_LO)));
    let mut p = _mm256_set1_ps(EXP_POLY[0]);
    for &c in &EXP_POLY[1..] {
        p = _mm256_add_ps(_mm256_set1_ps(c), _mm256_mul_ps(r, p));
    }
    let bits = _mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127));
    let two_n = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(bits));
    _mm256_blendv_ps(_mm256_mul_ps(p, two_n), _mm256_setzero_ps(), under)
}

/// `math::erf` on 8 lanes, the same operations in the same order.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn erf8(x: __m256) -> __m256 {
    let one = _mm256_set1_ps(1.0);
    let sign = _mm256_set1_ps(-0.0);
    let a = _mm256_andnot_ps(sign, x);
    let t = _mm256_div_ps(
        one,
        _mm256_add_ps(one, _mm256_mul_ps(_mm256_set1_ps(ERF_P), a)),
    );
    let mut q = _mm256_set1_ps(ERF_POLY[0]);
    for &c in &ERF_POLY[1..] {
        q = _mm256_add_ps(_mm256_set1_ps(c), _mm256_mul_ps(t, q));
    }
    let e = exp8(_mm256_mul_ps(_mm256_xor_ps(a, sign), a));
    let y = _mm256_sub_ps(one, _mm256_mul_ps(_mm256_mul_ps(t, q), e));
    let negative = _mm256_cmp_ps::<_CMP_LT_OQ>(x, _mm256_setzero_ps());
    _mm256_blendv_ps(y, _mm256_xor_ps(y, sign), negative)
}

/// `math::gelu` of each element in place, 8 at a time, the tail by the scalar code.
///
/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
pub unsafe fn gelu(x: &mut [f32]) {
    let (half, one) = (_mm256_set1_ps(0.5), _mm256_set1_ps(1.0));
    let scale = _mm256_set1_ps(std::f32::consts::FRAC_1_SQRT_2);
    let mut chunks = x.chunks_exact_mut(8);
    for c in &mut chunks {
        let v = _mm256_loadu_ps(c.as_ptr());
        let e = erf8(_mm256_mul_ps(v, scale));
        let g = _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e));
        _mm256_storeu_ps(c.as_mut_ptr(), g);
    }
    for v in chunks.into_remainder() {
        *v = math::gelu(*v);
    }
}

/// `x[i] = math::exp(x[i] - shift)` in place, 8 at a time, the tail by the scalar code.
///
/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
pub unsafe fn exp_shifted(x: &mut [f32], shift: f32) {
    let s = _mm256_set1_ps(shift);
    let mut chunks = x.chunks_exact_mut(8);
    for c in &mut chunks {
        let v = _mm256_sub_ps(_mm256_loadu_ps(c.as_ptr()), s);
        _mm256_storeu_ps(c.as_mut_ptr(), exp8(v));
    }
    for v in chunks.into_remainder() {
        *v = math::exp(*v - shift);
    }
}
