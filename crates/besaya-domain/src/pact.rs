//! The Pact's needs: what a large company (or the office on its behalf) asks of
//! the district, their life cycle, the response clock in business days, and the
//! states of the brokered answers. Pure rules; the ranking of the organisations
//! that could answer lives in [`crate::matching`].

use time::Date;

use crate::procedures::{Holidays, add_months};

/// What is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NeedKind {
    Supply,
    Service,
    Talent,
    InfrastructureEnergy,
    Land,
    PermitRegulatory,
    Rnd,
    Other,
}

impl NeedKind {
    pub const ALL: [Self; 8] = [
        Self::Supply,
        Self::Service,
        Self::Talent,
        Self::InfrastructureEnergy,
        Self::Land,
        Self::PermitRegulatory,
        Self::Rnd,
        Self::Other,
    ];

    /// `supply`, `service`, `talent`, `infrastructure_energy`, `land`,
    /// `permit_regulatory`, `rnd`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supply => "supply",
            Self::Service => "service",
            Self::Talent => "talent",
            Self::InfrastructureEnergy => "infrastructure_energy",
            Self::Land => "land",
            Self::PermitRegulatory => "permit_regulatory",
            Self::Rnd => "rnd",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Permit and infrastructure/energy needs go to the responsible administration,
    /// which answers in the platform (instead of companies being invited).
    pub fn routed_to_administration(self) -> bool {
        matches!(self, Self::PermitRegulatory | Self::InfrastructureEnergy)
    }
}

/// Where a need stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NeedStatus {
    Draft,
    Submitted,
    Published,
    Answered,
    Negotiating,
    Agreed,
    Closed,
    Expired,
}

impl NeedStatus {
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Submitted,
        Self::Published,
        Self::Answered,
        Self::Negotiating,
        Self::Agreed,
        Self::Closed,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Published => "published",
            Self::Answered => "answered",
            Self::Negotiating => "negotiating",
            Self::Agreed => "agreed",
            Self::Closed => "closed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The moves a person may make from here (draft → submitted; submitted →
    /// published | draft (sent back) | closed; published → answered | closed |
    /// expired; answered → negotiating | closed | expired; negotiating → agreed |
    /// closed; agreed, closed, expired: none). `answered` is normally reached by the
    /// first qualified answer, `expired` by the deadline passing (see [`expires`]).
    pub fn allowed(self) -> &'static [NeedStatus] {
        use NeedStatus::*;
        match self {
            Draft => &[Submitted],
            Submitted => &[Published, Draft, Closed],
            Published => &[Answered, Closed, Expired],
            Answered => &[Negotiating, Closed, Expired],
            Negotiating => &[Agreed, Closed],
            Agreed | Closed | Expired => &[],
        }
    }

    pub fn can_move_to(self, to: NeedStatus) -> bool {
        self.allowed().contains(&to)
    }

    /// Closed needs ask for a reason.
    pub fn needs_reason(self) -> bool {
        self == Self::Closed
    }

    /// Published, answered or negotiating: visible to pact members, answerable.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Published | Self::Answered | Self::Negotiating)
    }

    /// Agreed, closed, expired.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Agreed | Self::Closed | Self::Expired)
    }
}

/// Whether a need whose deadline is `deadline` expires on `today`: an open need
/// (published or answered, not negotiating) the day after its deadline.
pub fn expires(status: NeedStatus, deadline: Option<Date>, today: Date) -> bool {
    matches!(status, NeedStatus::Published | NeedStatus::Answered)
        && deadline.is_some_and(|deadline| today > deadline)
}

/// Where an invited organisation's answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnswerStatus {
    /// Notified by the office, not answered yet.
    Invited,
    /// Said it cannot answer.
    Declined,
    /// Sent an expression of interest (a qualified answer), maybe with an offer.
    Interested,
    /// The owner, through the office, keeps it among the best.
    Shortlisted,
    /// A meeting is asked for (identities released only if both agreed).
    Meeting,
    /// Accepted: the need is agreed with it.
    Accepted,
    /// Not retained.
    Rejected,
}

impl AnswerStatus {
    pub const ALL: [Self; 7] = [
        Self::Invited,
        Self::Declined,
        Self::Interested,
        Self::Shortlisted,
        Self::Meeting,
        Self::Accepted,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Declined => "declined",
            Self::Interested => "interested",
            Self::Shortlisted => "shortlisted",
            Self::Meeting => "meeting",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// invited → interested | declined; interested → shortlisted | rejected;
    /// shortlisted → meeting | accepted | rejected; meeting → accepted | rejected.
    pub fn allowed(self) -> &'static [AnswerStatus] {
        use AnswerStatus::*;
        match self {
            Invited => &[Interested, Declined],
            Interested => &[Shortlisted, Rejected],
            Shortlisted => &[Meeting, Accepted, Rejected],
            Meeting => &[Accepted, Rejected],
            Declined | Accepted | Rejected => &[],
        }
    }

