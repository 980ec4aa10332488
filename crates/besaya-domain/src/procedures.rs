//! Administrative procedures (trámites) of an investor project and their legal
//! clocks, after Spain's Ley 39/2015 (arts. 21–22, 24 and 30):
//!
//! - a term in **business days** skips Saturdays, Sundays and holidays (national,
//!   Cantabrian and the administration's local ones: a [`Holidays`] set);
//! - a term in **calendar days** counts every day, and a term in **months** runs
//!   date to date (a day that the month lacks becomes its last day); in both, a due
//!   date that falls on a non-business day moves to the next business day;
//! - the clock starts the day after the file is complete;
//! - a correction request pauses it (art. 22.1.a): the days after the request up to
//!   and including the day the correction arrives do not count; it resumes the day
//!   after, like a new start; for calendar-day and month terms the due date moves
//!   by the paused calendar days;
//! - at the due date without a decision, the procedure's **silence** applies
//!   (positive: granted; negative: refused).
//!
//! The events of a procedure replay into a [`Clock`]; [`assess`] says where a
//! procedure stands on a given day; [`plan`] lays a project's procedures on the
//! calendar through their dependencies and finds the critical path; [`proposes`]
//! says whether a catalogue entry applies to a project's characteristics.
//!
//! Everything here is pure and deterministic: no IO, no clock of its own.

use std::collections::BTreeSet;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Weekday};

/// How a legal term is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermUnit {
    BusinessDays,
    CalendarDays,
    Months,
}

impl TermUnit {
    pub const ALL: [Self; 3] = [Self::BusinessDays, Self::CalendarDays, Self::Months];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BusinessDays => "business_days",
            Self::CalendarDays => "calendar_days",
            Self::Months => "months",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s.trim())
    }
}

/// A maximum legal term: `value` business days, calendar days or months (value ≥ 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Term {
    pub value: u32,
    pub unit: TermUnit,
}

/// What the administration's silence means once the term has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Silence {
    /// Granted by silence (estimatorio).
    Positive,
    /// Refused by silence (desestimatorio).
    Negative,
}

impl Silence {
    pub const ALL: [Self; 2] = [Self::Positive, Self::Negative];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// The non-business days besides weekends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    days: BTreeSet<Date>,
}

impl Holidays {
    pub fn new(days: impl IntoIterator<Item = Date>) -> Self {
        Self {
            days: days.into_iter().collect(),
        }
    }

    /// These holidays and `more` (an administration's local holidays).
    pub fn with(&self, more: impl IntoIterator<Item = Date>) -> Self {
        let mut days = self.days.clone();
        days.extend(more);
        Self { days }
    }

    pub fn is_holiday(&self, d: Date) -> bool {
        self.days.contains(&d)
    }

    /// Monday to Friday and not a holiday.
    pub fn is_business_day(&self, d: Date) -> bool {
        is_weekday(d) && !self.is_holiday(d)
    }

    /// The first business day on or after `d`.
    pub fn business_day_on_or_after(&self, d: Date) -> Date {
        let mut cur = d;
        while !self.is_business_day(cur) {
            match cur.next_day() {
                Some(next) => cur = next,
                // The end of the calendar: saturate.
                None => return cur,
            }
        }
        cur
    }

    /// The business day `n` business days after `d` (`n` = 0: `d` itself).
    pub fn add_business_days(&self, d: Date, n: u32) -> Date {
        let mut cur = d;
        let mut left = i64::from(n);
        // Whole weeks first: `w` weeks hold `5w` weekdays less the holidays on
        // weekdays among them. Jump only while at least one business day stays
        // to be stepped, so that the answer is found by the loop below (a jump
        // lands on `cur`'s weekday, which may be a weekend day).
        while left > 5 {
            // Never past the end of the calendar: the loop below saturates there.
            let weeks = ((left - 1) / 5).min(days_between(cur, Date::MAX) / 7);
            if weeks == 0 {
                break;
            }
            let Some(target) = add_days(cur, weeks * 7) else {
                break;
            };
            left -= weeks * 5 - self.weekday_holidays(cur, target);
            cur = target;
        }
        while left > 0 {
            match cur.next_day() {
                Some(next) => cur = next,
                None => return cur,
            }
            if self.is_business_day(cur) {
                left -= 1;
            }
        }
        cur
    }

    /// Business days `d` with `a < d <= b` (0 when `b <= a`).
    pub fn business_days_between(&self, a: Date, b: Date) -> i64 {
        if b <= a {
            return 0;
        }
        weekdays_between(a, b) - self.weekday_holidays(a, b)
    }

    /// Holidays on a weekday in `(a, b]`.
    fn weekday_holidays(&self, a: Date, b: Date) -> i64 {
        if b <= a {
            return 0;
        }
        let count = self
            .days
            .range((Bound::Excluded(a), Bound::Included(b)))
            .filter(|d| is_weekday(**d))
            .count();
        i64::try_from(count).unwrap_or(i64::MAX)
    }
}

