# Procedures (office-procedures-api): names shared by the API, the pages and the
# e-mails — statuses, events, terms, silence, levels — validation messages,
# timeline events and e-mails.

## Where a procedure stands
proc-status-pending = Not filed
proc-status-filed = Filed
proc-status-running = Clock running
proc-status-paused = Paused for corrections
proc-status-granted = Granted
proc-status-denied = Denied
proc-status-silence_positive = Granted by silence
proc-status-silence_negative = Refused by silence

## Events as the history names them
proc-event-filed = Application filed
proc-event-complete = File complete (the term starts)
proc-event-correction_requested = Correction requested (the term pauses)
proc-event-corrected = Correction handed in (the term resumes)
proc-event-granted = Decision: granted
proc-event-denied = Decision: denied
proc-event-silence = Term passed without a decision: administrative silence
proc-event-note = Note

## Events as buttons name them
proc-action-filed = Record the filing
proc-action-complete = Declare the file complete
proc-action-correction_requested = Request a correction
proc-action-corrected = Hand in the correction
proc-action-granted = Grant
proc-action-denied = Deny
proc-action-silence = Apply administrative silence
proc-action-note = Add a note

## Terms
proc-unit-business_days = { $n ->
    [one] { $n } business day
   *[other] { $n } business days
}
proc-unit-calendar_days = { $n ->
    [one] { $n } calendar day
   *[other] { $n } calendar days
}
proc-unit-months = { $n ->
    [one] { $n } month
   *[other] { $n } months
}
proc-unit-name-business_days = Business days
proc-unit-name-calendar_days = Calendar days
proc-unit-name-months = Months
proc-term-unconfirmed = term to be confirmed

## Silence
proc-silence-positive = Positive (granted)
proc-silence-negative = Negative (refused)
proc-silence-means-positive = If the term passes without a decision, it is deemed granted.
proc-silence-means-negative = If the term passes without a decision, it is deemed refused.

## Levels of government
proc-level-council = Council
proc-level-region = Government of Cantabria
proc-level-state = State administration
proc-level-registry = Registry and notary
proc-level-operator = Distribution system operator

## Validation
office-proc-err-required = This field is required.
office-proc-err-too_long = At most { $value } characters.
office-proc-err-too_short = At least { $value } characters.
office-proc-err-control_chars = Contains characters that are not allowed.
office-proc-err-too_many = At most { $value }.
office-proc-err-out_of_range = Out of the allowed range ({ $value }).
office-proc-err-invalid_code = Not a valid code: “{ $value }” (lower-case letters, digits and “_”, 2 to 60).
office-proc-err-duplicate_code = Another catalogue entry already has this code.
office-proc-err-invalid_level = Not a level of government: { $value }.
office-proc-err-invalid_unit = Not a term unit: { $value } (business days, calendar days or months).
office-proc-err-invalid_silence = Not a meaning of silence: { $value } (positive or negative).
office-proc-err-invalid_url = Not a web address (https://…): { $value }.
office-proc-err-invalid_cnae_prefix = Not a CNAE prefix (1 to 4 digits): { $value }.
office-proc-err-unknown_organization = No such organisation: { $value }.
office-proc-err-unknown_template = No such catalogue entry: { $value }.
office-proc-err-unknown_procedure = Not a procedure of this project: { $value }.
office-proc-err-self_dependency = A procedure cannot depend on itself.
office-proc-err-dependency_cycle = The dependencies form a cycle: { $value }.
office-proc-err-no_administration = Choose the administration that handles the procedure: the catalogue proposes none.
office-proc-err-already_added = The project already has this procedure: { $value }.
office-proc-err-no_items = Choose at least one procedure.
office-proc-err-invalid_date = Not a valid date: { $value } (use YYYY-MM-DD).
office-proc-err-date_in_future = The date cannot be after today.
office-proc-err-before_previous = The date cannot be before the procedure's last step ({ $value }).
office-proc-err-invalid_kind = Not a step of a procedure: { $value }.
office-proc-err-invalid_status = Not a procedure status: { $value }.
office-proc-err-not_allowed = That step is not possible now. Possible steps: { $value }.
office-proc-err-not_permitted = That step is not yours to record. Steps you may record now: { $value }.
office-proc-err-term_not_passed = Administrative silence applies only once the term has passed ({ $value }).
office-proc-err-unknown_document = Not a document of this project: { $value }.
office-proc-err-document_needs_file = Attach the document with the correction.
office-proc-err-unknown_municipality = Unknown municipality: { $value }.
office-proc-err-duplicate_holiday = That municipality already has a local holiday on that day.
office-proc-err-in_use = Cannot be deleted: it is still in use.
office-proc-none = none

## The project's timeline
office-event-procedure_added = Procedure added: “{ $name_en }”, before { $administration }.
office-event-procedure_updated = Procedure changed: “{ $name_en }” (now before { $administration }).
office-event-procedure_removed = Procedure removed: “{ $name_en }”.
office-event-procedure_filed = “{ $name_en }”: application filed on { $on_date }.
office-event-procedure_complete = “{ $name_en }”: file complete on { $on_date }; the term ends on { $due_on }.
office-event-procedure_correction_requested = “{ $name_en }”: correction requested on { $on_date }; the term is paused.
office-event-procedure_corrected = “{ $name_en }”: correction handed in on { $on_date }; the term resumes.
office-event-procedure_granted = “{ $name_en }”: granted on { $on_date }.
office-event-procedure_denied = “{ $name_en }”: denied on { $on_date }.
office-event-procedure_silence = “{ $name_en }”: resolved by { $silence ->
    [positive] positive silence (granted)
   *[negative] negative silence (refused)
} on { $on_date }.
office-event-procedure_note = “{ $name_en }”: note of { $on_date }.

## The correction requested, as the investor's document request
proc-correction-title = Correction: { $name }

## E-mails
mail-proc-assigned-subject = New procedure assigned: { $procedure } (project “{ $project }”)
mail-proc-assigned-text = The investment attraction Office has assigned you the procedure “{ $procedure }” of the project “{ $project }”. On the platform you can record each step of the file; the legal term is computed for you.
mail-proc-assigned-action = See the procedure
mail-proc-correction-subject = A correction is requested: { $procedure } (project “{ $project }”)
mail-proc-correction-text = { $administration } has requested a correction in the procedure “{ $procedure }” of the project “{ $project }”. The legal term is paused until you hand it in.
mail-proc-correction-what = What is asked: { $note }
mail-proc-correction-action = Hand in the correction
mail-proc-corrected-subject = Correction handed in: { $procedure } (project “{ $project }”)
mail-proc-corrected-text = The investor has handed in the correction for the procedure “{ $procedure }” of the project “{ $project }”. The legal term resumes: it now ends on { $due_on }.
mail-proc-corrected-action = See the procedure
mail-proc-event-subject = { $procedure } (project “{ $project }”): { $event }
mail-proc-event-text = { $administration } has recorded a step in the procedure “{ $procedure }” of the project “{ $project }”: { $event }, dated { $on_date }.
mail-proc-event-due = The legal term ends on { $due_on }.
mail-proc-event-action = See the procedure
