//! Rules of the Pact as an alliance: colleges of members, meetings, the
//! commitments tree and its roll-up, indicators' progress and semesters.
//!
//! A commitment is a node of a tree. A **leaf**'s progress is typed in by its
//! owner, or computed from an indicator of the platform ([`indicator_progress`]);
//! a node **with children** rolls them up: the weighted mean of the progress of
//! its children that are not cancelled ([`roll_up`]). The status shown
//! ([`Shown`]) adds *delayed* to the stored one: a commitment past its due date
//! and not finished.

use std::collections::HashMap;

use time::{Date, Month};

/// The colleges of the pact's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum College {
    Administrations,
    Employers,
    Unions,
    Others,
}

impl College {
    pub const ALL: [Self; 4] = [
        Self::Administrations,
        Self::Employers,
        Self::Unions,
        Self::Others,
    ];

    /// `administrations`, `employers`, `unions`, `others`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrations => "administrations",
            Self::Employers => "employers",
            Self::Unions => "unions",
            Self::Others => "others",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The college an organisation of the directory usually belongs to, from
    /// its kind (`administration`, `business_association`, `union`, …).
    pub fn for_org_kind(kind: &str) -> Self {
        match kind {
            "administration" => Self::Administrations,
            "business_association" | "company" => Self::Employers,
            "union" => Self::Unions,
            _ => Self::Others,
        }
    }
}

/// What a representative is for its member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepresentativeRole {
    /// Titular.
    Holder,
    /// Suplente.
    Alternate,
}

impl RepresentativeRole {
    pub const ALL: [Self; 2] = [Self::Holder, Self::Alternate];

    /// `holder`, `alternate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holder => "holder",
            Self::Alternate => "alternate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a membership is current on `day`: joined on or before it and not
/// left before or on it (the day of leaving is the first day outside).
pub fn is_current(joined_on: Date, left_on: Option<Date>, day: Date) -> bool {
    joined_on <= day && left_on.is_none_or(|l| l > day)
}

/// A meeting's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingStatus {
    Scheduled,
    Held,
    Cancelled,
}

impl MeetingStatus {
    pub const ALL: [Self; 3] = [Self::Scheduled, Self::Held, Self::Cancelled];

    /// `scheduled`, `held`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The statuses a meeting may move to: a scheduled meeting is held or
    /// cancelled; a cancelled one may be scheduled again; a held one stays.
    pub fn moves(self) -> &'static [Self] {
        match self {
            Self::Scheduled => &[Self::Held, Self::Cancelled],
            Self::Cancelled => &[Self::Scheduled],
            Self::Held => &[],
        }
    }

    pub fn may_move_to(self, to: Self) -> bool {
        self.moves().contains(&to)
    }
}

/// The items of an agenda typed one per line, without blank lines and without
/// the numbers or bullets people type (`1.`, `2)`, `-`, `•`): the page numbers
/// them itself.
pub fn agenda_items(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| {
            let l = l.trim();
            let digits = l.len() - l.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = &l[digits..];
            let rest = if digits > 0 && digits <= 3 {
                match rest.strip_prefix(['.', ')']) {
                    Some(r) if r.is_empty() || r.starts_with(' ') => r,
                    _ => l,
                }
            } else {
                rest.strip_prefix(['-', '•', '*'])
                    .filter(|r| r.starts_with(' '))
                    .unwrap_or(l)
            };
            rest.trim()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// A commitment's stored status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommitmentStatus {
    Planned,
    InProgress,
    Finished,
    Cancelled,
}

impl CommitmentStatus {
    pub const ALL: [Self; 4] = [
        Self::Planned,
        Self::InProgress,
        Self::Finished,
        Self::Cancelled,
    ];

    /// `planned`, `in_progress`, `finished`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Finished => "finished",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The status shown for a commitment: the stored one, or computed for a node
/// with children or an indicator, with *delayed* when past its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shown {
    Planned,
    InProgress,
    Delayed,
    Finished,
    Cancelled,
}

impl Shown {
    pub const ALL: [Self; 5] = [
        Self::Planned,
        Self::InProgress,
        Self::Delayed,
        Self::Finished,
        Self::Cancelled,
    ];

    /// `planned`, `in_progress`, `delayed`, `finished`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Delayed => "delayed",
            Self::Finished => "finished",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The unit of an indicator's value, target and baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A number of records.
    Count,
    /// Euro cents (shown as euros).
    Cents,
    /// A whole percentage, 0–100.
    Percent,
}

impl Unit {
    /// `count`, `cents`, `percent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Cents => "cents",
            Self::Percent => "percent",
        }
    }
}

