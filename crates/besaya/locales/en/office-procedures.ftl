# Procedures (office-procedures): the pages — the project's "Procedures" tab (office
# and investor), a procedure's page, the administrations' list, the catalogue and
# the local holidays. Names of statuses, steps, terms, silence and levels are in
# office-procedures-api.ftl.

## Navigation and tabs
proc-ui-tab = Procedures
proc-ui-nav = Procedures

## The project's tab
proc-ui-title = Procedures of { $project }
proc-ui-heading = The project's procedures
proc-ui-none = This project has no procedures yet. Add them from the catalogue, below.
proc-ui-read-only = Only the project's owner, its team and the Office's administrator can change its procedures.
proc-ui-all-link = All procedures
proc-ui-catalogue-link = Procedure catalogue
proc-ui-last-permit = Expected date of the last permit: { $date }
proc-ui-col-name = Procedure
proc-ui-col-holder = Who holds it
proc-ui-col-status = Status
proc-ui-col-filed = Filed
proc-ui-col-due = Due
proc-ui-col-days = Days elapsed
proc-ui-col-silence = If there is no decision in time
proc-ui-col-reference = File number
proc-ui-col-project = Project
proc-ui-col-left = Term
proc-ui-term-of = Term: { $term }
proc-ui-unconfirmed = term to be confirmed
proc-ui-complete-on = complete on { $date }
proc-ui-dir3 = DIR3 { $code }
proc-ui-overdue = Overdue
proc-ui-paused-clock = Term suspended
proc-ui-no-clock = No term running
proc-ui-due-today = Due today
proc-ui-left = { $unit ->
    [business] { $n ->
        [one] 1 business day left
       *[other] { $n } business days left
    }
   *[calendar] { $n ->
        [one] 1 day left
       *[other] { $n } days left
    }
}
proc-ui-late = { $unit ->
    [business] { $n ->
        [one] Overdue by 1 business day
       *[other] Overdue by { $n } business days
    }
   *[calendar] { $n ->
        [one] Overdue by 1 day
       *[other] Overdue by { $n } days
    }
}
proc-ui-elapsed = { $unit ->
    [months] { $elapsed ->
        [one] 1 calendar day
       *[other] { $elapsed } calendar days
    } of { $term }
   *[other] { $elapsed } of { $term }
}
proc-ui-silence-positive = Positive silence: it will be deemed granted
proc-ui-silence-negative = Negative silence: it will be deemed refused
proc-ui-within-term = Decided within the term
proc-ui-out-of-term = Decided after the term

## The critical path
proc-ui-plan-title = Critical path
proc-ui-plan-none = There are no procedures to put on the calendar yet.
proc-ui-plan-intro = Each procedure with its expected start and end (those that wait for others start when these end). Those on the critical path set the date of the last permit.
proc-ui-plan-dates = from { $start } to { $end }
proc-ui-critical = On the critical path

## Adding procedures
proc-ui-add-title = Add procedures
proc-ui-add-intro = Ticked: those the catalogue proposes for the project's activity (CNAE) and the power it needs; check the proposal and the administration that handles each one.
proc-ui-add-legend = Procedures in the catalogue
proc-ui-add-button = Add the ticked procedures
proc-ui-added = Already in the project
proc-ui-applies = Proposed
proc-ui-not-applies = Not proposed
proc-ui-assign-to = Administration that handles it
proc-ui-choose = — Choose —
proc-ui-err-choose-one = Tick at least one procedure.
proc-ui-err-no-administration = Choose the administration that handles “{ $name }”: the catalogue proposes none.
proc-ui-err-administration = Choose the administration that handles the procedure.
proc-ui-reason-always = Required of every project
proc-ui-reason-cnae_in = The activity (CNAE { $cnae }) is in { $len ->
    [1] section
    [2] division
    [3] group
   *[other] class
} { $prefix }
proc-ui-reason-cnae_outside = The activity (CNAE { $cnae }) is not among those that need it ({ $prefixes })
proc-ui-reason-no_cnae = The project has no CNAE code
proc-ui-reason-power_at_least = Asks for { $power } kVA (from { $min } kVA)
proc-ui-reason-power_below = Asks for { $power } kVA (needed from { $min } kVA)
proc-ui-reason-no_power = The project does not say what power it needs (needed from { $min } kVA)