fn is_weekday(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// `d` plus `days` days, `None` past the end of the calendar.
fn add_days(d: Date, days: i64) -> Option<Date> {
    d.checked_add(Duration::days(days))
}

/// `d` plus `days` days, saturating at the ends of the calendar.
fn add_days_saturating(d: Date, days: i64) -> Date {
    add_days(d, days).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Calendar days from `a` to `b` (negative when `b < a`).
fn days_between(a: Date, b: Date) -> i64 {
    i64::from(b.to_julian_day()) - i64::from(a.to_julian_day())
}

/// Monday = 0 … Sunday = 6.
fn weekday_index(d: Date) -> i64 {
    i64::from(d.weekday().number_days_from_monday())
}

/// Weekdays (Monday to Friday) `d` with `a < d <= b`.
fn weekdays_between(a: Date, b: Date) -> i64 {
    let days = days_between(a, b);
    if days <= 0 {
        return 0;
    }
    let mut count = days / 7 * 5;
    // The remaining `days % 7` days follow `a`'s weekday.
    let start = weekday_index(a);
    for k in 1..=days % 7 {
        if (start + k) % 7 < 5 {
            count += 1;
        }
    }
    count
}

/// `d` plus `n` months, date to date: a day the month lacks becomes its last day
/// (saturating at the end of the calendar).
pub(crate) fn add_months(d: Date, n: u32) -> Date {
    let total = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + i64::from(n);
    let year = total.div_euclid(12);
    let Ok(year) = i32::try_from(year) else {
        return Date::MAX;
    };
    let Ok(month) = u8::try_from(total.rem_euclid(12) + 1).map(time::Month::try_from) else {
        return Date::MAX;
    };
    let Ok(month) = month else {
        return Date::MAX;
    };
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// Days `d` with `a < d <= b` in the term's unit.
fn units_between(unit: TermUnit, holidays: &Holidays, a: Date, b: Date) -> i64 {
    match unit {
        TermUnit::BusinessDays => holidays.business_days_between(a, b),
        TermUnit::CalendarDays | TermUnit::Months => days_between(a, b).max(0),
    }
}

/// Units `d` with `start < d <= end` outside the pauses (`from < d <= to`, an open
/// pause running to the end of time).
fn running_units(
    unit: TermUnit,
    holidays: &Holidays,
    start: Date,
    end: Date,
    pauses: &[Pause],
) -> i64 {
    let mut cur = start;
    let mut total = 0;
    for pause in pauses {
        if cur >= end {
            break;
        }
        total += units_between(unit, holidays, cur, pause.from.min(end));
        cur = cur.max(pause.to.unwrap_or(Date::MAX));
    }
    total + units_between(unit, holidays, cur, end)
}

/// The due date of a clock started on `start` with these closed pauses.
fn due_from(term: Term, holidays: &Holidays, start: Date, pauses: &[Pause]) -> Date {
    match term.unit {
        TermUnit::BusinessDays => {
            // Walk the running stretches between pauses.
            let mut cur = start;
            let mut left = i64::from(term.value);
            for pause in pauses {
                let Some(to) = pause.to else { continue };
                let here = holidays.business_days_between(cur, pause.from);
                if here >= left {
                    break;
                }
                left -= here;
                cur = cur.max(to);
            }
            holidays.add_business_days(cur, u32::try_from(left).unwrap_or(u32::MAX))
        }
        TermUnit::CalendarDays | TermUnit::Months => {
            let nominal = match term.unit {
                TermUnit::Months => add_months(start, term.value),
                _ => add_days_saturating(start, i64::from(term.value)),
            };
            let paused: i64 = pauses
                .iter()
                .filter_map(|p| p.to.map(|to| days_between(p.from, to).max(0)))
                .sum();
            holidays.business_day_on_or_after(add_days_saturating(nominal, paused))
        }
    }
}

/// What happens to a procedure, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The application is filed with the administration.
    Filed,
    /// The administration deems the file complete: the legal clock starts.
    Complete,
    /// The administration asks for a correction: the clock pauses.
    CorrectionRequested,
    /// The correction is handed in: the clock resumes.
    Corrected,
    /// Express decision: granted.
    Granted,
    /// Express decision: refused.
    Denied,
    /// The term passed without a decision: the silence applies (only after the due date).
    Silence,
    /// A note that does not move the clock.
    Note,
}

impl EventKind {
    pub const ALL: [Self; 8] = [
        Self::Filed,
        Self::Complete,
        Self::CorrectionRequested,
        Self::Corrected,
        Self::Granted,
        Self::Denied,
        Self::Silence,
        Self::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Filed => "filed",
            Self::Complete => "complete",
            Self::CorrectionRequested => "correction_requested",
            Self::Corrected => "corrected",
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::Silence => "silence",
            Self::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// Where a procedure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not filed yet.
    Pending,
    /// Filed, the file is not complete yet (no clock).
    Filed,
    /// The clock runs.
    Running,
    /// A correction was requested: the clock is paused.
    Paused,
    Granted,
    Denied,
    /// Resolved by positive silence: granted.
    SilencePositive,
    /// Resolved by negative silence: refused.
    SilenceNegative,
}

impl Status {
    pub const ALL: [Self; 8] = [
        Self::Pending,
        Self::Filed,
        Self::Running,
        Self::Paused,
        Self::Granted,
        Self::Denied,
        Self::SilencePositive,
        Self::SilenceNegative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Filed => "filed",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::SilencePositive => "silence_positive",
            Self::SilenceNegative => "silence_negative",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Granted, denied or resolved by silence.
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            Self::Granted | Self::Denied | Self::SilencePositive | Self::SilenceNegative
        )
    }

    /// The events that may follow (`Note` always may; `Silence` only after the due date).
    pub fn allowed(self) -> &'static [EventKind] {
        use EventKind as E;
        match self {
            Self::Pending => &[E::Filed, E::Complete, E::Note],
            Self::Filed => &[E::Complete, E::CorrectionRequested, E::Note],
            Self::Running => &[
                E::CorrectionRequested,
                E::Granted,
                E::Denied,
                E::Silence,
                E::Note,
            ],
            Self::Paused => &[E::Corrected, E::Note],
            Self::Granted | Self::Denied | Self::SilencePositive | Self::SilenceNegative => {
                &[E::Note]
            }
        }
    }
}

/// A pause of the clock: requested on `from`, corrected on `to` (`None`: still paused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: Date,
    pub to: Option<Date>,
}

/// The state of a procedure's legal clock, replayed from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub status: Status,
    pub filed_on: Option<Date>,
    /// The day the file was complete (the clock runs from the next day).
    pub started_on: Option<Date>,
    /// Pauses after the start (a correction before the file is complete does not
    /// touch a clock that has not started, but the status is still `Paused`).
    pub pauses: Vec<Pause>,
    pub resolved_on: Option<Date>,
    /// The date of the latest event applied (events are dated in order).
    #[serde(default)]
    pub last_on: Option<Date>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            status: Status::Pending,
            filed_on: None,
            started_on: None,
            pauses: Vec::new(),
            resolved_on: None,
            last_on: None,
        }
    }
}

/// Why an event cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("{kind:?} cannot follow status {status:?}")]
    NotAllowed { status: Status, kind: EventKind },
    /// Events are dated in order: an event cannot be dated before the last one.
    #[error("dated before the previous event ({previous})")]
    BeforePrevious { previous: Date },
    /// Silence applies only after the due date (or the clock is not running).
    #[error("the term has not passed (due {due:?})")]
    TermNotPassed { due: Option<Date> },
}

/// The rules a procedure's clock follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules<'a> {
    pub term: Term,
    pub silence: Silence,
    pub holidays: &'a Holidays,
}

impl Clock {
    /// Applies one event dated `on`. On error the clock is unchanged.
    pub fn apply(&mut self, rules: Rules<'_>, kind: EventKind, on: Date) -> Result<(), EventError> {
        use EventKind as E;
        let status = self.status;
        if !status.allowed().contains(&kind) {
            return Err(EventError::NotAllowed { status, kind });
        }
        if let Some(previous) = self.last_on
            && on < previous
        {
            return Err(EventError::BeforePrevious { previous });
        }
        match (status, kind) {
            (_, E::Note) => {}
            (Status::Pending, E::Filed) => {
                self.filed_on = Some(on);
                self.status = Status::Filed;
            }
            (Status::Pending | Status::Filed, E::Complete) => {
                // Filed and complete the same day when nothing was filed before.
                self.filed_on = self.filed_on.or(Some(on));
                self.started_on = Some(on);
                self.status = Status::Running;
            }
            (Status::Filed, E::CorrectionRequested) => self.status = Status::Paused,
            (Status::Running, E::CorrectionRequested) => {
                self.pauses.push(Pause { from: on, to: None });
                self.status = Status::Paused;
            }
            (Status::Paused, E::Corrected) => {
                if self.started_on.is_some() {
                    if let Some(open) = self.pauses.iter_mut().rev().find(|p| p.to.is_none()) {
                        open.to = Some(on);
                    }
                    self.status = Status::Running;
                } else {
                    self.status = Status::Filed;
                }
            }
            (Status::Running, E::Granted) => self.resolve(Status::Granted, on),
            (Status::Running, E::Denied) => self.resolve(Status::Denied, on),
            (Status::Running, E::Silence) => {
                let due = self.due_on(rules);
                match due {
                    Some(d) if on > d => self.resolve(
                        match rules.silence {
                            Silence::Positive => Status::SilencePositive,
                            Silence::Negative => Status::SilenceNegative,
                        },
                        on,
                    ),
                    _ => return Err(EventError::TermNotPassed { due }),
                }
            }
            _ => return Err(EventError::NotAllowed { status, kind }),
        }
        self.last_on = Some(on);
        Ok(())
    }

    fn resolve(&mut self, status: Status, on: Date) {
        self.status = status;
        self.resolved_on = Some(on);
    }

    /// Replays events in order; the error names the index of the first refused event.
    pub fn replay(
        rules: Rules<'_>,
        events: impl IntoIterator<Item = (EventKind, Date)>,
    ) -> Result<Self, (usize, EventError)> {
        let mut clock = Self::default();
        for (i, (kind, on)) in events.into_iter().enumerate() {
            clock.apply(rules, kind, on).map_err(|e| (i, e))?;
        }
        Ok(clock)
    }

    /// The legal due date: `None` before the file is complete and while paused.
    pub fn due_on(&self, rules: Rules<'_>) -> Option<Date> {
        let start = self.started_on?;
        if self.status == Status::Paused {
            return None;
        }
        Some(due_from(rules.term, rules.holidays, start, &self.pauses))
    }

    /// Days the clock has run by `today` (or by the decision), pauses left out: business
    /// days for a business-day term, calendar days otherwise.
    pub fn elapsed(&self, rules: Rules<'_>, today: Date) -> u32 {
        let Some(start) = self.started_on else {
            return 0;
        };
        let end = self.resolved_on.map_or(today, |r| r.min(today));
        let units = running_units(rules.term.unit, rules.holidays, start, end, &self.pauses);
        u32::try_from(units.max(0)).unwrap_or(u32::MAX)
    }