/// The indicators the platform computes from its own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// Published needs whose first qualified answer came within the target
    /// time of their kind.
    NeedsWithinTarget,
    /// Of the published needs whose clock has decided, the share answered
    /// within target (whole percentage).
    NeedsWithinTargetShare,
    /// Needs that ended in an agreement.
    NeedsAgreed,
    /// Euros awarded to local organisations by the needs' agreements.
    LocalAwarded,
    /// Investor projects in operation (stages operating and aftercare).
    ProjectsOperating,
}

impl Indicator {
    pub const ALL: [Self; 5] = [
        Self::NeedsWithinTarget,
        Self::NeedsWithinTargetShare,
        Self::NeedsAgreed,
        Self::LocalAwarded,
        Self::ProjectsOperating,
    ];

    /// `needs_within_target`, `needs_within_target_share`, `needs_agreed`,
    /// `local_awarded`, `projects_operating`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsWithinTarget => "needs_within_target",
            Self::NeedsWithinTargetShare => "needs_within_target_share",
            Self::NeedsAgreed => "needs_agreed",
            Self::LocalAwarded => "local_awarded",
            Self::ProjectsOperating => "projects_operating",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn unit(self) -> Unit {
        match self {
            Self::NeedsWithinTarget | Self::NeedsAgreed | Self::ProjectsOperating => Unit::Count,
            Self::NeedsWithinTargetShare => Unit::Percent,
            Self::LocalAwarded => Unit::Cents,
        }
    }
}

/// Progress, 0–100, of a value from `baseline` towards `target`. A target
/// below the baseline is a reduction (progress grows as the value falls).
/// A target equal to the baseline is reached (100) or not (0).
pub fn indicator_progress(value: i64, baseline: i64, target: i64) -> u8 {
    let (done, span) = if target >= baseline {
        (
            i128::from(value) - i128::from(baseline),
            i128::from(target) - i128::from(baseline),
        )
    } else {
        (
            i128::from(baseline) - i128::from(value),
            i128::from(baseline) - i128::from(target),
        )
    };
    if span == 0 {
        return if done >= 0 { 100 } else { 0 };
    }
    if done <= 0 {
        return 0;
    }
    if done >= span {
        return 100;
    }
    // Floor: 99.6 % is not finished.
    u8::try_from(done * 100 / span).unwrap_or(100)
}

/// One commitment as the roll-up reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub parent_id: Option<String>,
    /// Order among its siblings.
    pub position: i64,
    /// 1–1000: its share in its parent's progress.
    pub weight: u32,
    pub status: CommitmentStatus,
    /// The typed-in progress, or the indicator's ([`indicator_progress`]).
    pub progress: u8,
    /// Whether `progress` comes from an indicator.
    pub from_indicator: bool,
    pub due_on: Option<Date>,
}

/// A commitment's computed progress and shown status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rolled {
    pub progress: u8,
    pub shown: Shown,
    /// Whether it has children (its progress is theirs).
    pub has_children: bool,
}