## A procedure's page
proc-ui-of-project = Project “{ $project }”
proc-ui-facts = About the procedure
proc-ui-f-project = Project
proc-ui-f-cnae = Activity (CNAE)
proc-ui-f-administration = Administration
proc-ui-f-authority = Deciding body
proc-ui-f-legal_basis = Legal basis
proc-ui-f-term = Maximum term to decide
proc-ui-f-status = Status
proc-ui-f-filed = Filed on
proc-ui-f-started = File complete on
proc-ui-f-due = Due on
proc-ui-f-elapsed = Days elapsed (suspensions left out)
proc-ui-f-silence = If there is no decision in time
proc-ui-f-resolved = Decided on
proc-ui-f-file_reference = File number
proc-ui-f-notes = The Office's notes
proc-ui-f-catalogue-notes = Notes in the catalogue
proc-ui-unknown = Unknown
proc-ui-not-yet = Not yet
proc-ui-asked-title = Correction requested
proc-ui-asked-on = Requested on { $date }:
proc-ui-asked-nothing = The administration has requested a correction without saying what is missing.
proc-ui-history = The procedure's history
proc-ui-history-none = No step has been recorded yet.
proc-ui-col-date = Date
proc-ui-col-event = Step
proc-ui-col-note = Note and document
proc-ui-col-by = Recorded by
proc-ui-by = { $name }, { $when }
proc-ui-document = Document
proc-ui-record-title = Record a step
proc-ui-f-on_date = Date of the step
proc-ui-hint-on_date = The date that counts for the term: not later than today nor earlier than the last step.
proc-ui-f-note = Note
proc-ui-hint-note = When you request a correction, write what is missing: the investor will read it.
proc-ui-hint-note-investor = The Office and the administration handling the procedure will read it.
proc-ui-f-kind = Step to record
proc-ui-err-date = Enter a valid date (YYYY-MM-DD).
proc-ui-err-not-allowed = That step is not possible now. Possible steps: { $allowed }.
proc-ui-err-not-permitted = That step is not yours to record. You can record: { $allowed }.
proc-ui-err-before = The date cannot be earlier than the last step's ({ $date }).
proc-ui-err-term-not-passed = Administrative silence only applies once the term has passed; it is due on { $date }.
proc-ui-err-term-not-passed-none = Administrative silence only applies with the term running and passed.
proc-ui-nothing-allowed = none
proc-ui-conflict = Someone else has changed this procedure in the meantime. Check how it stands now and try again.
proc-ui-in-use = It cannot be deleted: it is still in use.
proc-ui-ref-title = File number
proc-ui-ref-save = Save the number
proc-ui-edit-title = Change the procedure
proc-ui-hint-notes = Only the Office sees them.
proc-ui-f-depends_on = Waits for
proc-ui-hint-depends_on = The procedures of this project that must be decided before this one starts.
proc-ui-no-others = The project has no other procedures.
proc-ui-save = Save the changes
proc-ui-delete-title = Remove the procedure
proc-ui-delete-confirm = Yes, remove this procedure from the project, with all its history
proc-ui-delete-button = Remove the procedure
proc-ui-err-confirm = Tick the box to confirm.
proc-ui-back-tab = Back to the project's procedures
proc-ui-back-list = Back to the list of procedures

## The investor's tab
proc-ui-portal-intro = The permits and procedures of your project: who holds each one, where it stands and when the term to decide it ends.
proc-ui-portal-heading = Your procedures
proc-ui-portal-none = Your project has no procedures yet. The Office will add them when the time comes.
proc-ui-corrections-title = A correction is requested of you
proc-ui-correction-label = Send the correction for “{ $name }”
proc-ui-f-file = Corrected document
proc-ui-hint-file = PDF, image, Word, Excel or OpenDocument; at most { $max } MB. Once it is sent, the term runs again.
proc-ui-correction-button = Send the correction
proc-ui-correction-no-document = The Office will tell you how to hand in the correction.
proc-ui-correction-accepted = The document has already been accepted.
proc-ui-no-correction = This procedure is not waiting for a correction.

## The administrations' list
proc-ui-list-title = Procedures
proc-ui-list-of = Procedures of { $orgs }
proc-ui-list-intro = The procedures your administration holds across projects, by due date. Of each project only its code name and activity are shown.
proc-ui-list-intro-office = Every administration's procedures, by due date.
proc-ui-no-org = Your account is not linked to any administration. Ask the Office to link it to see its procedures.
proc-ui-filters = Filter the procedures
proc-ui-all = All
proc-ui-all-f = All
proc-ui-f-q = Search
proc-ui-hint-q = Procedure, the project's code name or the file number.
proc-ui-f-overdue = Overdue only
proc-ui-filter = Filter
proc-ui-list-none = There are no procedures to show.
proc-ui-file-no = File { $reference }
proc-ui-pages = Pages
proc-ui-first-page = First page
proc-ui-next-page = Next