    /// Calendar days from the start to the decision, pauses left out (`None`
    /// until decided with a started clock): the administration's time to decision.
    pub fn days_to_decision(&self) -> Option<u32> {
        let start = self.started_on?;
        let resolved = self.resolved_on?;
        if !self.status.is_resolved() {
            return None;
        }
        let days = running_units(
            TermUnit::CalendarDays,
            &Holidays::default(),
            start,
            resolved,
            &self.pauses,
        );
        Some(u32::try_from(days.max(0)).unwrap_or(u32::MAX))
    }
}

/// Where a procedure stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    pub due_on: Option<Date>,
    /// See [`Clock::elapsed`].
    pub elapsed: u32,
    /// Term units left until the due date (negative: overdue); `None` without a due date.
    pub remaining: Option<i64>,
    /// Running past its due date without a decision.
    pub overdue: bool,
    /// What the silence would mean (or meant) on the due date.
    pub silence: Silence,
    /// For a resolved procedure with a started clock: decided on or before the due date.
    pub within_term: Option<bool>,
}

/// Where a procedure stands on `today`.
pub fn assess(clock: &Clock, rules: Rules<'_>, today: Date) -> Assessment {
    let due_on = clock.due_on(rules);
    let remaining = due_on.map(|due| match rules.term.unit {
        TermUnit::BusinessDays if due >= today => rules.holidays.business_days_between(today, due),
        TermUnit::BusinessDays => -rules.holidays.business_days_between(due, today),
        TermUnit::CalendarDays | TermUnit::Months => days_between(today, due),
    });
    let within_term = match (clock.status.is_resolved(), clock.resolved_on, due_on) {
        (true, Some(resolved), Some(due)) => Some(resolved <= due),
        _ => None,
    };
    Assessment {
        status: clock.status,
        due_on,
        elapsed: clock.elapsed(rules, today),
        remaining,
        overdue: clock.status == Status::Running && due_on.is_some_and(|due| due < today),
        silence: rules.silence,
        within_term,
    }
}

/// One procedure of a project, for [`plan`].
#[derive(Debug, Clone)]
pub struct PlanItem<'a> {
    /// Indexes (into the same slice) of the procedures this one waits for.
    pub deps: Vec<usize>,
    pub clock: &'a Clock,
    pub rules: Rules<'a>,
}

/// One procedure laid on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Planned {
    /// When it started (or is expected to: the latest expected end of its
    /// dependencies, or `today`, if it has not started).
    pub start: Date,
    /// When it ended (the decision) or is expected to end: the due date; today for
    /// an overdue one; for a paused one, today plus the term left.
    pub end: Date,
    pub critical: bool,
}

/// A project's procedures on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// One per item, in the items' order.
    pub items: Vec<Planned>,
    /// The critical path, first procedure to last (indexes into the items).
    pub path: Vec<usize>,
    /// The expected date of the last decision (`None` without items).
    pub last: Option<Date>,
}

/// The dependencies form a cycle (the indexes of one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the dependencies form a cycle: {0:?}")]
pub struct Cycle(pub Vec<usize>);

/// Lays the procedures on the calendar from `today` and finds the critical path:
/// from the procedure that ends last, back through the dependency that ends last.
pub fn plan(items: &[PlanItem<'_>], today: Date) -> Result<Plan, Cycle> {
    let deps: Vec<&[usize]> = items.iter().map(|i| i.deps.as_slice()).collect();
    let order = topological(&deps)?;
    let n = items.len();
    let placeholder = Planned {
        start: today,
        end: today,
        critical: false,
    };
    let mut planned = vec![placeholder; n];
    for &i in &order {
        let item = &items[i];
        planned[i] = place(item, today, || {
            item.deps
                .iter()
                .filter(|&&d| d < n)
                .map(|&d| planned[d].end)
                .max()
        });
    }
    // The critical path: back from the procedure that ends last, through the
    // dependency that ends last (ties: the lowest index).
    let latest = |candidates: &mut dyn Iterator<Item = usize>| {
        candidates.fold(None::<usize>, |best, i| match best {
            Some(b)
                if planned[b].end > planned[i].end
                    || (planned[b].end == planned[i].end && b < i) =>
            {
                Some(b)
            }
            _ => Some(i),
        })
    };
    let mut path = Vec::new();
    let mut at = latest(&mut (0..n));
    // A chain of dependencies is acyclic here, so it is at most `n` long.
    while let Some(i) = at {
        if path.len() >= n {
            break;
        }
        path.push(i);
        at = latest(&mut items[i].deps.iter().copied().filter(|&d| d < n));
    }
    path.reverse();
    for &i in &path {
        planned[i].critical = true;
    }
    let last = planned.iter().map(|p| p.end).max();
    Ok(Plan {
        items: planned,
        path,
        last,
    })
}

/// One procedure on the calendar, given the latest end of its dependencies.
fn place(item: &PlanItem<'_>, today: Date, deps_end: impl FnOnce() -> Option<Date>) -> Planned {
    let clock = item.clock;
    let rules = item.rules;
    let (start, end) = match (clock.status, clock.started_on) {
        (status, _) if status.is_resolved() => {
            let end = clock.resolved_on.unwrap_or(today);
            (clock.started_on.or(clock.filed_on).unwrap_or(end), end)
        }
        (Status::Running, Some(started)) => {
            let due = clock.due_on(rules).unwrap_or(today);
            (started, due.max(today))
        }
        (Status::Paused, Some(started)) => {
            // The term left when the correction was requested, counted from today
            // (or from the request, when planning a day before it).
            let today = clock
                .pauses
                .iter()
                .rev()
                .find(|p| p.to.is_none())
                .map_or(today, |p| p.from.max(today));
            let elapsed = i64::from(clock.elapsed(rules, today));
            let end = match rules.term.unit {
                TermUnit::BusinessDays => {
                    let left = (i64::from(rules.term.value) - elapsed).max(0);
                    rules
                        .holidays
                        .add_business_days(today, u32::try_from(left).unwrap_or(u32::MAX))
                }
                TermUnit::CalendarDays | TermUnit::Months => {
                    let term_days = match rules.term.unit {
                        TermUnit::Months => {
                            days_between(started, add_months(started, rules.term.value))
                        }
                        _ => i64::from(rules.term.value),
                    };
                    let left = (term_days - elapsed).max(0);
                    rules
                        .holidays
                        .business_day_on_or_after(add_days_saturating(today, left))
                }
            };
            (started, end)
        }
        _ => {
            let start = deps_end().map_or(today, |d| d.max(today));
            (start, due_from(rules.term, rules.holidays, start, &[]))
        }
    };
    Planned {
        start,
        end,
        critical: false,
    }
}

/// The indexes in an order where every one comes after what it waits for
/// (out-of-range dependencies ignored), or a cycle.
fn topological(deps: &[&[usize]]) -> Result<Vec<usize>, Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = deps.len();
    let mut mark = vec![Mark::New; n];
    let mut order = Vec::with_capacity(n);
    // Depth-first: a stack of (node, next dependency to look at).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        mark[root] = Mark::Open;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            let Some(&dep) = deps[node].get(next) else {
                mark[node] = Mark::Done;
                order.push(node);
                stack.pop();
                continue;
            };
            top.1 += 1;
            if dep >= n {
                continue;
            }
            match mark[dep] {
                Mark::Done => {}
                Mark::New => {
                    mark[dep] = Mark::Open;
                    stack.push((dep, 0));
                }
                Mark::Open => {
                    // `dep` is on the stack: the cycle runs from it to `node`.
                    let from = stack.iter().position(|&(s, _)| s == dep).unwrap_or(0);
                    return Err(Cycle(stack[from..].iter().map(|&(s, _)| s).collect()));
                }
            }
        }
    }
    Ok(order)
}

