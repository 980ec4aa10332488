//! The Office's rules: the stages of an investor project and the moves between
//! them, the response clock of an inquiry, and the figures of the dashboard
//! (conversion between stages, median days per stage).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A stage of an investor project, after World Bank/WAIPA practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Inquiry,
    Qualified,
    SiteSearch,
    Visits,
    Decision,
    Establishment,
    Financing,
    Construction,
    Operating,
    Aftercare,
    OnHold,
    Lost,
}

impl Stage {
    /// The active stages, in the order a project goes through them.
    pub const ACTIVE: [Stage; 10] = [
        Stage::Inquiry,
        Stage::Qualified,
        Stage::SiteSearch,
        Stage::Visits,
        Stage::Decision,
        Stage::Establishment,
        Stage::Financing,
        Stage::Construction,
        Stage::Operating,
        Stage::Aftercare,
    ];

    /// Every stage: the active ones, then on hold and lost.
    pub const ALL: [Stage; 12] = [
        Stage::Inquiry,
        Stage::Qualified,
        Stage::SiteSearch,
        Stage::Visits,
        Stage::Decision,
        Stage::Establishment,
        Stage::Financing,
        Stage::Construction,
        Stage::Operating,
        Stage::Aftercare,
        Stage::OnHold,
        Stage::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Inquiry => "inquiry",
            Stage::Qualified => "qualified",
            Stage::SiteSearch => "site_search",
            Stage::Visits => "visits",
            Stage::Decision => "decision",
            Stage::Establishment => "establishment",
            Stage::Financing => "financing",
            Stage::Construction => "construction",
            Stage::Operating => "operating",
            Stage::Aftercare => "aftercare",
            Stage::OnHold => "on_hold",
            Stage::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The position among the active stages (`None` for on hold and lost).
    pub fn rank(self) -> Option<usize> {
        Stage::ACTIVE.iter().position(|s| *s == self)
    }

    pub fn is_active(self) -> bool {
        self.rank().is_some()
    }

    /// Stages a project may skip: no visits when the investor knows the site,
    /// no financing when it pays its own way.
    pub fn is_optional(self) -> bool {
        matches!(self, Stage::Visits | Stage::Financing)
    }

    /// Moving here needs a reason (why it is on hold, why it was lost).
    pub fn needs_reason(self) -> bool {
        matches!(self, Stage::OnHold | Stage::Lost)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a project in `from` may go. `held_from` is the active stage a project on
/// hold or lost came from.
///
/// - From an active stage: the next one (skipping an optional stage is allowed),
///   one step back (the investor turned the sites down, say), on hold, lost.
///   Aftercare is the end of the road: only on hold and lost.
/// - On hold: resume where it stopped, or lost.
/// - Lost: reopen where it stopped.
pub fn allowed_moves(from: Stage, held_from: Option<Stage>) -> Vec<Stage> {
    let active = &Stage::ACTIVE;
    match from.rank() {
        Some(i) => {
            let mut out = Vec::new();
            if let Some(next) = active.get(i + 1) {
                out.push(*next);
                if next.is_optional()
                    && let Some(after) = active.get(i + 2)
                {
                    out.push(*after);
                }
            }
            if i > 0 && from != Stage::Aftercare {
                out.push(active[i - 1]);
            }
            out.push(Stage::OnHold);
            out.push(Stage::Lost);
            out
        }
        None => {
            let back = held_from
                .filter(|s| s.is_active())
                .unwrap_or(Stage::Qualified);
            match from {
                Stage::OnHold => vec![back, Stage::Lost],
                _ => vec![back],
            }
        }
    }
}

/// Whether `from → to` is allowed.
pub fn can_move(from: Stage, held_from: Option<Stage>, to: Stage) -> bool {
    allowed_moves(from, held_from).contains(&to)
}

/// What `held_from` becomes after a move: the active stage left behind when a
/// project goes on hold or is lost, nothing once it is active again.
pub fn held_from_after(from: Stage, held_from: Option<Stage>, to: Stage) -> Option<Stage> {
    if to.is_active() {
        None
    } else if from.is_active() {
        Some(from)
    } else {
        held_from
    }
}

/// The response clock of an inquiry: it runs from arrival until the office
/// answers, qualifies or dismisses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseClock {
    /// Time since arrival (or until the answer, once stopped).
    pub elapsed: Duration,
    pub stopped: bool,
    /// Over the target: still running past it, or answered after it.
    pub late: bool,
}

/// The clock of an inquiry received at `received`, answered at `answered` (if
/// it was), seen at `now`, against `target`.
pub fn response_clock(
    received: time::OffsetDateTime,
    answered: Option<time::OffsetDateTime>,
    now: time::OffsetDateTime,
    target: Duration,
) -> ResponseClock {
    let end = answered.unwrap_or(now);
    let elapsed = Duration::try_from(end - received).unwrap_or_default();
    ResponseClock {
        elapsed,
        stopped: answered.is_some(),
        late: elapsed > target,
    }
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// One step of the funnel: how many projects reached `from`, how many of those
/// went on to `to` (or further).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conversion {
    pub from: Stage,
    pub to: Stage,
    pub reached_from: usize,
    pub reached_to: usize,
}

impl Conversion {
    /// Share of the projects in `from` that reached `to`, 0–1 (`None` when none reached `from`).
    pub fn rate(&self) -> Option<f64> {
        (self.reached_from > 0).then(|| self.reached_to as f64 / self.reached_from as f64)
    }
}

/// The funnel between consecutive active stages, from the furthest active stage
/// each project reached (a project that skipped an optional stage counts as
/// having passed it).
pub fn conversions(furthest: &[Stage]) -> Vec<Conversion> {
    let mut reached = [0usize; Stage::ACTIVE.len()];
    for s in furthest {
        if let Some(r) = s.rank() {
            for slot in reached.iter_mut().take(r + 1) {
                *slot += 1;
            }
        }
    }
    Stage::ACTIVE
        .windows(2)
        .enumerate()
        .map(|(i, w)| Conversion {
            from: w[0],
            to: w[1],
            reached_from: reached[i],
            reached_to: reached[i + 1],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn names_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(Stage::parse("Lost"), None);
        assert_eq!(Stage::parse(""), None);
    }

    #[test]
    fn forward_back_hold_and_lose() {
        assert_eq!(
            allowed_moves(Stage::Inquiry, None),
            vec![Stage::Qualified, Stage::OnHold, Stage::Lost]
        );
        assert_eq!(
            allowed_moves(Stage::SiteSearch, None),
            vec![
                Stage::Visits,
                Stage::Decision,
                Stage::Qualified,
                Stage::OnHold,
                Stage::Lost
            ]
        );
        assert_eq!(
            allowed_moves(Stage::Aftercare, None),
            vec![Stage::OnHold, Stage::Lost]
        );
        assert!(!can_move(Stage::Inquiry, None, Stage::Operating));
        assert!(can_move(Stage::Establishment, None, Stage::Construction));
        assert!(!can_move(Stage::Qualified, None, Stage::Visits));
    }

    #[test]
    fn on_hold_resumes_where_it_stopped_and_lost_reopens() {
        let held = held_from_after(Stage::Visits, None, Stage::OnHold);
        assert_eq!(held, Some(Stage::Visits));
        assert_eq!(
            allowed_moves(Stage::OnHold, held),
            vec![Stage::Visits, Stage::Lost]
        );
        let lost = held_from_after(Stage::OnHold, held, Stage::Lost);
        assert_eq!(lost, Some(Stage::Visits));
        assert_eq!(allowed_moves(Stage::Lost, lost), vec![Stage::Visits]);
        assert_eq!(held_from_after(Stage::Lost, lost, Stage::Visits), None);
    }

    #[test]
    fn the_clock_runs_until_the_answer() {
        let received = datetime!(2026-12-01 09:00 UTC);
        let target = Duration::from_secs(48 * 3600);
        let running = response_clock(received, None, datetime!(2026-12-02 09:00 UTC), target);
        assert_eq!(running.elapsed, Duration::from_secs(24 * 3600));
        assert!(!running.stopped && !running.late);
        let late = response_clock(received, None, datetime!(2026-12-04 09:00 UTC), target);
        assert!(late.late);
        let answered = response_clock(
            received,
            Some(datetime!(2026-12-01 10:30 UTC)),
            datetime!(2026-12-09 00:00 UTC),
            target,
        );
        assert_eq!(answered.elapsed, Duration::from_secs(5400));
        assert!(answered.stopped && !answered.late);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 2.0]), Some(2.0));
    }

