//! The AVX-512 build: the integer products on zmm (BW: `vpmaddwd` then `vpaddd` for i16,
//! `vpmaddubsw` then `vpmaddwd` by ones for bytes; VNNI: `vpdpwssd`, `vpdpbusd`) and the float
//! dot products two elements per zmm (F, DQ); the rest of this build runs the AVX2 code.
//! Invariant: each function gives the bits of the portable code its doc names (exact integers;
//! floats lane by lane in the same order, never fused).

use super::super::floats::Rows;
use super::super::int8::{PackedWeights, Weight, TILE};
use std::arch::x86_64::*;

/// Rows and tiles per register block: 24 zmm accumulators of the 32.
const R: usize = 6;
const C: usize = 4;

/// As `int8::gemm_portable`, by blocks of up to 6 rows times 4 tiles (64 columns). i16:
/// `vpmaddwd` then `vpaddd`, which adds the same exact pair sums without saturation as the
/// other builds; bytes: `vpmaddubsw` (pairs into i16, which the widths `Activations` allows
/// never saturate) then `vpmaddwd` by ones and `vpaddd`. So the same integers.
///
/// # Safety
/// The CPU must have AVX-512 F and BW; sizes as `int8::gemm_rows` asserts.
#[target_feature(enable = "avx512f,avx512bw")]
pub unsafe fn gemm_bw<W: Weight>(x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
    gemm::<W, false>(x, n, w, out)
}

/// As `gemm_bw` with VNNI's fused `vpdpwssd` (i16) or `vpdpbusd` (bytes): multiply, add each
/// 2 or 4 products and the sum exactly (no saturation): the same exact integers.
///
/// # Safety
/// The CPU must have AVX-512 F, BW and VNNI; sizes as `int8::gemm_rows` asserts.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
pub unsafe fn gemm_vnni<W: Weight>(x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
    gemm::<W, true>(x, n, w, out)
}

/// The body of both, inlined into each so it is compiled with its features: blocks of 4 tiles,
/// then the last tiles one at a time.
#[inline(always)]
unsafe fn gemm<W: Weight, const VNNI: bool>(
    x: &[W::Act],
    n: usize,
    w: &PackedWeights<W>,
    out: &mut [i32],
) {
    let mut t = 0;
    while t < w.tiles {
        let c = (w.tiles - t).min(C);
        let mut i = 0;
        while i < n {
            let r = (n - i).min(R);
            if c == C {
                rows_dispatch!(r, gemm_block::<_, C, W>(x, i, w, t, out, VNNI));
            } else {
                for u in t..t + c {
                    rows_dispatch!(r, gemm_block::<_, 1, W>(x, i, w, u, out, VNNI));
                }
            }
            i += r;
        }
        t += c;
    }
}

/// One step: `acc` plus each i32 lane's products of `x` and `w` (2 i16 or 4 bytes).
#[inline(always)]
unsafe fn step<W: Weight>(acc: __m512i, x: __m512i, w: __m512i, vnni: bool) -> __m512i {
    match (W::PER_STEP == 2, vnni) {
        (true, true) => _mm512_dpwssd_epi32(acc, x, w),
        (true, false) => _mm512_add_epi32(acc, _mm512_madd_epi16(x, w)),
        (false, true) => _mm512_dpbusd_epi32(acc, x, w),
        (false, false) => {
            let pairs = _mm512_maddubs_epi16(x, w);
            _mm512_add_epi32(acc, _mm512_madd_epi16(pairs, _mm512_set1_epi16(1)))
        }
    }
}