## The catalogue
proc-cat-title = Procedure catalogue
proc-cat-intro = The procedures the Office proposes to projects: who decides them, on what legal basis, within what term and what silence means. “Term to be confirmed”: the source does not give the term, or it depends on the case.
proc-cat-none = The catalogue is empty.
proc-cat-new = New procedure
proc-cat-new-title = New procedure in the catalogue
proc-cat-edit-title = Change “{ $name }”
proc-cat-col-who = Who decides
proc-cat-col-term = Term
proc-cat-col-silence = Silence
proc-cat-col-depends = Waits for
proc-cat-col-rule = Proposed to
proc-cat-depends-none = None
proc-cat-inactive = Not proposed
proc-cat-source = Source
proc-cat-rule-always = Every project
proc-cat-rule-cnae = CNAE codes starting with { $prefixes }
proc-cat-rule-power = power from { $min } kVA
proc-cat-fs-identity = The procedure
proc-cat-fs-who = Who decides it
proc-cat-fs-term = Term, silence and legal basis
proc-cat-fs-rule = When it is proposed
proc-cat-fs-notes = Notes
proc-cat-f-code = Code
proc-cat-hint-code = Lower-case letters without accents, digits and “_”; for example, building_licence.
proc-cat-f-name_es = Name in Spanish
proc-cat-f-name_en = Name in English
proc-cat-f-position = Order in the catalogue
proc-cat-hint-position = A number: the lowest come first.
proc-cat-f-active = Proposed to projects
proc-cat-f-level = Level of government
proc-cat-f-administration_org_id = Administration that handles it by default
proc-cat-no-administration = — None: chosen when it is added —
proc-cat-f-authority_es = Deciding body, in Spanish
proc-cat-f-authority_en = Deciding body, in English
proc-cat-f-term_value = Maximum term
proc-cat-f-term_unit = Unit of the term
proc-cat-f-term_confirmed = The source confirms the term
proc-cat-f-silence = Meaning of silence
proc-cat-f-legal_basis = Legal basis
proc-cat-f-source_url = Address of the source
proc-cat-hint-source_url = For example, the law in the BOE: https://www.boe.es/…
proc-cat-f-rule_cnae_prefixes = Activities (CNAE) it is proposed to
proc-cat-hint-rule_cnae_prefixes = CNAE prefixes separated by commas, such as 24, 2351; blank: any activity.
proc-cat-f-rule_min_power_kva = Minimum power (kVA)
proc-cat-hint-rule_min_power_kva = Proposed to projects that ask for at least this power; blank: whatever the power.
proc-cat-f-depends_on = Waits for
proc-cat-hint-depends_on = The catalogue's procedures that must be decided before this one.
proc-cat-f-notes_es = Notes in Spanish
proc-cat-f-notes_en = Notes in English
proc-cat-err-integer = Enter a whole number: { $value }.
proc-cat-err-number = Enter a number: { $value }.
proc-cat-create = Create the procedure
proc-cat-save = Save the changes
proc-cat-conflict = Someone else has changed this procedure in the meantime. Your data is still in the form: if you save again, it will replace theirs.
proc-cat-in-use = This procedure cannot be deleted: it is still in use.
proc-cat-delete-title = Delete the procedure from the catalogue
proc-cat-delete-intro = Projects that already have it keep their copy.
proc-cat-delete-confirm = Yes, delete this procedure from the catalogue
proc-cat-delete = Delete the procedure

## Local holidays
proc-hol-title = Holidays of the terms
proc-hol-intro = Terms in business days skip Saturdays, Sundays and holidays: Spain's and Cantabria's (already included) and each municipality's two local holidays, added here, which count for the administrations of that municipality.
proc-hol-local = Local holidays
proc-hol-none = There are no local holidays yet.
proc-hol-col-name = Holiday
proc-hol-col-scope = Scope
proc-hol-actions = Actions
proc-hol-delete = Delete
proc-hol-add-title = Add a local holiday
proc-hol-f-municipality_code = Municipality
proc-hol-f-on_date = Date
proc-hol-f-name_es = Name in Spanish
proc-hol-f-name_en = Name in English
proc-hol-hint-name_en = Blank: the same as in Spanish.
proc-hol-add = Add the holiday
proc-hol-err-municipality = Choose a municipality of Cantabria.
proc-hol-regional = Spain's and Cantabria's holidays in { $year }
proc-hol-national = Spain
proc-hol-cantabria = Cantabria

## Flash messages
flash-proc-added = Procedures added to the project.
flash-proc-event-recorded = Step recorded.
flash-proc-updated = Procedure saved.
flash-proc-removed = Procedure removed from the project.
flash-proc-reference-saved = File number saved.
flash-proc-correction-sent = Correction sent: the term runs again.
flash-proc-cat-created = Procedure added to the catalogue.
flash-proc-cat-updated = Catalogue procedure saved.
flash-proc-cat-deleted = Procedure deleted from the catalogue.
flash-proc-hol-added = Local holiday added: the terms of the municipality's administrations have been recomputed.
flash-proc-hol-deleted = Local holiday deleted: the terms have been recomputed.
proc-ui-resolved-on = on { $date }
proc-ui-resolved-on-full = Decided on { $date }