    #[test]
    fn funnel_counts_projects_that_got_further() {
        let c = conversions(&[
            Stage::Inquiry,
            Stage::Qualified,
            Stage::Decision,
            Stage::Operating,
        ]);
        assert_eq!(c.len(), 9);
        assert_eq!((c[0].reached_from, c[0].reached_to), (4, 3));
        assert_eq!(c[0].rate(), Some(0.75));
        // Visits → decision: two reached decision; both count as past visits.
        assert_eq!(
            (c[3].from, c[3].reached_from, c[3].reached_to),
            (Stage::Visits, 2, 2)
        );
        assert_eq!(c[8].rate(), Some(0.0));
        assert_eq!(conversions(&[])[0].rate(), None);
    }

    fn any_stage() -> impl Strategy<Value = Stage> {
        (0..Stage::ALL.len()).prop_map(|i| Stage::ALL[i])
    }

    proptest! {
        #[test]
        fn every_walk_keeps_the_rules(moves in proptest::collection::vec(0usize..6, 0..60)) {
            let (mut stage, mut held) = (Stage::Inquiry, None);
            for pick in moves {
                let allowed = allowed_moves(stage, held);
                prop_assert!(!allowed.is_empty());
                prop_assert!(!allowed.contains(&stage));
                let to = allowed[pick % allowed.len()];
                held = held_from_after(stage, held, to);
                stage = to;
                // Out of the active stages, there is always the way back in.
                prop_assert_eq!(held.is_some(), !stage.is_active());
                if let Some(h) = held { prop_assert!(h.is_active()); }
            }
        }

        #[test]
        fn no_move_jumps_more_than_one_optional_stage(from in any_stage(), to in any_stage()) {
            if can_move(from, None, to) && from.is_active() && to.is_active() {
                let (a, b) = (from.rank().unwrap_or(0), to.rank().unwrap_or(0));
                prop_assert!(b + 1 == a || b == a + 1 || (b == a + 2 && Stage::ACTIVE[a + 1].is_optional()));
            }
        }

        #[test]
        fn median_lies_between_min_and_max(v in proptest::collection::vec(0.0f64..1e6, 1..50)) {
            let m = median(&v).unwrap_or(-1.0);
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(m >= lo && m <= hi);
        }
    }
}
