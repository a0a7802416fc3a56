//! Phase timings of a run (`portal build --timings`, `portal check --timings`): how long each
//! phase took on the clock and, for the build, how much CPU time the process spent in it, so a
//! phase that keeps only one core busy shows as CPU ≈ wall.

use std::time::Instant;

use serde::Serialize;

/// How long one phase took.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// The phase's name (`load`, `pages`, `search-index` …; docs/check.md and
    /// docs/benchmarks.md say what each covers).
    pub phase: &'static str,
    /// Milliseconds on the clock.
    pub ms: f64,
    /// Milliseconds of CPU time (user + system, every thread) spent in the phase, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<f64>,
}

/// Records consecutive phases: each [`Timings::lap`] closes the phase that began at the
/// previous lap (or at [`Timings::start`]).
#[derive(Debug)]
pub struct Timings {
    laps: Vec<Timing>,
    since: Instant,
    cpu_since: Option<f64>,
}

impl Timings {
    /// Starts the first phase now.
    pub fn start() -> Self {
        Timings {
            laps: Vec::new(),
            since: Instant::now(),
            cpu_since: process_cpu_ms(),
        }
    }

    /// Closes the current phase as `phase` and starts the next one.
    pub fn lap(&mut self, phase: &'static str) {
        let cpu_now = process_cpu_ms();
        self.laps.push(Timing {
            phase,
            ms: self.since.elapsed().as_secs_f64() * 1000.0,
            cpu_ms: cpu_now.zip(self.cpu_since).map(|(now, then)| now - then),
        });
        self.since = Instant::now();
        self.cpu_since = cpu_now;
    }

    /// Adds the phases another recorder closed (a lower layer's sub-phases), in order, and
    /// starts the next phase now.
    pub fn extend(&mut self, inner: Vec<Timing>) {
        self.laps.extend(inner);
        self.since = Instant::now();
        self.cpu_since = process_cpu_ms();
    }

    /// The phases closed so far, handed over; recording goes on from an empty list.
    pub fn take(&mut self) -> Vec<Timing> {
        std::mem::take(&mut self.laps)
    }

    /// The phases closed so far.
    pub fn into_vec(self) -> Vec<Timing> {
        self.laps
    }
}

/// `load 120 ms (CPU 230 ms)`-style parts of a timings line, in order.
pub fn parts(timings: &[Timing]) -> Vec<String> {
    timings
        .iter()
        .map(|t| match t.cpu_ms {
            Some(cpu) => format!("{} {:.0} ms (CPU {:.0} ms)", t.phase, t.ms, cpu),
            None => format!("{} {:.0} ms", t.phase, t.ms),
        })
        .collect()
}

/// CPU time (user + system) of the whole process so far, in milliseconds.
#[cfg(unix)]
fn process_cpu_ms() -> Option<f64> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return None;
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    Some(ms(ru.ru_utime) + ms(ru.ru_stime))
}

/// CPU time is not measured off Unix.
#[cfg(not(unix))]
fn process_cpu_ms() -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_close_phases_in_order_with_cpu_time() {
        let mut t = Timings::start();
        // Burn a little CPU so the phase has some.
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        t.lap("first");
        t.extend(vec![Timing {
            phase: "inner",
            ms: 1.0,
            cpu_ms: None,
        }]);
        t.lap("last");
        let v = t.into_vec();
        let names: Vec<_> = v.iter().map(|t| t.phase).collect();
        assert_eq!(names, ["first", "inner", "last"]);
        assert!(v[0].cpu_ms.is_some_and(|c| c >= 0.0));
        let line = parts(&v);
        assert!(line[0].starts_with("first ") && line[0].contains("(CPU "));
        assert_eq!(line[1], "inner 1 ms");
    }
}