    pub fn can_move_to(self, to: AnswerStatus) -> bool {
        self.allowed().contains(&to)
    }

    /// Interested or further along (shortlisted, meeting, accepted, and rejected
    /// after interest): counts as a qualified answer for the clock and the funnel.
    pub fn is_qualified(self) -> bool {
        // Only an interested answer can be rejected (see `allowed`).
        !matches!(self, Self::Invited | Self::Declined)
    }
}

/// Default target time to the first qualified answer, in business days.
pub const DEFAULT_TARGET_DAYS: u32 = 5;

/// The response clock of a published need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseClock {
    /// The last business day by which a first qualified answer is expected:
    /// `target` business days after the publication day (the publication day
    /// itself does not count).
    pub due_on: Date,
    /// Business days from publication to the first answer (or to today while
    /// unanswered).
    pub elapsed: i64,
    /// Answered (a first qualified answer exists).
    pub answered: bool,
    /// Unanswered and past `due_on`, or answered after it.
    pub late: bool,
}

/// The response clock of a need published on `published_on`, with its first
/// qualified answer on `first_answer_on` (if any), seen on `today`.
pub fn response_clock(
    published_on: Date,
    target_business_days: u32,
    first_answer_on: Option<Date>,
    today: Date,
    holidays: &Holidays,
) -> ResponseClock {
    let due_on = holidays.add_business_days(published_on, target_business_days);
    let until = first_answer_on.unwrap_or(today);
    let elapsed = holidays.business_days_between(published_on, until);
    let answered = first_answer_on.is_some();
    let late = match first_answer_on {
        Some(answered_on) => answered_on > due_on,
        None => today > due_on,
    };
    ResponseClock {
        due_on,
        elapsed,
        answered,
        late,
    }
}

/// The dates, 3 and 6 months after an agreement, to ask both sides how it went.
pub fn follow_up_dates(agreed_on: Date) -> [Date; 2] {
    [add_months(agreed_on, 3), add_months(agreed_on, 6)]
}