/// The progress and status shown of every node, in the order of `nodes`.
///
/// A node whose parent is not in `nodes` is a root. A parent chain that loops
/// (which the store refuses to write) is cut where it loops.
pub fn roll_up(nodes: &[Node], today: Date) -> Vec<Rolled> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if let Some(&p) = n.parent_id.as_deref().and_then(|p| index.get(p))
            && p != i
        {
            children[p].push(i);
        }
    }
    let mut out: Vec<Option<Rolled>> = vec![None; nodes.len()];
    let mut visiting = vec![false; nodes.len()];
    for i in 0..nodes.len() {
        roll(i, nodes, &children, today, &mut out, &mut visiting);
    }
    out.into_iter()
        .map(|r| {
            r.unwrap_or(Rolled {
                progress: 0,
                shown: Shown::Planned,
                has_children: false,
            })
        })
        .collect()
}

fn roll(
    i: usize,
    nodes: &[Node],
    children: &[Vec<usize>],
    today: Date,
    out: &mut [Option<Rolled>],
    visiting: &mut [bool],
) -> Option<Rolled> {
    if let Some(r) = out[i] {
        return Some(r);
    }
    if visiting[i] {
        return None;
    }
    visiting[i] = true;
    let n = &nodes[i];
    let pairs: Vec<(Rolled, u32)> = children[i]
        .iter()
        .filter_map(|&c| {
            roll(c, nodes, children, today, out, visiting).map(|r| (r, nodes[c].weight.max(1)))
        })
        .collect();
    let kids: Vec<Rolled> = pairs.iter().map(|(r, _)| *r).collect();
    let weights: Vec<u32> = pairs.iter().map(|(_, w)| *w).collect();
    let overdue = n.due_on.is_some_and(|d| d < today);
    let rolled = if n.status == CommitmentStatus::Cancelled {
        Rolled {
            progress: if kids.is_empty() {
                n.progress
            } else {
                weighted(&kids, &weights)
            },
            shown: Shown::Cancelled,
            has_children: !kids.is_empty(),
        }
    } else if kids.is_empty() {
        let (progress, base) = if n.from_indicator {
            let p = n.progress.min(100);
            let s = if p >= 100 {
                Shown::Finished
            } else if p == 0 && n.status == CommitmentStatus::Planned {
                Shown::Planned
            } else {
                Shown::InProgress
            };
            (p, s)
        } else {
            match n.status {
                CommitmentStatus::Finished => (100, Shown::Finished),
                CommitmentStatus::Planned => (n.progress.min(100), Shown::Planned),
                _ => (n.progress.min(100), Shown::InProgress),
            }
        };
        Rolled {
            progress,
            shown: delayed(base, overdue),
            has_children: false,
        }
    } else {
        let live: Vec<Rolled> = kids
            .iter()
            .copied()
            .filter(|k| k.shown != Shown::Cancelled)
            .collect();
        let live_weights: Vec<u32> = kids
            .iter()
            .zip(&weights)
            .filter(|(k, _)| k.shown != Shown::Cancelled)
            .map(|(_, w)| *w)
            .collect();
        let (progress, base) = if live.is_empty() {
            (0, Shown::Cancelled)
        } else if live.iter().all(|k| k.shown == Shown::Finished) {
            (100, Shown::Finished)
        } else if live.iter().any(|k| k.shown == Shown::Delayed) {
            (weighted(&live, &live_weights), Shown::Delayed)
        } else if live.iter().all(|k| k.shown == Shown::Planned) {
            (weighted(&live, &live_weights), Shown::Planned)
        } else {
            (weighted(&live, &live_weights), Shown::InProgress)
        };
        Rolled {
            progress,
            shown: if base == Shown::Cancelled {
                base
            } else {
                delayed(base, overdue)
            },
            has_children: true,
        }
    };
    visiting[i] = false;
    out[i] = Some(rolled);
    Some(rolled)
}

fn delayed(s: Shown, overdue: bool) -> Shown {
    match s {
        Shown::Planned | Shown::InProgress if overdue => Shown::Delayed,
        s => s,
    }
}

