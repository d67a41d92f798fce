//! Wall time per named section (`whosaid bench --profile`): the pipeline's stages and the parts
//! of the default model pass. Off unless enabled, when a section costs one relaxed load. The
//! sections are timed on the thread that runs them whole (a stage over a window, a layer's
//! matrix product over a batch), so the figures are wall times that add up.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static TIMES: Mutex<BTreeMap<&'static str, (f64, u64)>> = Mutex::new(BTreeMap::new());

/// Starts recording (for the rest of the process).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Runs `f`, adding its wall time to `name` when recording.
#[inline]
pub fn time<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let t = Instant::now();
    let r = f();
    let secs = t.elapsed().as_secs_f64();
    let mut times = TIMES.lock().unwrap_or_else(|p| p.into_inner());
    let e = times.entry(name).or_default();
    e.0 += secs;
    e.1 += 1;
    r
}

/// Seconds and calls per section, by name.
pub fn report() -> Vec<(&'static str, f64, u64)> {
    let times = TIMES.lock().unwrap_or_else(|p| p.into_inner());
    times.iter().map(|(&n, &(s, c))| (n, s, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_add_up_once_enabled() {
        time("test.off", || ());
        enable();
        for _ in 0..3 {
            time("test.on", || {
                std::thread::sleep(std::time::Duration::from_millis(2))
            });
        }
        let r = report();
        let on = r.iter().find(|e| e.0 == "test.on").expect("recorded");
        assert_eq!(on.2, 3);
        assert!(on.1 >= 0.006, "{}", on.1);
    }
}
