//! How long each phase of a job took: wall-clock times, for finding where the time goes.
//! They are never part of a report's output, which must not depend on the machine.

use std::fmt;
use std::time::{Duration, Instant};

/// The wall-clock time of each phase of a job, in the order the phases ran.
///
/// ```
/// let mut timings = proximity::Timings::default();
/// let sum = timings.time("adding", || 1 + 1);
/// assert_eq!(sum, 2);
/// assert_eq!(timings.phases()[0].0, "adding");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Timings {
    phases: Vec<(String, Duration)>,
}

impl Timings {
    /// Runs `work` and records how long it took under `phase`.
    pub fn time<T>(&mut self, phase: &str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = work();
        self.record(phase, start.elapsed());
        result
    }

    /// Records that `phase` took `elapsed`.
    pub fn record(&mut self, phase: &str, elapsed: Duration) {
        self.phases.push((phase.to_string(), elapsed));
    }

    /// Appends `other`'s phases, each named `prefix: phase`.
    pub fn append(&mut self, prefix: &str, other: &Timings) {
        for (phase, elapsed) in &other.phases {
            self.phases.push((format!("{prefix}: {phase}"), *elapsed));
        }
    }

    /// The phases and their times, in the order they ran.
    pub fn phases(&self) -> &[(String, Duration)] {
        &self.phases
    }

    /// The sum of the phases' times.
    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, elapsed)| *elapsed).sum()
    }
}

/// One line per phase: its seconds, its share of the total and its name; then the total.
impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total().as_secs_f64();
        for (phase, elapsed) in &self.phases {
            let seconds = elapsed.as_secs_f64();
            let share = if total > 0.0 {
                100.0 * seconds / total
            } else {
                0.0
            };
            writeln!(f, "{seconds:>9.3} s {share:>5.1} %  {phase}")?;
        }
        writeln!(f, "{total:>9.3} s 100.0 %  total")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_keep_their_order_and_prefix() {
        let mut inner = Timings::default();
        inner.record("read", Duration::from_millis(1500));
        let mut outer = Timings::default();
        outer.append("incidents", &inner);
        outer.record("index", Duration::from_millis(500));
        let names: Vec<&str> = outer.phases().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["incidents: read", "index"]);
        assert_eq!(outer.total(), Duration::from_secs(2));
        let text = outer.to_string();
        assert!(
            text.contains("    1.500 s  75.0 %  incidents: read\n"),
            "{text}"
        );
        assert!(text.ends_with("    2.000 s 100.0 %  total\n"), "{text}");
    }
}