/// Weighted mean of the progress, rounded down (0 without weight).
fn weighted(kids: &[Rolled], weights: &[u32]) -> u8 {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return 0;
    }
    let sum: u64 = kids
        .iter()
        .zip(weights)
        .map(|(k, &w)| u64::from(k.progress) * u64::from(w))
        .sum();
    u8::try_from(sum / total).unwrap_or(100)
}

/// One line of the tree in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// Index into the nodes given.
    pub index: usize,
    /// `1`, `1.2`, `1.2.3`: the position among siblings, from 1.
    pub number: String,
    /// 0 for a root.
    pub depth: usize,
}

/// The tree in display order (depth first, siblings by `position` then by
/// their order in `nodes`), numbered. Nodes caught in a loop are left out.
pub fn outline(nodes: &[Node]) -> Vec<Outline> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        match n.parent_id.as_deref().and_then(|p| index.get(p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    for c in &mut children {
        c.sort_by_key(|&i| nodes[i].position);
    }
    roots.sort_by_key(|&i| nodes[i].position);
    let mut out = Vec::with_capacity(nodes.len());
    let mut seen = vec![false; nodes.len()];
    let mut stack: Vec<(usize, String, usize)> = roots
        .iter()
        .enumerate()
        .rev()
        .map(|(k, &i)| (i, (k + 1).to_string(), 0))
        .collect();
    while let Some((i, number, depth)) = stack.pop() {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        for (k, &c) in children[i].iter().enumerate().rev() {
            stack.push((c, format!("{number}.{}", k + 1), depth + 1));
        }
        out.push(Outline {
            index: i,
            number,
            depth,
        });
    }
    out
}

/// Whether giving `id` the parent `new_parent` would make a loop, given each
/// node's current parent (`parents`: id → parent id).
pub fn would_cycle(parents: &HashMap<String, Option<String>>, id: &str, new_parent: &str) -> bool {
    let mut at = Some(new_parent.to_owned());
    let mut steps = 0;
    while let Some(p) = at {
        if p == id {
            return true;
        }
        steps += 1;
        if steps > parents.len() + 1 {
            return true;
        }
        at = parents.get(&p).cloned().flatten();
    }
    false
}

/// How many commitments show each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub total: usize,
    pub planned: usize,
    pub in_progress: usize,
    pub delayed: usize,
    pub finished: usize,
    pub cancelled: usize,
}

impl StatusCounts {
    pub fn of(shown: impl IntoIterator<Item = Shown>) -> Self {
        let mut c = Self::default();
        for s in shown {
            c.total += 1;
            match s {
                Shown::Planned => c.planned += 1,
                Shown::InProgress => c.in_progress += 1,
                Shown::Delayed => c.delayed += 1,
                Shown::Finished => c.finished += 1,
                Shown::Cancelled => c.cancelled += 1,
            }
        }
        c
    }
}

/// A half year: the pact reports by semester (`2026-S1` January–June,
/// `2026-S2` July–December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Semester {
    pub year: i32,
    /// 1 or 2.
    pub half: u8,
}

impl Semester {
    /// `2026-S2` (also `2026-s2`); years 2000–2100.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, h) = s.trim().split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let half = match h {
            "S1" | "s1" => 1,
            "S2" | "s2" => 2,
            _ => return None,
        };
        (2000..=2100).contains(&year).then_some(Self { year, half })
    }

    /// The semester `day` falls in.
    pub fn containing(day: Date) -> Self {
        Self {
            year: day.year(),
            half: if u8::from(day.month()) <= 6 { 1 } else { 2 },
        }
    }

    /// First day (1 January or 1 July).
    pub fn first_day(self) -> Date {
        let m = if self.half == 1 {
            Month::January
        } else {
            Month::July
        };
        Date::from_calendar_date(self.year, m, 1).unwrap_or(Date::MIN)
    }

    /// Last day (30 June or 31 December).
    pub fn last_day(self) -> Date {
        let (m, d) = if self.half == 1 {
            (Month::June, 30)
        } else {
            (Month::December, 31)
        };
        Date::from_calendar_date(self.year, m, d).unwrap_or(Date::MAX)
    }

    pub fn previous(self) -> Self {
        if self.half == 2 {
            Self {
                year: self.year,
                half: 1,
            }
        } else {
            Self {
                year: self.year - 1,
                half: 2,
            }
        }
    }

    pub fn next(self) -> Self {
        if self.half == 1 {
            Self {
                year: self.year,
                half: 2,
            }
        } else {
            Self {
                year: self.year + 1,
                half: 1,
            }
        }
    }
}

