# Procedures (office-procedures-dashboard): the procedures' dashboard and their calendar entries.
proc-dash-title = Procedures dashboard
proc-dash-link = Procedures: administrations' times and overdue procedures
proc-dash-breadcrumb = Breadcrumb
proc-dash-board = Project board
proc-dash-office-dashboard = Office dashboard
proc-dash-intro = Figures as of { $date }: how long each administration really takes to decide, how many procedures it decides within the legal term, and which ones are overdue.
proc-dash-total = All administrations
proc-dash-pending = Not filed
proc-dash-in-progress = In progress
proc-dash-resolved = Resolved
proc-dash-overdue = Overdue, undecided
proc-dash-median = Median time to decision
proc-dash-within = Resolved within the term
proc-dash-median-value = { $days } days ({ $decisions ->
    [one] 1 decision
   *[other] { $decisions } decisions
})
proc-dash-within-value = { $share } ({ $within } of { $resolved })
proc-dash-administrations = By administration
proc-dash-administration = Administration
proc-dash-dir3 = DIR3 { $code }
proc-dash-none = No project has procedures yet.
proc-dash-within-chart = Share resolved within the term, by administration
proc-dash-within-chart-note = Each bar is one administration, in the table's order; the table gives the figures.
proc-dash-statuses = Procedures by status
proc-dash-status = Status
proc-dash-count = Procedures
proc-dash-overdue-list = Overdue procedures
proc-dash-no-overdue = No procedure is overdue.
proc-dash-overdue-more = Showing the { $shown } most overdue of { $total }.
proc-dash-procedure = Procedure
proc-dash-project = Project
proc-dash-due = Due date
proc-dash-days-overdue = Overdue by
proc-dash-days-overdue-value = { $days ->
    [one] 1 day
   *[other] { $days } days
}
proc-dash-silence = If undecided
proc-dash-silence-positive = Positive silence: deemed granted
proc-dash-silence-negative = Negative silence: deemed refused
proc-dash-note = The median counts calendar days from the complete file to the decision, leaving out the days the term was suspended by a request for correction. "Within the term": decided on or before the due date; a decision by silence comes after the due date and does not count as within the term. Delays are counted in calendar days.
proc-dash-ics-due = Deadline: { $procedure } (“{ $project }”)
proc-dash-ics-administration = Administration: { $administration }
proc-dash-ics-file = File: { $file }
proc-dash-ics-silence-positive = If there is no decision in time, silence is positive: the application is deemed granted.
proc-dash-ics-silence-negative = If there is no decision in time, silence is negative: the application is deemed refused.
