# The Pact (pact): the needs' pages — the list, the form, a need's page (facts,
# moves, response clock, funnel, ranked matches, answers, timeline) and the
# target days per kind. The answers' pages are in pact-answers.ftl.

## Navigation
pact-nav = Pact
pact-home-link = Companies' needs
pact-breadcrumbs = Breadcrumbs

## Words shared by the Pact's pages (the dashboard uses them too)
pact-kind-supply = Supply
pact-kind-service = Service
pact-kind-talent = Talent
pact-kind-infrastructure_energy = Infrastructure or energy
pact-kind-land = Land
pact-kind-permit_regulatory = Permit or regulatory problem
pact-kind-rnd = R&D
pact-kind-other = Other
pact-status-draft = Draft
pact-status-submitted = Sent to the Office
pact-status-published = Published
pact-status-answered = Answered
pact-status-negotiating = Negotiating
pact-status-agreed = Agreed
pact-status-closed = Closed
pact-status-expired = Expired
pact-recurrence-one_off = One-off
pact-recurrence-weekly = Weekly
pact-recurrence-monthly = Monthly
pact-recurrence-quarterly = Quarterly
pact-recurrence-yearly = Yearly
pact-recurrence-ongoing = Ongoing
pact-size-micro = Micro-enterprise or larger
pact-size-small = Small company or larger
pact-size-medium = Medium-sized company or larger
pact-size-large = Large company
pact-none = —
pact-all = All
pact-choose = Choose an option
pact-any-size = Any size
pact-cancel = Cancel
pact-save = Save
pact-edit = Edit
pact-late = Overdue
pact-in-time = On time

## The list
pact-list-title = The Pact's needs
pact-post = Post a need
pact-list-intro-office = All the companies' needs: those waiting for the Office's review, the published ones with their response clock, and those already closed.
pact-list-intro-member = The needs published by the district's large companies. The company behind each one is not shown: the Office brokers.
pact-list-intro-company = Your organisation's needs and those the Office has invited you to answer.
pact-list-all = All needs
pact-list-published = Published needs
pact-list-own = Your organisation's needs
pact-list-caption = Needs, with their status and response clock
pact-list-none = No needs match these filters.
pact-list-invited = Needs you have been invited to answer
pact-list-invited-none = You have not been invited to answer any need yet.
pact-pages = List pages
pact-first-page = First page
pact-next-page = Next page
pact-filters = List filters
pact-filter = Filter
pact-f-q = Search
pact-hint-q = Reference, title or summary.
pact-f-overdue = Overdue only
pact-col-title = Need
pact-col-kind = Kind
pact-col-owner = Company
pact-col-status = Status
pact-col-clock = Response clock
pact-col-deadline = Deadline
pact-clock-none = No clock (not published yet)
pact-clock-due = First answer expected by { $date }
pact-clock-days = { $elapsed } of { $target ->
    [one] 1 business day
   *[other] { $target } business days
}
pact-clock-answered-in = First answer in { $elapsed ->
    [one] 1 business day
   *[other] { $elapsed } business days
} (target: { $target })

## The form
pact-new-title = Post a need
pact-edit-title = Edit the need
pact-form-intro = Describe what you need clearly: the Office will review it, publish it without your name if you so choose, and look in the directory for the district's companies and administrations that can answer.
pact-form-what = What is needed
pact-form-activity = Activity and requirements
pact-form-how = Quantity, place and dates
pact-form-who = Who asks
pact-f-kind = Kind of need
pact-hint-kind = Permits, and infrastructure or energy, go to the responsible administration.
pact-f-title = Title
pact-hint-title = One sentence, for example "Maintenance of high-voltage electrical installations".
pact-f-summary = Summary
pact-hint-summary = The essentials in two or three lines; it is what invited companies see first.
pact-f-description = Description
pact-hint-description = Scope, technical conditions, volume and any detail that helps to answer. Leave out anything that identifies you if you want to publish it anonymously.
pact-f-cnae = Activities (CNAE-2025)
pact-f-cnae-n = CNAE activity { $n }
pact-hint-cnae = Up to four CNAE-2025 classes of the companies that could answer. Type the code or part of its name and pick from the list.
pact-f-cpv = CPV codes
pact-hint-cpv = Optional. Common Procurement Vocabulary codes, separated by commas, for example 50711000-2.
pact-f-certifications = Required certifications
pact-hint-certifications = One per line, for example ISO 9001 or EN 1090.
pact-f-quantity = Quantity
pact-hint-quantity = Free text, for example "15 people" or "2,000 t/year".
pact-f-recurrence = Recurrence
pact-f-municipality = Municipality
pact-hint-municipality = Where it is delivered or provided. Type the name and pick from the list.
pact-f-deadline = Deadline
pact-hint-deadline = Optional. After this date the need expires unless it is being negotiated.
pact-f-min-size = Minimum size of whoever answers
pact-hint-min-size = Only when the volume calls for a company of a certain size.
pact-f-owner = Company with the need
pact-hint-owner = The Office may post needs on behalf of a company of the directory.
pact-form-owner-own = The need will be posted on behalf of { $org }.
pact-f-anonymous = Publish anonymously
pact-hint-anonymous = Recommended. Invited companies will see "A company of the district (anonymous)" instead of your name; the Office brokers. Names are only released when both you and the answering company agree.
pact-create = Save as draft
pact-update = Save changes
pact-conflict = Someone changed this need while you were editing it. It is shown as it is now: check the details and save again.
pact-page-err-amount = Enter an amount in euros, for example 12,500 or 12500.50.
pact-page-err-reason = Say why the need is closed.
pact-page-err-select = Tick at least one organisation to invite.
pact-page-err-move = That change of status is not possible now. Possible changes: { $allowed }.
pact-page-err-days = Enter a number of business days between 1 and 365.