/// The median of a list of durations (in business days), `None` when empty; for
/// an even count, the mean of the two middle values rounded down.
pub fn median_days(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        return Some(values[mid]);
    }
    let (a, b) = (i128::from(values[mid - 1]), i128::from(values[mid]));
    // The mean of two i64 fits in an i64; rounded down (towards −∞).
    i64::try_from((a + b).div_euclid(2)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// Spain and Cantabria around December 2026: Constitution Day falls on a
    /// Sunday and moves to Monday 7; Tuesday 8 is the Immaculate Conception.
    fn holidays() -> Holidays {
        Holidays::new([
            date!(2026 - 12 - 06),
            date!(2026 - 12 - 07),
            date!(2026 - 12 - 08),
            date!(2026 - 12 - 25),
            date!(2027 - 01 - 01),
            date!(2027 - 01 - 06),
        ])
    }

    #[test]
    fn names_are_the_stored_snake_case_and_parse_back() {
        let kinds: Vec<&str> = NeedKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "supply",
                "service",
                "talent",
                "infrastructure_energy",
                "land",
                "permit_regulatory",
                "rnd",
                "other"
            ]
        );
        let statuses: Vec<&str> = NeedStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            statuses,
            [
                "draft",
                "submitted",
                "published",
                "answered",
                "negotiating",
                "agreed",
                "closed",
                "expired"
            ]
        );
        let answers: Vec<&str> = AnswerStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            answers,
            [
                "invited",
                "declined",
                "interested",
                "shortlisted",
                "meeting",
                "accepted",
                "rejected"
            ]
        );
        for k in NeedKind::ALL {
            assert_eq!(NeedKind::parse(k.as_str()), Some(k));
        }
        for s in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(s.as_str()), Some(s));
        }
        for s in AnswerStatus::ALL {
            assert_eq!(AnswerStatus::parse(s.as_str()), Some(s));
        }
        for bad in [
            "",
            "Supply",
            "SUPPLY",
            "infrastructure-energy",
            "r&d",
            " draft",
        ] {
            assert_eq!(NeedKind::parse(bad), None, "{bad}");
            assert_eq!(NeedStatus::parse(bad), None, "{bad}");
            assert_eq!(AnswerStatus::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_permits_and_infrastructure_go_to_an_administration() {
        let routed: Vec<NeedKind> = NeedKind::ALL
            .into_iter()
            .filter(|k| k.routed_to_administration())
            .collect();
        assert_eq!(
            routed,
            [NeedKind::InfrastructureEnergy, NeedKind::PermitRegulatory]
        );
    }

    #[test]
    fn need_life_cycle_moves() {
        use NeedStatus::*;
        assert!(Draft.can_move_to(Submitted));
        assert!(!Draft.can_move_to(Published), "the office triages first");
        assert!(Submitted.can_move_to(Published));
        assert!(Submitted.can_move_to(Draft), "sent back");
        assert!(Submitted.can_move_to(Closed));
        assert!(Published.can_move_to(Answered));
        assert!(Published.can_move_to(Expired));
        assert!(!Published.can_move_to(Negotiating), "an answer comes first");
        assert!(!Published.can_move_to(Agreed));
        assert!(Answered.can_move_to(Negotiating));
        assert!(Answered.can_move_to(Expired));
        assert!(Negotiating.can_move_to(Agreed));
        assert!(Negotiating.can_move_to(Closed));
        assert!(
            !Negotiating.can_move_to(Expired),
            "a negotiation does not expire"
        );
        for s in [Agreed, Closed, Expired] {
            assert!(s.allowed().is_empty(), "{s:?}");
            assert!(s.is_final());
            assert!(!s.is_open());
        }
        let open: Vec<NeedStatus> = NeedStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [Published, Answered, Negotiating]);
        assert!(!Draft.is_final() && !Draft.is_open());
        assert!(Closed.needs_reason());
        assert!(!Agreed.needs_reason() && !Expired.needs_reason());
        for s in NeedStatus::ALL {
            assert!(!s.can_move_to(s), "{s:?} to itself");
        }
    }

    #[test]
    fn an_open_need_expires_the_day_after_its_deadline() {
        use NeedStatus::*;
        let deadline = Some(date!(2026 - 12 - 10));
        assert!(!expires(Published, deadline, date!(2026 - 12 - 10)));
        assert!(expires(Published, deadline, date!(2026 - 12 - 11)));
        assert!(expires(Answered, deadline, date!(2027 - 01 - 11)));
        assert!(!expires(Negotiating, deadline, date!(2027 - 01 - 11)));
        for s in [Draft, Submitted, Agreed, Closed, Expired] {
            assert!(!expires(s, deadline, date!(2027 - 01 - 11)), "{s:?}");
        }
        assert!(!expires(Published, None, date!(2099 - 01 - 01)));
    }

    #[test]
    fn answer_moves_and_qualified_answers() {
        use AnswerStatus::*;
        assert!(Invited.can_move_to(Interested));
        assert!(Invited.can_move_to(Declined));
        assert!(!Invited.can_move_to(Shortlisted), "interest comes first");
        assert!(!Invited.can_move_to(Rejected));
        assert!(Interested.can_move_to(Shortlisted));
        assert!(Interested.can_move_to(Rejected));
        assert!(!Interested.can_move_to(Accepted));
        assert!(Shortlisted.can_move_to(Meeting));
        assert!(Shortlisted.can_move_to(Accepted));
        assert!(Meeting.can_move_to(Accepted));
        assert!(Meeting.can_move_to(Rejected));
        for s in [Declined, Accepted, Rejected] {
            assert!(s.allowed().is_empty(), "{s:?}");
        }
        let qualified: Vec<AnswerStatus> = AnswerStatus::ALL
            .into_iter()
            .filter(|s| s.is_qualified())
            .collect();
        assert_eq!(
            qualified,
            [Interested, Shortlisted, Meeting, Accepted, Rejected]
        );
    }

    #[test]
    fn the_clock_skips_weekends_and_holidays_and_not_the_publication_day() {
        let h = holidays();
        // Published on Friday 4 December 2026: Saturday, Sunday, Monday 7 and
        // Tuesday 8 do not count; Wednesday 9 is the first business day.
        let published = date!(2026 - 12 - 04);
        let clock = response_clock(published, 1, None, published, &h);
        assert_eq!(clock.due_on, date!(2026 - 12 - 09));
        let clock = response_clock(published, 5, None, date!(2026 - 12 - 09), &h);
        assert_eq!(clock.due_on, date!(2026 - 12 - 15));
        assert_eq!(clock.elapsed, 1);
        assert!(!clock.answered);
        assert!(!clock.late);

        // On the due day itself it is not late yet; the next day it is.
        let on_due = response_clock(published, 5, None, date!(2026 - 12 - 15), &h);
        assert_eq!(on_due.elapsed, 5);
        assert!(!on_due.late);
        let after = response_clock(published, 5, None, date!(2026 - 12 - 16), &h);
        assert_eq!(after.elapsed, 6);
        assert!(after.late);

        // Without the holidays the same target falls on Friday 11.
        let plain = response_clock(published, 5, None, published, &Holidays::default());
        assert_eq!(plain.due_on, date!(2026 - 12 - 11));
        // Zero target: due on the publication day itself.
        assert_eq!(
            response_clock(published, 0, None, published, &h).due_on,
            published
        );
    }

    #[test]
    fn an_answer_stops_the_clock() {
        let h = holidays();
        let published = date!(2026 - 12 - 04);
        let today = date!(2027 - 02 - 01);
        // Answered on the due day: on time, however late it is now.
        let on_time = response_clock(published, 5, Some(date!(2026 - 12 - 15)), today, &h);
        assert!(on_time.answered);
        assert!(!on_time.late);
        assert_eq!(on_time.elapsed, 5);
        // Answered a day after: late for ever.
        let late = response_clock(published, 5, Some(date!(2026 - 12 - 16)), today, &h);
        assert!(late.answered);
        assert!(late.late);
        assert_eq!(late.elapsed, 6);
        // Answered on a holiday: it counts no business day.
        let holiday = response_clock(published, 5, Some(date!(2026 - 12 - 08)), today, &h);
        assert_eq!(holiday.elapsed, 0);
        assert!(!holiday.late);
    }

    #[test]
    fn follow_ups_are_three_and_six_months_later_date_to_date() {
        assert_eq!(
            follow_up_dates(date!(2026 - 03 - 15)),
            [date!(2026 - 06 - 15), date!(2026 - 09 - 15)]
        );
        // A missing day becomes the month's last day.
        assert_eq!(
            follow_up_dates(date!(2026 - 08 - 31)),
            [date!(2026 - 11 - 30), date!(2027 - 02 - 28)]
        );
        assert_eq!(
            follow_up_dates(date!(2027 - 08 - 31)),
            [date!(2027 - 11 - 30), date!(2028 - 02 - 29)]
        );
        // Across the year.
        assert_eq!(
            follow_up_dates(date!(2026 - 11 - 30)),
            [date!(2027 - 02 - 28), date!(2027 - 05 - 30)]
        );
        // No panic at the end of the calendar.
        let [a, b] = follow_up_dates(Date::MAX);
        assert_eq!((a, b), (Date::MAX, Date::MAX));
    }

    #[test]
    fn median_of_durations() {
        assert_eq!(median_days(&mut []), None);
        assert_eq!(median_days(&mut [4]), Some(4));
        assert_eq!(median_days(&mut [9, 1, 5]), Some(5));
        assert_eq!(median_days(&mut [1, 2, 3, 10]), Some(2), "2.5 rounded down");
        assert_eq!(median_days(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(median_days(&mut [-3, -2]), Some(-3), "-2.5 rounded down");
        assert_eq!(median_days(&mut [i64::MAX, i64::MAX]), Some(i64::MAX));
    }

    fn day() -> impl Strategy<Value = Date> {
        (0i64..3000).prop_map(|n| date!(2025 - 01 - 01) + time::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_due_day_is_a_business_day_target_days_later(
            published in day(), target in 1u32..40, answer_after in 0i64..80,
        ) {
            let h = holidays();
            let answered_on = published + time::Duration::days(answer_after);
            let clock = response_clock(published, target, Some(answered_on), answered_on, &h);
            prop_assert!(clock.due_on > published);
            prop_assert!(h.is_business_day(clock.due_on));
            prop_assert_eq!(h.business_days_between(published, clock.due_on), i64::from(target));
            prop_assert_eq!(clock.late, answered_on > clock.due_on);
            // Late means the target's business days were used up (answered
            // on the weekend after the due day: late, with the same count).
            if clock.elapsed > i64::from(target) {
                prop_assert!(clock.late);
            }
            if clock.late {
                prop_assert!(clock.elapsed >= i64::from(target));
            }
        }

        #[test]
        fn follow_ups_fall_in_the_third_and_sixth_month(agreed in day()) {
            let [three, six] = follow_up_dates(agreed);
            let months = |d: Date| i32::from(u8::from(d.month())) + 12 * d.year();
            prop_assert_eq!(months(three) - months(agreed), 3);
            prop_assert_eq!(months(six) - months(agreed), 6);
            prop_assert!(three.day() <= agreed.day() && six.day() <= agreed.day());
        }

        #[test]
        fn the_median_has_as_many_values_below_as_above(
            mut values in prop::collection::vec(-1000i64..1000, 1..30),
        ) {
            let m = median_days(&mut values).unwrap_or_default();
            let below = values.iter().filter(|&&v| v < m).count();
            let above = values.iter().filter(|&&v| v > m).count();
            prop_assert!(below <= values.len() / 2 && above <= values.len() / 2);
        }
    }
}