impl std::fmt::Display for Semester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-S{}", self.year, self.half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn node(id: &str, parent: Option<&str>, status: CommitmentStatus, progress: u8) -> Node {
        Node {
            id: id.into(),
            parent_id: parent.map(Into::into),
            position: 0,
            weight: 1,
            status,
            progress,
            from_indicator: false,
            due_on: None,
        }
    }

    const TODAY: Date = date!(2026 - 12 - 03);

    #[test]
    fn colleges_round_trip_and_follow_the_directory_kinds() {
        for c in College::ALL {
            assert_eq!(College::parse(c.as_str()), Some(c));
        }
        assert_eq!(College::parse("employer"), None);
        assert_eq!(College::for_org_kind("union"), College::Unions);
        assert_eq!(
            College::for_org_kind("administration"),
            College::Administrations
        );
        assert_eq!(
            College::for_org_kind("business_association"),
            College::Employers
        );
        assert_eq!(College::for_org_kind("research_centre"), College::Others);
    }

    #[test]
    fn a_membership_is_current_from_joining_until_the_day_of_leaving() {
        let joined = date!(2026 - 01 - 15);
        assert!(!is_current(joined, None, date!(2026 - 01 - 14)));
        assert!(is_current(joined, None, joined));
        let left = Some(date!(2026 - 06 - 30));
        assert!(is_current(joined, left, date!(2026 - 06 - 29)));
        assert!(!is_current(joined, left, date!(2026 - 06 - 30)));
    }

    #[test]
    fn meetings_move_only_forward_or_back_from_a_cancellation() {
        use MeetingStatus::*;
        assert!(Scheduled.may_move_to(Held));
        assert!(Scheduled.may_move_to(Cancelled));
        assert!(Cancelled.may_move_to(Scheduled));
        assert!(!Held.may_move_to(Scheduled));
        assert!(!Held.may_move_to(Cancelled));
        assert!(!Scheduled.may_move_to(Scheduled));
    }

    #[test]
    fn indicator_progress_is_linear_floored_and_clamped() {
        assert_eq!(indicator_progress(0, 0, 10), 0);
        assert_eq!(indicator_progress(5, 0, 10), 50);
        assert_eq!(indicator_progress(10, 0, 10), 100);
        assert_eq!(indicator_progress(25, 0, 10), 100);
        assert_eq!(indicator_progress(-3, 0, 10), 0);
        assert_eq!(indicator_progress(199, 0, 200), 99);
        assert_eq!(indicator_progress(60, 50, 90), 25);
        // A reduction: from 100 down to 60.
        assert_eq!(indicator_progress(80, 100, 60), 50);
        assert_eq!(indicator_progress(110, 100, 60), 0);
        assert_eq!(indicator_progress(50, 100, 60), 100);
        // Target equal to the baseline.
        assert_eq!(indicator_progress(7, 7, 7), 100);
        assert_eq!(indicator_progress(6, 7, 7), 0);
        // No overflow at the extremes.
        assert_eq!(indicator_progress(i64::MAX, i64::MIN, i64::MAX), 100);
        assert_eq!(indicator_progress(0, i64::MIN, i64::MAX), 50);
    }

    #[test]
    fn indicators_round_trip_with_their_units() {
        for i in Indicator::ALL {
            assert_eq!(Indicator::parse(i.as_str()), Some(i));
        }
        assert_eq!(Indicator::LocalAwarded.unit(), Unit::Cents);
        assert_eq!(Indicator::NeedsWithinTargetShare.unit(), Unit::Percent);
        assert_eq!(Indicator::NeedsWithinTarget.unit(), Unit::Count);
        assert_eq!(Indicator::parse("drop table"), None);
    }

    #[test]
    fn a_parent_is_the_weighted_mean_of_its_live_children() {
        use CommitmentStatus::*;
        let mut a = node("a", Some("root"), InProgress, 50);
        a.weight = 3;
        let b = node("b", Some("root"), Finished, 0);
        let c = node("c", Some("root"), Cancelled, 0);
        let root = node("root", None, Planned, 0);
        let r = roll_up(&[root, a, b, c], TODAY);
        // (50 × 3 + 100 × 1) / 4 = 62.5 → 62; the cancelled child does not count.
        assert_eq!(r[0].progress, 62);
        assert_eq!(r[0].shown, Shown::InProgress);
        assert!(r[0].has_children);
        assert_eq!(r[2].progress, 100, "finished counts as 100");
        assert_eq!(r[3].shown, Shown::Cancelled);
    }

    #[test]
    fn a_parent_is_finished_when_every_live_child_is() {
        use CommitmentStatus::*;
        let nodes = [
            node("p", None, Planned, 0),
            node("x", Some("p"), Finished, 100),
            node("y", Some("p"), Cancelled, 10),
        ];
        let r = roll_up(&nodes, TODAY);
        assert_eq!(r[0].shown, Shown::Finished);
        assert_eq!(r[0].progress, 100);
        let all_cancelled = [
            node("p", None, Planned, 0),
            node("y", Some("p"), Cancelled, 10),
        ];
        assert_eq!(roll_up(&all_cancelled, TODAY)[0].shown, Shown::Cancelled);
    }

    #[test]
    fn past_due_and_unfinished_is_delayed_and_delays_its_parent() {
        use CommitmentStatus::*;
        let mut late = node("late", Some("p"), InProgress, 40);
        late.due_on = Some(date!(2026 - 11 - 30));
        let mut done = node("done", Some("p"), Finished, 100);
        done.due_on = Some(date!(2026 - 11 - 30));
        let mut tomorrow = node("t", Some("p"), Planned, 0);
        tomorrow.due_on = Some(date!(2026 - 12 - 04));
        let r = roll_up(
            &[node("p", None, InProgress, 0), late, done, tomorrow],
            TODAY,
        );
        assert_eq!(r[1].shown, Shown::Delayed);
        assert_eq!(r[2].shown, Shown::Finished);
        assert_eq!(r[3].shown, Shown::Planned);
        assert_eq!(r[0].shown, Shown::Delayed);
        assert_eq!(r[0].progress, 46);
    }

    #[test]
    fn an_indicator_leaf_finishes_itself_at_its_target() {
        use CommitmentStatus::*;
        let mut k = node("k", None, Planned, 100);
        k.from_indicator = true;
        assert_eq!(
            roll_up(std::slice::from_ref(&k), TODAY)[0].shown,
            Shown::Finished
        );
        k.progress = 0;
        assert_eq!(
            roll_up(std::slice::from_ref(&k), TODAY)[0].shown,
            Shown::Planned
        );
        k.progress = 30;
        assert_eq!(
            roll_up(std::slice::from_ref(&k), TODAY)[0].shown,
            Shown::InProgress
        );
        k.status = Cancelled;
        assert_eq!(
            roll_up(std::slice::from_ref(&k), TODAY)[0].shown,
            Shown::Cancelled
        );
    }

    #[test]
    fn roll_up_survives_loops_and_missing_parents() {
        use CommitmentStatus::*;
        let nodes = [
            node("a", Some("b"), InProgress, 10),
            node("b", Some("a"), InProgress, 20),
            node("c", Some("gone"), InProgress, 30),
            node("d", Some("d"), Planned, 0),
        ];
        let r = roll_up(&nodes, TODAY);
        assert_eq!(r.len(), 4);
        assert_eq!(r[2].progress, 30);
        assert!(!r[3].has_children);
    }

    #[test]
    fn outline_numbers_siblings_by_position_depth_first() {
        use CommitmentStatus::*;
        let mut n = vec![
            node("b", None, Planned, 0),
            node("a", None, Planned, 0),
            node("a2", Some("a"), Planned, 0),
            node("a1", Some("a"), Planned, 0),
            node("a11", Some("a1"), Planned, 0),
        ];
        n[0].position = 2;
        n[1].position = 1;
        n[2].position = 2;
        n[3].position = 1;
        let o = outline(&n);
        let shown: Vec<(&str, &str, usize)> = o
            .iter()
            .map(|l| (n[l.index].id.as_str(), l.number.as_str(), l.depth))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("a", "1", 0),
                ("a1", "1.1", 1),
                ("a11", "1.1.1", 2),
                ("a2", "1.2", 1),
                ("b", "2", 0),
            ]
        );
    }

    #[test]
    fn moving_a_node_under_its_own_descendant_is_a_loop() {
        let parents: HashMap<String, Option<String>> = [
            ("a".to_string(), None),
            ("b".to_string(), Some("a".to_string())),
            ("c".to_string(), Some("b".to_string())),
        ]
        .into_iter()
        .collect();
        assert!(would_cycle(&parents, "a", "c"));
        assert!(would_cycle(&parents, "a", "a"));
        assert!(!would_cycle(&parents, "c", "a"));
        assert!(!would_cycle(&parents, "b", "a"));
    }

    #[test]
    fn status_counts_add_up() {
        let c = StatusCounts::of([
            Shown::Finished,
            Shown::Finished,
            Shown::InProgress,
            Shown::Delayed,
            Shown::Cancelled,
        ]);
        assert_eq!(c.total, 5);
        assert_eq!(c.finished, 2);
        assert_eq!(c.in_progress, 1);
        assert_eq!(c.delayed, 1);
        assert_eq!(c.cancelled, 1);
        assert_eq!(c.planned, 0);
    }

    #[test]
    fn agenda_items_drop_the_numbers_people_type() {
        let text = "1. Balance de la jornada\n\n2) Necesidades\n - Importes\n• Ruegos\n2026 en cifras\n10.000 € de ayuda\n3.";
        assert_eq!(
            agenda_items(text),
            vec![
                "Balance de la jornada",
                "Necesidades",
                "Importes",
                "Ruegos",
                "2026 en cifras",
                "10.000 € de ayuda",
            ]
        );
        assert!(agenda_items(" \n\t\n").is_empty());
    }

    #[test]
    fn semesters_parse_contain_and_step() {
        let s = Semester::parse("2026-S2").unwrap();
        assert_eq!(s.to_string(), "2026-S2");
        assert_eq!(s.first_day(), date!(2026 - 07 - 01));
        assert_eq!(s.last_day(), date!(2026 - 12 - 31));
        assert_eq!(Semester::containing(date!(2026 - 06 - 30)).half, 1);
        assert_eq!(Semester::containing(date!(2026 - 07 - 01)), s);
        assert_eq!(s.next().to_string(), "2027-S1");
        assert_eq!(s.previous().to_string(), "2026-S1");
        assert_eq!(
            Semester::parse("2026-S1").unwrap().previous().to_string(),
            "2025-S2"
        );
        for bad in [
            "2026", "2026-S3", "26-S1", "2026-H1", "", "9999-S1", "2026-S1x",
        ] {
            assert_eq!(Semester::parse(bad), None, "{bad}");
        }
    }
}