## A need's page
pact-facts = The need
pact-published-anonymously = (published anonymously)
pact-f-broker = Broker
pact-hint-broker = The Office's person who follows the need and receives its reminders.
pact-f-routed = Responsible administration
pact-hint-routed = Permits, and infrastructure or energy, are answered by the competent administration, on the platform.
pact-f-close-reason = Reason for closing
pact-hint-close-reason = For example: solved another way, no longer needed.
pact-moves = What can be done
pact-move-submit = Send to the Office
pact-move-send-back = Send back to draft
pact-move-publish = Publish
pact-move-close = Close without agreement
pact-publish-title = Publish after review
pact-close-title = Close the need
pact-clock-title = Response clock
pact-clock-published = Published on
pact-clock-due-on = First answer expected by
pact-clock-elapsed = Business days elapsed
pact-clock-first-answer = First qualified answer
pact-clock-no-answer = None yet
pact-funnel-title = Outcome funnel
pact-funnel-published = Published
pact-funnel-first = First qualified answer
pact-funnel-interest = Expressions of interest
pact-funnel-meetings = Meetings
pact-funnel-agreement = Agreement
pact-funnel-not-yet = not yet
pact-funnel-agreed-amount = { $date } · { $amount } awarded locally
pact-matches-title = Who could answer
pact-matches-intro = Organisations of the directory ranked by how well they fit, with the reasons. Tick those to invite: they receive an e-mail in their language and see the need without the company's name if it is anonymous.
pact-matches-none = No organisation in the directory can answer this need, not even in part.
pact-matches-partial = Nobody in the directory meets every requirement; these are the nearest partial matches.
pact-matches-caption = Ranked matches ({ $n } candidates in the directory)
pact-matches-select = Invite
pact-matches-col-org = Organisation
pact-matches-col-score = Score
pact-matches-col-why = Why
pact-matches-complete = Meets every requirement
pact-matches-partial-one = Partial match
pact-matches-invited = Already invited
pact-invite-selected = Invite selected
pact-invite-when-published = You can invite once the need is published.
pact-my-answer = See your organisation's invitation and answer
pact-timeline = History
pact-timeline-none = Nothing in the history yet.
pact-event-created = Created
pact-event-updated = Edited
pact-event-submitted = Sent to the Office
pact-event-published = Published
pact-event-sent_back = Sent back to draft
pact-event-closed = Closed
pact-event-expired = Expired
pact-event-agreed = Agreement reached
pact-event-answered = First qualified answer
pact-event-negotiating = Negotiating
pact-event-invited = Organisation invited
pact-event-interested = Expression of interest received
pact-event-declined = An invitee declined
pact-event-shortlisted = Answer shortlisted
pact-event-meeting = Meeting asked
pact-event-accepted = Answer accepted
pact-event-rejected = Answer turned down
pact-event-consent = Consent to release the identity
pact-event-identities_released = Identities released
pact-event-file_added = Document added
pact-event-overdue_notified = Overdue reminder
pact-event-followup_sent = Follow-up sent
pact-event-followup_answered = Follow-up answered

## Targets
pact-targets-title = Target response times
pact-targets-intro = Business days, from publication, within which each kind of need should get its first qualified answer. National and Cantabrian holidays do not count.
pact-targets-col-days = Business days
pact-targets-unit = business days
pact-targets-conflict = Someone changed the targets while you were editing them. The current ones are shown: check them and save again.

## Flash messages
flash-pact-need-created = Need saved as a draft. Send it to the Office when it is ready.
flash-pact-need-updated = Changes saved.
flash-pact-need-moved = The need's status was updated.
flash-pact-need-invited = Invitations sent.
flash-pact-targets-saved = Target times saved.
