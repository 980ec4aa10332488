# pact-indicators (en): indicators (pact-ind-), the semester report (pact-rep-),
# the public progress page (pact-prog-).

pact-err-invalid_semester = “{ $value }” is not a half year: write it as 2026-S1 (January to June) or 2026-S2 (July to December).

## Indicators
pact-ind-title = Indicators
pact-ind-intro = The platform computes these figures from its own records: nobody types them in. Commitments linked to an indicator move on by themselves when the figure moves.
pact-ind-as-of = Figures as of { $date }.
pact-ind-all-time = All time
pact-ind-this-semester-1 = First half of { $year }
pact-ind-this-semester-2 = Second half of { $year }
pact-ind-see-records = See the records behind it: { $name }
pact-ind-no-commitments = No commitment is linked to this indicator.
pact-ind-commitments-caption = Linked commitments: { $name }
pact-ind-col-from = Counted from
pact-ind-needs_within_target-name = Needs answered on time
pact-ind-needs_within_target-def = Published needs whose first qualified answer came within the target of their kind, counted in working days (no weekends, no national or Cantabrian public holidays).
pact-ind-needs_within_target_share-name = Share of needs answered on time
pact-ind-needs_within_target_share-def = Of the published needs whose clock has run its course (answered, past their target or closed), the percentage answered on time, rounded down. Needs still within their target without an answer do not count yet.
pact-ind-needs_agreed-name = Needs ending in an agreement
pact-ind-needs_agreed-def = Needs that ended in an agreement with a local organisation, by the date of the agreement.
pact-ind-local_awarded-name = Amount awarded to local organisations
pact-ind-local_awarded-def = The sum of the amounts of those agreements, in euros.
pact-ind-projects_operating-name = Investment projects in operation
pact-ind-projects_operating-def = Investment projects now in operation or in aftercare, by the day they started operating.
pact-ind-from-label = Count from
pact-ind-from-hint = A date (day, month and year). Leave it empty to count from the start.
pact-ind-recount = Count again
pact-ind-counted-from = Value since { $date }
pact-ind-counted-all = Value since the start
pact-ind-no-records = No records count towards this indicator.
pact-ind-records-needs_within_target = Needs answered on time ({ $count })
pact-ind-records-needs_within_target_share = Needs whose clock has run its course ({ $count })
pact-ind-records-needs_agreed = Needs ending in an agreement ({ $count })
pact-ind-records-local_awarded = Agreements and their amounts ({ $count })
pact-ind-records-projects_operating = Projects in operation ({ $count })
pact-ind-col-code-name = Code name
pact-ind-col-stage = Stage
pact-ind-col-since = Operating since
pact-ind-col-agreed = Agreed on
pact-ind-col-amount = Amount
pact-ind-col-kind = Kind
pact-ind-col-published = Published
pact-ind-col-first-answer = First answer
pact-ind-col-days = Working days
pact-ind-col-target = Target (working days)
pact-ind-col-within = On time?
pact-ind-yes = Yes
pact-ind-no = No
pact-ind-unit-count = number
pact-ind-unit-cents = euros
pact-ind-unit-percent = percentage

## Semester report
pact-rep-title = Report for the { $semester }
pact-rep-semester-1 = first half of { $year }
pact-rep-semester-2 = second half of { $year }
pact-rep-period = From { $from } to { $to }
pact-rep-as-of = commitments and indicators as of { $date }
pact-rep-other-semesters = Other half years and download
pact-rep-download-xlsx = Download as Excel (XLSX)
pact-rep-print = Print
pact-rep-semester-label = Half year
pact-rep-semester-hint = For example, 2026-S1 (January to June) or 2026-S2 (July to December).
pact-rep-show = Show the report
pact-rep-commitments = Commitments
pact-rep-summary = { $finished } of { $total } { $total ->
    [one] commitment finished
   *[other] commitments finished
}, { $in_progress } in progress, { $delayed } delayed, { $planned } not started, { $cancelled } cancelled.
pact-rep-no-commitments = There are no commitments yet.
pact-rep-col-number = No.
pact-rep-col-reference = Reference
pact-rep-col-title = Title
pact-rep-col-owner = Responsible
pact-rep-col-status = Status
pact-rep-col-progress = Progress
pact-rep-col-due = Due
pact-rep-col-group = Working group
pact-rep-col-date = Date
pact-rep-col-attendees = Attendees
pact-rep-col-organizations = Organisations
pact-rep-col-agreements = Agreements
pact-rep-col-indicator = Indicator
pact-rep-col-unit = Unit
pact-rep-col-value = Value
pact-rep-col-baseline = Baseline
pact-rep-col-target = Target
pact-rep-meetings = Meetings held
pact-rep-meetings-count = { $count ->
    [0] No working group met in this half year.
    [one] 1 meeting was held in this half year.
   *[other] { $count } meetings were held in this half year.
}
pact-rep-indicators = Indicators against their targets
pact-rep-no-indicators = No commitment is linked to an indicator.
pact-rep-sheet-commitments = Commitments
pact-rep-sheet-meetings = Meetings
pact-rep-sheet-indicators = Indicators
pact-rep-file-name = pact-report

## Public progress
pact-prog-title = Progress of the Pact
pact-prog-summary-link = The Pact in figures
pact-prog-intro = The commitments made by the administrations, employers' organisations and trade unions of the Pact, and how they are progressing. When a commitment depends on a figure of the platform, its progress is computed automatically.
pact-prog-as-of = Figures as of { $date }.
pact-prog-caption = Commitments of the Pact
pact-prog-empty = No commitment has been published yet.
pact-prog-note = The progress of a commitment with parts is the weighted mean of its parts. A commitment shows as “delayed” when its due date has passed and it is not finished.
pact-prog-indicator = { $name }: { $value } against a target of { $target }
