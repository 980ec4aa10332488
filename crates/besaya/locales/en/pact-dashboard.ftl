# pact-dashboard (en): the Pact's dashboard and public summary, the follow-up
# page 3 and 6 months after an agreement, and the e-mails of the Pact's scan
# (overdue needs, follow-ups due).

## Dashboard
pact-dash-title = Pact: dashboard
pact-dash-breadcrumb = Breadcrumb
pact-dash-needs = The Pact's needs
pact-dash-summary-link = Public summary
pact-dash-intro = Figures as of { $date }, counted in business days (no weekends, no national or Cantabrian holidays).
pact-dash-total = All needs
pact-dash-published = Published
pact-dash-answered = With a qualified answer
pact-dash-median = Median time to first answer
pact-dash-within = Answered within target
pact-dash-overdue = Unanswered past target
pact-dash-agreements = Agreements
pact-dash-awarded = Amount awarded locally
pact-dash-within-note = "Answered within target": of the published needs whose clock has decided (answered, past their target, or closed), those that had a first qualified answer within their kind's target time.
pact-dash-kinds = Needs by kind and status
pact-dash-kinds-chart = Needs by kind
pact-dash-kinds-chart-note = Each bar is proportional to the number of needs of the kind; the exact figures are in the table.
pact-dash-kinds-caption = Needs by kind and status
pact-dash-clock = Response clock by kind
pact-dash-kind = Kind
pact-dash-target = Target
pact-dash-count = Total
pact-dash-overdue-list = Needs unanswered past their target
pact-dash-no-overdue = No published need has passed its target without an answer.
pact-dash-overdue-more = Showing the { $shown } most overdue of { $total }.
pact-dash-need = Need
pact-dash-owner = Company
pact-dash-broker = Broker
pact-dash-no-broker = Not assigned
pact-dash-due = Target date
pact-dash-late = Delay
pact-dash-followups = Follow-up of agreements
pact-dash-followups-waiting = { $count ->
    [one] 1 follow-up question sent is still unanswered.
   *[other] { $count } follow-up questions sent are still unanswered.
}
pact-dash-no-followups = No follow-up answers yet.
pact-dash-followup-side = Who answers
pact-dash-followup-satisfied = Satisfied?
pact-dash-followup-answer = Comment
pact-dash-followup-date = Date
pact-dash-followup-side-owner = The company that posted it ({ $months } months)
pact-dash-followup-side-candidate = The company that answered ({ $months } months)
pact-dash-followup-satisfied-yes = Yes
pact-dash-followup-satisfied-no = No
pact-dash-followup-satisfied-none = Not given
pact-dash-note = Draft needs and needs awaiting review count in the table by status, but not on the clock: it starts at publication.
pact-dash-median-value = { $days ->
    [one] 1 business day
   *[other] { $days } business days
} ({ $answered ->
    [one] 1 need answered
   *[other] { $answered } needs answered
})
pact-dash-within-value = { $share } ({ $within } of { $decided })
pact-dash-target-value = { $days ->
    [one] 1 business day
   *[other] { $days } business days
}
pact-dash-late-value = { $days ->
    [0] Due today
    [one] 1 business day
   *[other] { $days } business days
}
pact-dash-days-value = { $days ->
    [one] 1 business day
   *[other] { $days } business days
}

## Kinds and statuses
pact-dash-kind-supply = Supply
pact-dash-kind-service = Service
pact-dash-kind-talent = Talent
pact-dash-kind-infrastructure_energy = Infrastructure and energy
pact-dash-kind-land = Land
pact-dash-kind-permit_regulatory = Permits and red tape
pact-dash-kind-rnd = R&D
pact-dash-kind-other = Other
pact-dash-status-draft = Draft
pact-dash-status-submitted = Awaiting review
pact-dash-status-published = Published
pact-dash-status-answered = Answered
pact-dash-status-negotiating = Negotiating
pact-dash-status-agreed = Agreed
pact-dash-status-closed = Closed
pact-dash-status-expired = Expired

## Public summary
pact-dash-summary-title = The Pact in figures
pact-dash-summary-intro = The district's large companies post what they need, and the office brings it to the local companies and administrations that can provide it. These are the figures, with nothing confidential.
pact-dash-summary-note = No names, titles or amounts per need: only counts and totals.
pact-dash-summary-chart = Published needs by kind

## Follow-up page
pact-dash-fu-title = Follow-up of agreement { $reference }
pact-dash-fu-agreed-on = Agreed on { $date }.
pact-dash-fu-question-owner = It is { $months } months since you reached this agreement with a local company. How did it go?
pact-dash-fu-question-candidate = It is { $months } months since your proposal for this need was accepted. How did it go?
pact-dash-fu-satisfied-legend = Are you satisfied with the outcome?
pact-dash-fu-yes = Yes
pact-dash-fu-no = No
pact-dash-fu-comment = Comment (optional)
pact-dash-fu-comment-hint = What worked, what did not, and whether the work goes on. Only the office reads it.
pact-dash-fu-send = Send the answer
pact-dash-fu-answered-on = Answered on { $date }
pact-dash-fu-not-yet = This question opens on { $date }.
pact-dash-fu-waiting = Waiting for the company's answer.
pact-dash-fu-err-satisfied = Say whether you are satisfied: yes or no.
pact-dash-fu-err-comment = The comment cannot be longer than { $max } characters.
flash-pact-fu-saved = Thank you: your answer has been saved.
flash-pact-fu-already = This question had already been answered; the saved answer is shown.

## E-mails of the scan
pact-dash-mail-overdue-subject = Unanswered past target: { $reference } · { $title }
pact-dash-mail-overdue-text = Need { $reference } ("{ $title }") still has no qualified answer. Its target ended on { $due } and it is { $days ->
    [one] 1 business day
   *[other] { $days } business days
} late.
pact-dash-mail-overdue-action = See the need and its candidates
pact-dash-mail-overdue-why = You receive this notice once per need, because you are its broker at the office (or because it has none assigned).
pact-dash-mail-followup-subject = How did agreement { $reference } go?
pact-dash-mail-followup-text = It is { $months } months since the agreement on "{ $title }" ({ $reference }). Tell us in a minute whether you are satisfied with the outcome: it helps us improve the Pact.
pact-dash-mail-followup-action = Answer