/// A cycle in a dependency graph (`deps[i]`: what `i` waits for), if any.
pub fn find_cycle(deps: &[Vec<usize>]) -> Option<Cycle> {
    let deps: Vec<&[usize]> = deps.iter().map(Vec::as_slice).collect();
    topological(&deps).err()
}

/// When a catalogue entry applies to a project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// CNAE code prefixes (digits only, e.g. "24", "201"); empty: any activity.
    pub cnae_prefixes: Vec<String>,
    /// Applies from this contracted power (kVA); `None`: whatever the power.
    pub min_power_kva: Option<f64>,
}

/// What the checklist knows of a project.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Facts<'a> {
    /// The project's CNAE code, as typed ("24.10", "2410").
    pub cnae: Option<&'a str>,
    /// The power the project asks for (kVA), from its site requirements.
    pub power_kva: Option<f64>,
}

/// Why the checklist proposes a procedure or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The entry applies to every project.
    Always,
    /// The project's activity is under this prefix.
    CnaeIn { prefix: String },
    /// The project's activity is under none of the prefixes.
    CnaeOutside,
    /// The entry depends on the activity and the project has none.
    NoCnae,
    /// The project asks for at least `min` kVA.
    PowerAtLeast { min: f64 },
    /// The project asks for less than `min` kVA.
    PowerBelow { min: f64 },
    /// The entry depends on the power and the project does not say.
    NoPower { min: f64 },
}

/// The checklist's verdict for one entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub applies: bool,
    pub reasons: Vec<Reason>,
}

