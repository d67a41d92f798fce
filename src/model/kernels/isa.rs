//! Which build of the kernels runs: the one place that reads the CPU's features and the
//! environment variables that cap them. Every kernel is handed an `Isa` and dispatches on it;
//! nothing else detects features. Invariant: the choice changes only the speed, never a result
//! (each kernel's builds compute the same operations in the same order, or exact integers).

use std::sync::OnceLock;

/// Environment variable that forces the portable kernels (any value but empty or `0`).
pub const PORTABLE_ENV: &str = "WHOSAID_PORTABLE_KERNELS";

/// Environment variable that caps the build used: `portable`, `avx2`, `avx512` or `vnni`
/// (never above what the CPU has), for the tests that prove every build gives the same rows.
pub const KERNELS_ENV: &str = "WHOSAID_KERNELS";

/// Which build of the kernels runs, in order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// Plain Rust, for any CPU.
    Portable,
    /// AVX2 intrinsics for the integer and float products and the quantizer; the other float
    /// loops (layer norm, softmax, gelu) compiled for AVX2 (`with_isa`).
    Avx2,
    /// AVX2 as above, the integer products on AVX-512 BW (`vpmaddwd`, `vpmaddubsw` on zmm)
    /// and the float dot products on zmm (F, DQ).
    Avx512,
    /// AVX-512 with VNNI (`vpdpwssd`, `vpdpbusd`) for the integer products.
    Avx512Vnni,
}

impl Isa {
    /// Every build, the portable one first.
    const ALL: [Isa; 4] = [Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni];

    /// The build the kernels run: the best this CPU has, capped by `WHOSAID_KERNELS` or
    /// `WHOSAID_PORTABLE_KERNELS`. Decided once per process.
    pub fn current() -> Isa {
        static ISA: OnceLock<Isa> = OnceLock::new();
        *ISA.get_or_init(|| {
            let portable =
                std::env::var_os(PORTABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0");
            let cap = match std::env::var(KERNELS_ENV) {
                _ if portable => Isa::Portable,
                Ok(name) => Isa::from_name(&name).unwrap_or(Isa::Avx512Vnni),
                Err(_) => Isa::Avx512Vnni,
            };
            Isa::detect().min(cap)
        })
    }

    /// The best build this CPU runs, whatever the environment says. Detected once per process.
    pub fn detect() -> Isa {
        static DETECTED: OnceLock<Isa> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            #[cfg(target_arch = "x86_64")]
            {
                use std::arch::is_x86_feature_detected as has;
                if has!("avx512f") && has!("avx512bw") && has!("avx512dq") && has!("avx2") {
                    return if has!("avx512vnni") {
                        Isa::Avx512Vnni
                    } else {
                        Isa::Avx512
                    };
                }
                if has!("avx2") {
                    return Isa::Avx2;
                }
            }
            Isa::Portable
        })
    }

    /// Every build this CPU runs, the portable one first.
    pub fn available() -> Vec<Isa> {
        let best = Isa::detect();
        Isa::ALL.into_iter().filter(|&i| i <= best).collect()
    }

    /// The build's name in `WHOSAID_KERNELS`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Avx512Vnni => "vnni",
        }
    }

    /// The build named `name` (as `name` gives it), if any.
    pub fn from_name(name: &str) -> Option<Isa> {
        Isa::ALL.into_iter().find(|i| i.name() == name)
    }

    /// Whether the AVX2 code runs (every build but the portable one).
    #[inline(always)]
    pub fn avx2(self) -> bool {
        self >= Isa::Avx2
    }

    /// Whether the AVX-512 code runs (F, BW, DQ; VNNI or not).
    #[inline(always)]
    pub fn avx512(self) -> bool {
        self >= Isa::Avx512
    }
}

/// Runs `f` compiled for AVX2 when `isa` says so, else as is: for float loops whose results do
/// not depend on the code generation (no FMA, fixed order), only their speed does.
#[inline(always)]
pub fn with_isa<T>(isa: Isa, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "x86_64")]
    if isa.avx2() {
        #[target_feature(enable = "avx2")]
        unsafe fn run<T>(f: impl FnOnce() -> T) -> T {
            f()
        }
        // SAFETY: chosen only when the CPU has AVX2.
        return unsafe { run(f) };
    }
    let _ = isa;
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_names_round_trip_and_unknown_names_are_none() {
        for isa in Isa::ALL {
            assert_eq!(Isa::from_name(isa.name()), Some(isa));
        }
        assert_eq!(Isa::from_name("sse2"), None);
        assert_eq!(Isa::available()[0], Isa::Portable);
        assert_eq!(*Isa::available().last().unwrap(), Isa::detect());
        assert!(Isa::current() <= Isa::detect());
    }
}