/// Rows `i..i + B` times tiles `t..t + T`: `B * T` zmm of sums kept in registers over `k`.
#[inline(always)]
unsafe fn gemm_block<const B: usize, const T: usize, W: Weight>(
    x: &[W::Act],
    i: usize,
    w: &PackedWeights<W>,
    t: usize,
    out: &mut [i32],
    vnni: bool,
) {
    let kp = w.kp;
    let mp = w.padded_m();
    let mut acc = [[_mm512_setzero_si512(); T]; B];
    // Bytes: a step is 4 bytes of an activation row and 64 of each tile.
    let xs = std::mem::size_of::<W::Act>() * kp;
    let xp = x.as_ptr().add(i * kp) as *const u8;
    let panel = std::mem::size_of::<W>() * TILE * kp;
    let wp = (w.data.as_ptr() as *const u8).add(t * panel);
    for s in 0..kp / W::PER_STEP {
        let mut wv = [_mm512_setzero_si512(); T];
        for (c, v) in wv.iter_mut().enumerate() {
            *v = _mm512_loadu_si512(wp.add(c * panel + s * 64) as *const __m512i);
        }
        for (r, a) in acc.iter_mut().enumerate() {
            let quad = (xp.add(r * xs + 4 * s) as *const i32).read_unaligned();
            let xv = _mm512_set1_epi32(quad);
            for (c, a) in a.iter_mut().enumerate() {
                *a = step::<W>(*a, xv, wv[c], vnni);
            }
        }
    }
    let op = out.as_mut_ptr();
    for (r, a) in acc.iter().enumerate() {
        for (c, &v) in a.iter().enumerate() {
            let o = op.add((i + r) * mp + (t + c) * TILE);
            _mm512_storeu_si512(o as *mut __m512i, v);
        }
    }
}

/// Pairs of `x` rows per register block of `dots`, and `w` rows.
const P: usize = 4;
const DOTS_C: usize = 6;

/// As the portable `dots`, two elements per zmm: the low 8 lanes are element `(a, b)`'s
/// lane accumulators, the high 8 those of `(a + 1, b)`, each lane the same products added
/// in the same order as `dot` (lane-wise, so the register width changes nothing), then
/// each half goes through `tree`. Blocks of 8 rows times 6; an odd last row runs the AVX2
/// code.
///
/// # Safety
/// The CPU must have AVX-512 F and DQ (and AVX2); sizes as `floats::dots` asserts.
#[target_feature(enable = "avx2,avx512f,avx512dq")]
pub unsafe fn dots(r: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
    let mut i = 0;
    while i + 2 <= n {
        let pairs = ((n - i) / 2).min(P);
        match pairs {
            1 => dots_cols::<1>(r, i, m, out, os),
            2 => dots_cols::<2>(r, i, m, out, os),
            3 => dots_cols::<3>(r, i, m, out, os),
            _ => dots_cols::<4>(r, i, m, out, os),
        }
        i += 2 * pairs;
    }
    if i < n {
        super::avx2::dots_cols::<1>(r, i, m, out, os);
    }
}

#[target_feature(enable = "avx2,avx512f,avx512dq")]
#[inline]
unsafe fn dots_cols<const Q: usize>(r: &Rows, i: usize, m: usize, out: &mut [f32], os: usize) {
    let mut j = 0;
    while j + DOTS_C <= m {
        dots_block::<Q, DOTS_C>(r, i, j, out, os);
        j += DOTS_C;
    }
    while j < m {
        dots_block::<Q, 1>(r, i, j, out, os);
        j += 1;
    }
}

#[target_feature(enable = "avx2,avx512f,avx512dq")]
#[inline]
unsafe fn dots_block<const Q: usize, const B: usize>(
    r: &Rows,
    i: usize,
    j: usize,
    out: &mut [f32],
    os: usize,
) {
    let mut acc = [[_mm512_setzero_ps(); B]; Q];
    let (xp, wp) = (r.x.as_ptr(), r.w.as_ptr());
    let full = r.k / 8 * 8;
    let mut k = 0;
    while k < full {
        let mut xv = [_mm512_setzero_ps(); Q];
        for (q, v) in xv.iter_mut().enumerate() {
            let lo = _mm256_loadu_ps(xp.add((i + 2 * q) * r.xs + k));
            let hi = _mm256_loadu_ps(xp.add((i + 2 * q + 1) * r.xs + k));
            *v = _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
        }
        #[allow(clippy::needless_range_loop)]
        for b in 0..B {
            let wv = _mm512_broadcast_f32x8(_mm256_loadu_ps(wp.add((j + b) * r.ws + k)));
            for q in 0..Q {
                acc[q][b] = _mm512_add_ps(acc[q][b], _mm512_mul_ps(xv[q], wv));
            }
        }
        k += 8;
    }
    for (q, row) in acc.iter().enumerate() {
        for (b, &v) in row.iter().enumerate() {
            let mut l = [0f32; 16];
            _mm512_storeu_ps(l.as_mut_ptr(), v);
            for h in 0..2 {
                let a = i + 2 * q + h;
                let mut lanes = [0f32; 8];
                lanes.copy_from_slice(&l[8 * h..8 * h + 8]);
                out[a * os + j + b] = r.finish(lanes, a, j + b);
            }
        }
    }
}