/// Whether `rule` applies to a project with these `facts` (unknown facts: does not
/// apply, and the reasons say what is missing).
pub fn proposes(rule: &Rule, facts: Facts<'_>) -> Verdict {
    let prefixes: Vec<String> = rule
        .cnae_prefixes
        .iter()
        .map(|p| digits(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut reasons = Vec::new();
    let mut applies = true;
    if !prefixes.is_empty() {
        let cnae = facts.cnae.map(digits).filter(|c| !c.is_empty());
        match cnae {
            None => {
                applies = false;
                reasons.push(Reason::NoCnae);
            }
            Some(code) => {
                // The most specific prefix that matches (ties: the first listed).
                let best = prefixes
                    .iter()
                    .filter(|p| code.starts_with(p.as_str()))
                    .fold(None::<&String>, |best, p| match best {
                        Some(b) if b.len() >= p.len() => Some(b),
                        _ => Some(p),
                    });
                match best {
                    Some(prefix) => reasons.push(Reason::CnaeIn {
                        prefix: prefix.clone(),
                    }),
                    None => {
                        applies = false;
                        reasons.push(Reason::CnaeOutside);
                    }
                }
            }
        }
    }
    if let Some(min) = rule.min_power_kva {
        match facts.power_kva.filter(|p| p.is_finite()) {
            None => {
                applies = false;
                reasons.push(Reason::NoPower { min });
            }
            Some(power) if power >= min => reasons.push(Reason::PowerAtLeast { min }),
            Some(_) => {
                applies = false;
                reasons.push(Reason::PowerBelow { min });
            }
        }
    }
    if reasons.is_empty() {
        reasons.push(Reason::Always);
    }
    Verdict { applies, reasons }
}

/// The digits of a CNAE code ("24.10" → "2410").
fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// The national and Cantabrian holidays of 2026–2028 (from
    /// `holidays_es_cantabria.csv`, which the web crate loads).
    const HOLIDAYS: &[Date] = &[
        date!(2026 - 01 - 01),
        date!(2026 - 01 - 06),
        date!(2026 - 04 - 02),
        date!(2026 - 04 - 03),
        date!(2026 - 05 - 01),
        date!(2026 - 07 - 28),
        date!(2026 - 08 - 15),
        date!(2026 - 09 - 15),
        date!(2026 - 10 - 12),
        date!(2026 - 12 - 07),
        date!(2026 - 12 - 08),
        date!(2026 - 12 - 25),
        date!(2027 - 01 - 01),
        date!(2027 - 01 - 06),
        date!(2027 - 03 - 25),
        date!(2027 - 03 - 26),
        date!(2027 - 05 - 01),
        date!(2027 - 07 - 28),
        date!(2027 - 09 - 15),
        date!(2027 - 10 - 12),
        date!(2027 - 11 - 01),
        date!(2027 - 12 - 06),
        date!(2027 - 12 - 08),
        date!(2027 - 12 - 25),
        date!(2028 - 01 - 01),
        date!(2028 - 01 - 06),
        date!(2028 - 04 - 13),
        date!(2028 - 04 - 14),
        date!(2028 - 05 - 01),
        date!(2028 - 07 - 28),
        date!(2028 - 08 - 15),
        date!(2028 - 09 - 15),
        date!(2028 - 10 - 12),
        date!(2028 - 11 - 01),
        date!(2028 - 12 - 06),
        date!(2028 - 12 - 08),
        date!(2028 - 12 - 25),
    ];

    fn holidays() -> Holidays {
        Holidays::new(HOLIDAYS.iter().copied())
    }

    fn rules(h: &Holidays, value: u32, unit: TermUnit, silence: Silence) -> Rules<'_> {
        Rules {
            term: Term { value, unit },
            silence,
            holidays: h,
        }
    }

    fn replay(r: Rules<'_>, events: &[(EventKind, Date)]) -> Clock {
        match Clock::replay(r, events.iter().copied()) {
            Ok(clock) => clock,
            Err((i, e)) => panic!("event {i} refused: {e}"),
        }
    }

    use EventKind as E;

    // ----- Holidays -------------------------------------------------------

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let h = holidays();
        // Friday 2026-12-04 is a business day; Monday 7 (Cantabria moves the
        // Constitution Day there) and Tuesday 8 (Inmaculada) are holidays.
        assert!(h.is_business_day(date!(2026 - 12 - 04)));
        assert!(!h.is_business_day(date!(2026 - 12 - 05)));
        assert!(!h.is_business_day(date!(2026 - 12 - 06)));
        assert!(!h.is_business_day(date!(2026 - 12 - 07)));
        assert!(!h.is_business_day(date!(2026 - 12 - 08)));
        assert_eq!(
            h.business_day_on_or_after(date!(2026 - 12 - 05)),
            date!(2026 - 12 - 09)
        );
        // One business day after that Friday is Wednesday the 9th.
        assert_eq!(
            h.add_business_days(date!(2026 - 12 - 04), 1),
            date!(2026 - 12 - 09)
        );
        // n = 0 is the day itself, even a Sunday.
        assert_eq!(
            h.add_business_days(date!(2026 - 12 - 06), 0),
            date!(2026 - 12 - 06)
        );
        // A local holiday (an administration's own) counts too.
        let local = h.with([date!(2026 - 12 - 09)]);
        assert_eq!(
            local.add_business_days(date!(2026 - 12 - 04), 1),
            date!(2026 - 12 - 10)
        );
        assert_eq!(
            h.business_days_between(date!(2026 - 12 - 04), date!(2026 - 12 - 11)),
            3
        );
    }

    // ----- Due dates ------------------------------------------------------

    #[test]
    fn thirty_business_days_across_christmas() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::BusinessDays, Silence::Positive);
        // File complete on Tuesday 2026-12-01: the clock runs from the 2nd.
        // December: 2, 3, 4 (3); 5–6 weekend, 7 and 8 holidays; 9–11 (6);
        // 14–18 (11); 21–24 (15), 25 Christmas; 28–31 (19). January 2027:
        // 1 New Year; 4, 5 (21), 6 Epiphany; 7, 8 (23); 11–15 (28); 18, 19 (30).
        let clock = replay(
            r,
            &[
                (E::Filed, date!(2026 - 11 - 20)),
                (E::Complete, date!(2026 - 12 - 01)),
            ],
        );
        assert_eq!(clock.status, Status::Running);
        assert_eq!(clock.due_on(r), Some(date!(2027 - 01 - 19)));
        assert_eq!(clock.elapsed(r, date!(2027 - 01 - 19)), 30);
        // On Monday 2027-01-18 one business day is left; on the 20th it is late.
        let a = assess(&clock, r, date!(2027 - 01 - 18));
        assert_eq!(a.remaining, Some(1));
        assert!(!a.overdue);
        let late = assess(&clock, r, date!(2027 - 01 - 20));
        assert_eq!(late.remaining, Some(-1));
        assert!(late.overdue);
        assert_eq!(late.silence, Silence::Positive);
        assert_eq!(late.within_term, None);
    }

    #[test]
    fn a_correction_moves_a_business_day_term_by_the_business_days_paused() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::BusinessDays, Silence::Negative);
        let mut clock = replay(
            r,
            &[
                (E::Filed, date!(2026 - 11 - 20)),
                (E::Complete, date!(2026 - 12 - 01)),
                (E::CorrectionRequested, date!(2026 - 12 - 10)),
            ],
        );
        // While paused there is no due date, and the clock stands still: it ran
        // 2, 3, 4, 9 and the day of the request, the 10th.
        assert_eq!(clock.status, Status::Paused);
        assert_eq!(clock.due_on(r), None);
        assert_eq!(clock.elapsed(r, date!(2026 - 12 - 10)), 5);
        assert_eq!(clock.elapsed(r, date!(2026 - 12 - 16)), 5);
        let a = assess(&clock, r, date!(2026 - 12 - 16));
        assert_eq!((a.due_on, a.remaining, a.overdue), (None, None, false));
        // Corrected on Thursday the 17th: 11, 14, 15, 16 and 17 did not count
        // (5 business days), so 19 January becomes 26 January.
        clock
            .apply(r, E::Corrected, date!(2026 - 12 - 17))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(clock.status, Status::Running);
        assert_eq!(
            clock.pauses,
            vec![Pause {
                from: date!(2026 - 12 - 10),
                to: Some(date!(2026 - 12 - 17))
            }]
        );
        assert_eq!(clock.due_on(r), Some(date!(2027 - 01 - 26)));
        assert_eq!(clock.elapsed(r, date!(2027 - 01 - 26)), 30);
    }

    #[test]
    fn month_terms_run_date_to_date() {
        let h = holidays();
        let one_month = rules(&h, 1, TermUnit::Months, Silence::Positive);
        let start = |on: Date| replay(one_month, &[(E::Complete, on)]);
        // Leap year: 31 January 2028 + 1 month = Tuesday 29 February 2028.
        assert_eq!(
            start(date!(2028 - 01 - 31)).due_on(one_month),
            Some(date!(2028 - 02 - 29))
        );
        // Not leap: 31 January 2027 + 1 month = 28 February 2027, a Sunday:
        // the due date moves to Monday 1 March.
        assert_eq!(
            start(date!(2027 - 01 - 31)).due_on(one_month),
            Some(date!(2027 - 03 - 01))
        );
        // 2 March 2026 + 1 month = 2 April 2026, Maundy Thursday; Good Friday
        // and the weekend follow: Monday 6 April.
        assert_eq!(
            start(date!(2026 - 03 - 02)).due_on(one_month),
            Some(date!(2026 - 04 - 06))
        );
        // 3 months from 30 November 2026: 28 February 2027 (no 30th), Sunday → 1 March.
        let three = rules(&h, 3, TermUnit::Months, Silence::Positive);
        let clock = replay(three, &[(E::Complete, date!(2026 - 11 - 30))]);
        assert_eq!(clock.due_on(three), Some(date!(2027 - 03 - 01)));
    }

    #[test]
    fn calendar_terms_that_end_on_a_holiday_move_to_the_next_business_day() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::CalendarDays, Silence::Positive);
        // 25 November + 30 days = Friday 25 December (Christmas): Monday 28.
        let clock = replay(r, &[(E::Complete, date!(2026 - 11 - 25))]);
        assert_eq!(clock.due_on(r), Some(date!(2026 - 12 - 28)));
        // Calendar days count weekends and holidays alike.
        assert_eq!(clock.elapsed(r, date!(2026 - 12 - 25)), 30);
        assert_eq!(
            assess(&clock, r, date!(2026 - 12 - 25)).remaining,
            Some(3),
            "three calendar days from Christmas to Monday the 28th"
        );
    }

    #[test]
    fn a_ten_day_pause_moves_a_three_month_due_date_by_ten_days() {
        let h = holidays();
        let r = rules(&h, 3, TermUnit::Months, Silence::Negative);
        let mut events = vec![
            (E::Filed, date!(2026 - 02 - 20)),
            (E::Complete, date!(2026 - 03 - 02)),
        ];
        // Complete on Monday 2 March 2026: due Tuesday 2 June 2026.
        assert_eq!(replay(r, &events).due_on(r), Some(date!(2026 - 06 - 02)));
        // Correction requested 10 April, handed in 20 April: 10 days paused,
        // due Friday 12 June.
        events.push((E::CorrectionRequested, date!(2026 - 04 - 10)));
        events.push((E::Corrected, date!(2026 - 04 - 20)));
        let clock = replay(r, &events);
        assert_eq!(clock.due_on(r), Some(date!(2026 - 06 - 12)));
        // 39 days ran before the request (3 March–10 April), 10 after the
        // correction by 30 April.
        assert_eq!(clock.elapsed(r, date!(2026 - 04 - 30)), 49);
    }

    // ----- Events ---------------------------------------------------------

    #[test]
    fn silence_applies_only_after_the_due_date() {
        let h = holidays();
        let r = rules(&h, 3, TermUnit::Months, Silence::Negative);
        let mut clock = replay(r, &[(E::Complete, date!(2026 - 03 - 02))]);
        // Due 2 June: silence on the due date itself is too early.
        let before = clock.clone();
        assert_eq!(
            clock.apply(r, E::Silence, date!(2026 - 06 - 02)),
            Err(EventError::TermNotPassed {
                due: Some(date!(2026 - 06 - 02))
            })
        );
        assert_eq!(clock, before, "a refused event leaves the clock alone");
        // The day after, negative silence: refused, not within the term.
        clock
            .apply(r, E::Silence, date!(2026 - 06 - 03))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(clock.status, Status::SilenceNegative);
        assert_eq!(clock.resolved_on, Some(date!(2026 - 06 - 03)));
        let a = assess(&clock, r, date!(2026 - 07 - 01));
        assert_eq!(a.within_term, Some(false));
        assert!(!a.overdue, "resolved is never overdue");
        assert_eq!(clock.days_to_decision(), Some(93));
        // Positive silence grants it.
        let positive = rules(&h, 3, TermUnit::Months, Silence::Positive);
        let granted = replay(
            positive,
            &[
                (E::Complete, date!(2026 - 03 - 02)),
                (E::Silence, date!(2026 - 06 - 03)),
            ],
        );
        assert_eq!(granted.status, Status::SilencePositive);
        // Nothing but notes after a decision.
        assert_eq!(
            clock.apply(r, E::Granted, date!(2026 - 07 - 01)),
            Err(EventError::NotAllowed {
                status: Status::SilenceNegative,
                kind: E::Granted
            })
        );
        assert_eq!(clock.apply(r, E::Note, date!(2026 - 07 - 01)), Ok(()));
        assert_eq!(clock.status, Status::SilenceNegative);
    }

    #[test]
    fn events_are_dated_in_order() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::BusinessDays, Silence::Positive);
        let mut clock = replay(r, &[(E::Filed, date!(2026 - 03 - 02))]);
        let before = clock.clone();
        assert_eq!(
            clock.apply(r, E::Complete, date!(2026 - 03 - 01)),
            Err(EventError::BeforePrevious {
                previous: date!(2026 - 03 - 02)
            })
        );
        assert_eq!(clock, before);
        // A note dates too.
        clock
            .apply(r, E::Note, date!(2026 - 03 - 05))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            clock.apply(r, E::Complete, date!(2026 - 03 - 04)),
            Err(EventError::BeforePrevious {
                previous: date!(2026 - 03 - 05)
            })
        );
        // The same day is fine.
        assert_eq!(clock.apply(r, E::Complete, date!(2026 - 03 - 05)), Ok(()));
        // The error of replay names the refused event.
        assert_eq!(
            Clock::replay(
                r,
                [
                    (E::Filed, date!(2026 - 03 - 02)),
                    (E::Granted, date!(2026 - 03 - 03)),
                ]
            ),
            Err((
                1,
                EventError::NotAllowed {
                    status: Status::Filed,
                    kind: E::Granted
                }
            ))
        );
    }

    #[test]
    fn a_correction_before_the_file_is_complete_does_not_touch_the_clock() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::BusinessDays, Silence::Positive);
        let clock = replay(
            r,
            &[
                (E::Filed, date!(2026 - 03 - 02)),
                (E::CorrectionRequested, date!(2026 - 03 - 05)),
            ],
        );
        assert_eq!(clock.status, Status::Paused);
        assert!(clock.pauses.is_empty());
        let mut corrected = clock.clone();
        corrected
            .apply(r, E::Corrected, date!(2026 - 03 - 20))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(corrected.status, Status::Filed);
        assert_eq!(corrected.due_on(r), None);
        assert_eq!(corrected.elapsed(r, date!(2026 - 04 - 30)), 0);
        // Then complete on Monday 23 March: 30 business days from there, no pause.
        corrected
            .apply(r, E::Complete, date!(2026 - 03 - 23))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(corrected.pauses.is_empty());
        assert_eq!(corrected.filed_on, Some(date!(2026 - 03 - 02)));
        // 24–27 (4), 30, 31 (6), 1 April (7), 2–3 holidays, 6–10 (12), 13–17 (17),
        // 20–24 (22), 27–30 (26), 1 May holiday, 4–7 May (30).
        assert_eq!(corrected.due_on(r), Some(date!(2026 - 05 - 07)));
    }

    #[test]
    fn complete_without_filing_files_the_same_day() {
        let h = holidays();
        let r = rules(&h, 10, TermUnit::BusinessDays, Silence::Positive);
        let clock = replay(r, &[(E::Complete, date!(2026 - 03 - 02))]);
        assert_eq!(clock.filed_on, Some(date!(2026 - 03 - 02)));
        assert_eq!(clock.started_on, Some(date!(2026 - 03 - 02)));
        assert_eq!(clock.due_on(r), Some(date!(2026 - 03 - 16)));
    }

    #[test]
    fn every_status_refuses_what_it_does_not_allow() {
        let h = holidays();
        let r = rules(&h, 1, TermUnit::BusinessDays, Silence::Positive);
        let d = date!(2026 - 03 - 02);
        let histories: [&[EventKind]; 6] = [
            &[],
            &[E::Filed],
            &[E::Complete],
            &[E::Complete, E::CorrectionRequested],
            &[E::Complete, E::Granted],
            &[E::Complete, E::Denied],
        ];
        for history in histories {
            let events: Vec<_> = history.iter().map(|&k| (k, d)).collect();
            let clock = replay(r, &events);
            for kind in EventKind::ALL {
                let mut c = clock.clone();
                let result = c.apply(r, kind, date!(2026 - 06 - 01));
                let allowed = clock.status.allowed().contains(&kind);
                assert_eq!(
                    result.is_ok(),
                    allowed,
                    "{:?} then {kind:?}: {result:?}",
                    clock.status
                );
            }
        }
    }

    // ----- Plan -----------------------------------------------------------

    #[test]
    fn plan_lays_a_diamond_and_finds_the_critical_path() {
        let h = holidays();
        let today = date!(2026 - 03 - 02);
        // 0: urban compatibility report, granted 10 February.
        let r0 = rules(&h, 1, TermUnit::Months, Silence::Positive);
        let c0 = replay(
            r0,
            &[
                (E::Filed, date!(2026 - 01 - 12)),
                (E::Complete, date!(2026 - 01 - 15)),
                (E::Granted, date!(2026 - 02 - 10)),
            ],
        );
        // 1: one month, not filed; 2: 30 business days, not filed; both wait for 0.
        let r1 = rules(&h, 1, TermUnit::Months, Silence::Positive);
        let r2 = rules(&h, 30, TermUnit::BusinessDays, Silence::Negative);
        // 3: two months, waits for 1 and 2.
        let r3 = rules(&h, 2, TermUnit::Months, Silence::Negative);
        // 4: independent, running since 5 January with three months.
        let r4 = rules(&h, 3, TermUnit::Months, Silence::Negative);
        let c4 = replay(r4, &[(E::Complete, date!(2026 - 01 - 05))]);
        let pending = Clock::default();
        let items = [
            PlanItem {
                deps: vec![],
                clock: &c0,
                rules: r0,
            },
            PlanItem {
                deps: vec![0],
                clock: &pending,
                rules: r1,
            },
            PlanItem {
                deps: vec![0],
                clock: &pending,
                rules: r2,
            },
            PlanItem {
                deps: vec![1, 2],
                clock: &pending,
                rules: r3,
            },
            PlanItem {
                deps: vec![],
                clock: &c4,
                rules: r4,
            },
        ];
        let plan = plan(&items, today).unwrap_or_else(|e| panic!("{e}"));
        let span = |i: usize| (plan.items[i].start, plan.items[i].end);
        // Decided: from its start to its decision.
        assert_eq!(span(0), (date!(2026 - 01 - 15), date!(2026 - 02 - 10)));
        // 1 and 2 start today (0 ended before). 1: 2 April is Maundy Thursday →
        // Monday 6 April. 2: 30 business days from 2 March skipping Easter: 15 April.
        assert_eq!(span(1), (today, date!(2026 - 04 - 06)));
        assert_eq!(span(2), (today, date!(2026 - 04 - 15)));
        // 3 starts when the later of 1 and 2 ends, two months: 15 June (a Monday).
        assert_eq!(span(3), (date!(2026 - 04 - 15), date!(2026 - 06 - 15)));
        // 4: due 5 April (Sunday) → Monday 6 April.
        assert_eq!(span(4), (date!(2026 - 01 - 05), date!(2026 - 04 - 06)));
        assert_eq!(plan.path, vec![0, 2, 3]);
        let critical: Vec<bool> = plan.items.iter().map(|p| p.critical).collect();
        assert_eq!(critical, vec![true, false, true, true, false]);
        assert_eq!(plan.last, Some(date!(2026 - 06 - 15)));
    }

    #[test]
    fn plan_counts_overdue_and_paused_procedures_from_today() {
        let h = holidays();
        let r = rules(&h, 30, TermUnit::BusinessDays, Silence::Positive);
        // Overdue: due 19 January 2027, still running on 11 February: ends today.
        let overdue = replay(r, &[(E::Complete, date!(2026 - 12 - 01))]);
        // Paused on 10 December after 5 business days: 25 left from today.
        let paused = replay(
            r,
            &[
                (E::Complete, date!(2026 - 12 - 01)),
                (E::CorrectionRequested, date!(2026 - 12 - 10)),
            ],
        );
        let today = date!(2027 - 01 - 11);
        let items = [
            PlanItem {
                deps: vec![],
                clock: &overdue,
                rules: r,
            },
            PlanItem {
                deps: vec![],
                clock: &paused,
                rules: r,
            },
        ];
        let p = plan(&items, date!(2027 - 02 - 11)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.items[0].end, date!(2027 - 02 - 11));
        // From Monday 11 January 2027: 12–15 (4), 18–22 (9), 25–29 (14),
        // 1–5 February (19), 8–12 (24), 15 (25).
        let p = plan(&items, today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.items[1].start, date!(2026 - 12 - 01));
        assert_eq!(p.items[1].end, date!(2027 - 02 - 15));
        assert_eq!(p.path, vec![1]);
        assert_eq!(p.last, Some(date!(2027 - 02 - 15)));
        // Planned on a day before the request, the term left counts from the
        // request: 25 business days after 10 December is the original due date.
        let early = plan(&items[1..], date!(2026 - 11 - 02)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(early.items[0].end, date!(2027 - 01 - 19));
        // Nothing to plan.
        let empty = plan(&[], today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (empty.items.len(), empty.path.len(), empty.last),
            (0, 0, None)
        );
    }

    #[test]
    fn cycles_are_found_and_refused() {
        assert_eq!(find_cycle(&[vec![1], vec![2], vec![]]), None);
        assert_eq!(
            find_cycle(&[vec![1], vec![2], vec![0]]),
            Some(Cycle(vec![0, 1, 2]))
        );
        assert_eq!(
            find_cycle(&[vec![], vec![2], vec![3], vec![1]]),
            Some(Cycle(vec![1, 2, 3]))
        );
        assert_eq!(find_cycle(&[vec![0]]), Some(Cycle(vec![0])));
        // Out-of-range dependencies are ignored.
        assert_eq!(find_cycle(&[vec![7, usize::MAX]]), None);
        let h = holidays();
        let r = rules(&h, 1, TermUnit::Months, Silence::Positive);
        let c = Clock::default();
        let items = [
            PlanItem {
                deps: vec![1],
                clock: &c,
                rules: r,
            },
            PlanItem {
                deps: vec![0],
                clock: &c,
                rules: r,
            },
        ];
        assert_eq!(plan(&items, date!(2026 - 03 - 02)), Err(Cycle(vec![0, 1])));
    }

    // ----- Checklist ------------------------------------------------------

    #[test]
    fn the_checklist_says_why() {
        let rule = Rule {
            cnae_prefixes: vec!["24".into(), "25.1".into()],
            min_power_kva: Some(1000.0),
        };
        let facts = |cnae, power_kva| Facts { cnae, power_kva };
        assert_eq!(
            proposes(&rule, facts(Some("24.10"), Some(1500.0))),
            Verdict {
                applies: true,
                reasons: vec![
                    Reason::CnaeIn {
                        prefix: "24".into()
                    },
                    Reason::PowerAtLeast { min: 1000.0 }
                ]
            }
        );
        // Prefixes are compared on digits only: "25.1" matches "2511".
        assert_eq!(
            proposes(&rule, facts(Some("2511"), Some(1000.0))).reasons[0],
            Reason::CnaeIn {
                prefix: "251".into()
            }
        );
        assert_eq!(
            proposes(&rule, facts(Some("10.11"), Some(500.0))),
            Verdict {
                applies: false,
                reasons: vec![Reason::CnaeOutside, Reason::PowerBelow { min: 1000.0 }]
            }
        );
        assert_eq!(
            proposes(&rule, facts(None, None)),
            Verdict {
                applies: false,
                reasons: vec![Reason::NoCnae, Reason::NoPower { min: 1000.0 }]
            }
        );
        assert_eq!(
            proposes(&Rule::default(), facts(None, None)),
            Verdict {
                applies: true,
                reasons: vec![Reason::Always]
            }
        );
        // Power only.
        let power = Rule {
            cnae_prefixes: vec![],
            min_power_kva: Some(50.0),
        };
        assert!(proposes(&power, facts(None, Some(50.0))).applies);
        assert!(!proposes(&power, facts(None, Some(f64::NAN))).applies);
        // The most specific prefix is named.
        let nested = Rule {
            cnae_prefixes: vec!["2".into(), "24".into()],
            min_power_kva: None,
        };
        assert_eq!(
            proposes(&nested, facts(Some("2410"), None)).reasons,
            vec![Reason::CnaeIn {
                prefix: "24".into()
            }]
        );
    }

    // ----- Edges of the calendar -----------------------------------------

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        let h = holidays();
        for unit in TermUnit::ALL {
            for value in [1, 3650, u32::MAX] {
                let r = rules(&h, value, unit, Silence::Positive);
                for start in [Date::MAX, Date::MIN, date!(9999 - 12 - 20)] {
                    let clock = replay(r, &[(E::Complete, start)]);
                    let due = clock.due_on(r);
                    assert!(due.is_some_and(|d| d >= start));
                    let _ = assess(&clock, r, Date::MAX);
                    let _ = assess(&clock, r, Date::MIN);
                    let _ = clock.elapsed(r, Date::MAX);
                    let item = PlanItem {
                        deps: vec![],
                        clock: &clock,
                        rules: r,
                    };
                    assert!(plan(&[item], Date::MAX).is_ok());
                    let pending = Clock::default();
                    let item = PlanItem {
                        deps: vec![],
                        clock: &pending,
                        rules: r,
                    };
                    assert!(plan(&[item], start).is_ok());
                }
            }
        }
        assert_eq!(h.add_business_days(Date::MAX, 5), Date::MAX);
        assert_eq!(h.business_day_on_or_after(Date::MAX), Date::MAX);
    }

    // ----- Properties -----------------------------------------------------

    /// A day-by-day reference for business-day terms.
    fn naive_business_due(h: &Holidays, start: Date, n: u32, pauses: &[Pause]) -> Date {
        let paused = |d: Date| {
            pauses
                .iter()
                .any(|p| p.from < d && p.to.is_none_or(|to| d <= to))
        };
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.next_day().unwrap_or(Date::MAX);
            if h.is_business_day(d) && !paused(d) {
                left -= 1;
            }
        }
        d
    }

    fn day() -> impl Strategy<Value = Date> {
        // 2026-01-01 to 2028-12-31, where the holidays are known.
        let from = date!(2026 - 01 - 01).to_julian_day();
        let to = date!(2028 - 12 - 31).to_julian_day();
        (from..=to).prop_map(|j| Date::from_julian_day(j).unwrap_or(Date::MIN))
    }

    fn unit() -> impl Strategy<Value = TermUnit> {
        prop_oneof![
            Just(TermUnit::BusinessDays),
            Just(TermUnit::CalendarDays),
            Just(TermUnit::Months)
        ]
    }

    fn kind() -> impl Strategy<Value = EventKind> {
        (0..EventKind::ALL.len()).prop_map(|i| EventKind::ALL[i])
    }

    fn term_value(unit: TermUnit) -> u32 {
        match unit {
            TermUnit::Months => 6,
            _ => 60,
        }
    }

    /// Events in date order, mostly ones that the status allows.
    fn history() -> impl Strategy<Value = Vec<(EventKind, Date)>> {
        (day(), prop::collection::vec((kind(), 0i64..40), 0..12)).prop_map(|(start, steps)| {
            let mut d = start;
            steps
                .into_iter()
                .map(|(k, gap)| {
                    d = add_days_saturating(d, gap);
                    (k, d)
                })
                .collect()
        })
    }

    /// Applies one by one, skipping refused events.
    fn lenient(r: Rules<'_>, events: &[(EventKind, Date)]) -> Clock {
        let mut clock = Clock::default();
        for &(k, d) in events {
            let _ = clock.apply(r, k, d);
        }
        clock
    }

    proptest! {
        #[test]
        fn add_business_days_matches_stepping(start in day(), n in 0u32..800) {
            let h = holidays();
            let got = h.add_business_days(start, n);
            prop_assert_eq!(got, naive_business_due(&h, start, n, &[]));
            prop_assert_eq!(h.business_days_between(start, got), i64::from(n));
        }

        #[test]
        fn the_due_date_is_a_business_day_after_the_start(
            start in day(), u in unit(), value in 1u32..400,
        ) {
            let h = holidays();
            let value = if u == TermUnit::Months { value % 40 + 1 } else { value };
            let r = rules(&h, value, u, Silence::Positive);
            let clock = replay(r, &[(E::Complete, start)]);
            let due = clock.due_on(r).unwrap_or(Date::MIN);
            prop_assert!(due > start);
            prop_assert!(h.is_business_day(due));
        }

        #[test]
        fn a_pause_never_brings_the_due_date_forward(
            start in day(), u in unit(), value in 1u32..120, after in 0i64..200, len in 0i64..60,
        ) {
            let h = holidays();
            let value = if u == TermUnit::Months { value % 12 + 1 } else { value };
            let r = rules(&h, value, u, Silence::Positive);
            let plain = replay(r, &[(E::Complete, start)]);
            let due = plain.due_on(r).unwrap_or(Date::MIN);
            let from = add_days_saturating(start, after);
            let to = add_days_saturating(from, len);
            let mut paused = plain.clone();
            if paused.apply(r, E::CorrectionRequested, from).is_err()
                || paused.apply(r, E::Corrected, to).is_err()
            {
                return Err(TestCaseError::fail("a correction must be accepted"));
            }
            let moved = paused.due_on(r).unwrap_or(Date::MIN);
            prop_assert!(moved >= due);
            match u {
                TermUnit::BusinessDays => {
                    // A pause that begins before the due date moves it by exactly
                    // the business days paused; a later one does not move it.
                    let k = h.business_days_between(from, to);
                    let expected = if from < due {
                        h.add_business_days(due, u32::try_from(k).unwrap_or(0))
                    } else {
                        due
                    };
                    prop_assert_eq!(moved, expected);
                    prop_assert_eq!(
                        moved,
                        naive_business_due(&h, start, value, &paused.pauses)
                    );
                }
                TermUnit::CalendarDays | TermUnit::Months => {
                    // The nominal date moves by the calendar days paused.
                    let nominal = match u {
                        TermUnit::Months => add_months(start, value),
                        _ => add_days_saturating(start, i64::from(value)),
                    };
                    prop_assert_eq!(
                        moved,
                        h.business_day_on_or_after(add_days_saturating(nominal, len))
                    );
                }
            }
        }

        #[test]
        fn elapsed_on_the_due_date_is_the_term(
            start in day(), value in 1u32..400, calendar in any::<bool>(),
        ) {
            let h = holidays();
            let u = if calendar { TermUnit::CalendarDays } else { TermUnit::BusinessDays };
            let r = rules(&h, value, u, Silence::Positive);
            let clock = replay(r, &[(E::Complete, start)]);
            let due = clock.due_on(r).unwrap_or(Date::MIN);
            if calendar {
                // Exactly the term on the nominal date; the move to a business
                // day adds the days it skips.
                let nominal = add_days_saturating(start, i64::from(value));
                prop_assert_eq!(clock.elapsed(r, nominal), value);
                let skipped = u32::try_from(days_between(nominal, due)).unwrap_or(0);
                prop_assert_eq!(clock.elapsed(r, due), value + skipped);
            } else {
                prop_assert_eq!(clock.elapsed(r, due), value);
                prop_assert_eq!(assess(&clock, r, due).remaining, Some(0));
                let eve = due.previous_day().unwrap_or(Date::MIN);
                prop_assert_eq!(clock.elapsed(r, eve), value - 1);
            }
        }

        #[test]
        fn elapsed_never_decreases(
            events in history(), u in unit(), a in day(), b in day(),
        ) {
            let h = holidays();
            let r = rules(&h, term_value(u), u, Silence::Negative);
            let clock = lenient(r, &events);
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(clock.elapsed(r, early) <= clock.elapsed(r, late));
            // With several pauses, the due date still matches a day-by-day count.
            if let (TermUnit::BusinessDays, Some(due), Some(start)) =
                (u, clock.due_on(r), clock.started_on)
            {
                prop_assert_eq!(due, naive_business_due(&h, start, term_value(u), &clock.pauses));
            }
            if let Some(days) = clock.days_to_decision() {
                // Time to decision is the calendar days elapsed at the decision.
                let calendar = rules(&h, 1, TermUnit::CalendarDays, Silence::Negative);
                prop_assert_eq!(days, clock.elapsed(calendar, Date::MAX));
            }
        }

        #[test]
        fn month_terms_end_on_the_same_day_of_the_month_or_the_last(
            start in day(), months in 1u32..48,
        ) {
            let h = holidays();
            let r = rules(&h, months, TermUnit::Months, Silence::Positive);
            let clock = replay(r, &[(E::Complete, start)]);
            let due = clock.due_on(r).unwrap_or(Date::MIN);
            let nominal = add_months(start, months);
            prop_assert!(due >= nominal);
            prop_assert!(days_between(nominal, due) < 7, "at most a week of holidays and weekend");
            let month_index = |d: Date| i64::from(d.year()) * 12 + i64::from(u8::from(d.month()));
            prop_assert_eq!(month_index(nominal) - month_index(start), i64::from(months));
            let last = nominal.month().length(nominal.year());
            prop_assert!(
                nominal.day() == start.day() || (nominal.day() == last && last < start.day())
            );
        }

        #[test]
        fn plans_respect_dependencies(
            histories in prop::collection::vec((history(), unit()), 1..9),
            edges in prop::collection::vec((0usize..9, 0usize..9), 0..20),
            today in day(),
        ) {
            let h = holidays();
            let n = histories.len();
            let ruleset: Vec<Rules<'_>> = histories
                .iter()
                .map(|(_, u)| rules(&h, term_value(*u), *u, Silence::Positive))
                .collect();
            let clocks: Vec<Clock> = histories
                .iter()
                .zip(&ruleset)
                .map(|((events, _), r)| lenient(*r, events))
                .collect();
            // Acyclic: an item waits only for lower indexes (and some out of range).
            let mut deps = vec![Vec::new(); n];
            for (a, b) in edges {
                if a < n && (b < a || b >= n) {
                    deps[a].push(b);
                }
            }
            let items: Vec<PlanItem<'_>> = (0..n)
                .map(|i| PlanItem { deps: deps[i].clone(), clock: &clocks[i], rules: ruleset[i] })
                .collect();
            let p = plan(&items, today).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(p.items.len(), n);
            for (i, item) in p.items.iter().enumerate() {
                prop_assert!(item.start <= item.end);
                let started = clocks[i].started_on.is_some() || clocks[i].status.is_resolved();
                if !started {
                    prop_assert!(item.start >= today);
                    for &d in deps[i].iter().filter(|&&d| d < n) {
                        prop_assert!(item.start >= p.items[d].end);
                    }
                }
                prop_assert_eq!(item.critical, p.path.contains(&i));
            }
            let last = p.items.iter().map(|i| i.end).max();
            prop_assert_eq!(p.last, last);
            prop_assert!(!p.path.is_empty());
            prop_assert_eq!(p.path.last().map(|&i| p.items[i].end), last);
            for w in p.path.windows(2) {
                prop_assert!(deps[w[1]].contains(&w[0]));
            }
            // The path starts at a procedure that waits for nothing.
            prop_assert!(p.path.first().is_some_and(|&i| deps[i].iter().all(|&d| d >= n)));
        }

        #[test]
        fn replay_is_applying_one_by_one(events in history(), u in unit(), positive in any::<bool>()) {
            let h = holidays();
            let silence = if positive { Silence::Positive } else { Silence::Negative };
            let r = rules(&h, term_value(u), u, silence);
            let mut clock = Clock::default();
            let mut first_error = None;
            for (i, &(k, d)) in events.iter().enumerate() {
                let before = clock.clone();
                match clock.apply(r, k, d) {
                    Ok(()) => prop_assert!(clock.status.allowed().len() <= 5),
                    Err(e) => {
                        prop_assert_eq!(&clock, &before);
                        first_error = Some((i, e));
                        break;
                    }
                }
            }
            let replayed = Clock::replay(r, events.iter().copied());
            match first_error {
                Some(err) => prop_assert_eq!(replayed, Err(err)),
                None => {
                    prop_assert_eq!(&replayed, &Ok(clock.clone()));
                    // Whatever happened, assessing and planning work.
                    let a = assess(&clock, r, events.last().map_or(Date::MIN, |e| e.1));
                    prop_assert_eq!(a.due_on.is_some(), clock.started_on.is_some() && clock.status != Status::Paused);
                }
            }
            let lenient_clock = lenient(r, &events);
            prop_assert!(lenient_clock.pauses.iter().all(|p| p.to.is_none_or(|to| to >= p.from)));
        }
    }
}
