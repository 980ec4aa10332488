# pact-api (en): the Pact's validation messages, ranking reasons and e-mails.

pact-err-required = This field is required.
pact-err-too_long = At most { $value } characters.
pact-err-control_chars = It contains characters that are not allowed.
pact-err-too_many = At most { $value } items.
pact-err-invalid_kind = "{ $value }" is not a kind of need.
pact-err-invalid_status = "{ $value }" is not a status of a need.
pact-err-unknown_cnae = { $value } is not a CNAE-2025 class.
pact-err-invalid_cpv = { $value } is not a CPV code (eight digits, a hyphen and the check digit: 45310000-3).
pact-err-invalid_recurrence = "{ $value }" is not a valid recurrence.
pact-err-invalid_size_band = "{ $value }" is not a company size.
pact-err-unknown_municipality = { $value } is not a municipality of Cantabria.
pact-err-deadline_past = The deadline ({ $value }) has already passed.
pact-err-invalid_date = "{ $value }" is not a date (YYYY-MM-DD).
pact-err-unknown_organization = There is no organisation { $value }.
pact-err-no_organization = Your account does not belong to any organisation.
pact-err-unknown_broker = { $value } is not an active Office user.
pact-err-not_administration = { $value } is not an administration.
pact-err-owner_invited = The company that posted the need cannot be invited to answer it.
pact-err-invalid_amount = { $value } is not a valid amount.
pact-err-amount_only_accepted = An amount is only given when accepting an answer.
pact-err-too_many_files = At most { $value } files per answer.
pact-err-file_required = Attach a file.
pact-err-invalid_target = { $value } is not a valid target (1 to 365 business days).
pact-err-not_allowed = Not possible now. Possible options: { $value }.
pact-err-out_of_range = Out of the allowed range ({ $value }).

pact-api-anonymous-owner = A company of the district (anonymous)

pact-api-size-micro = micro company
pact-api-size-small = small company
pact-api-size-medium = medium-sized company
pact-api-size-large = large company

pact-api-reason-cnae-class = Same activity class (CNAE { $org }; { $need } asked).
pact-api-reason-cnae-group = Same activity group (CNAE { $org }; { $need } asked).
pact-api-reason-cnae-division = Same activity division (CNAE { $org }; { $need } asked).
pact-api-reason-cnae-section = Same activity section (CNAE { $org }; { $need } asked).
pact-api-reason-text = { $count ->
    [one] Its description mentions "{ $words }".
   *[other] Its description mentions: { $words }.
}
pact-api-reason-certification = Holds { $held } ({ $required } asked).
pact-api-reason-certification-until = Holds { $held }, valid until { $date } ({ $required } asked).
pact-api-reason-certification-expired = Its { $held } certification expired on { $date } ({ $required } asked).
pact-api-reason-certification-missing = Not known to hold { $required }.
pact-api-reason-same-municipality = In the same municipality.
pact-api-reason-in-district = In the Besaya district.
pact-api-reason-distance = { $km } km away.
pact-api-reason-size-fits = A { $size } (at least a { $required } asked).
pact-api-reason-size-too-small = A { $size }; at least a { $required } is asked.
pact-api-reason-size-unknown = Its size is not known (at least a { $required } asked).

pact-api-mail-invited-subject = Industrial Pact: a company is looking for local suppliers ({ $reference })
pact-api-mail-invited-text = The Industrial Pact Office invites you to answer need { $reference }, "{ $title }": we believe your organisation could meet it.
pact-api-mail-invited-anonymous = The company that posted it stays anonymous until both sides agree to be introduced. You can express your interest, ask questions or attach an offer on the platform.
pact-api-mail-invited-action = See the need
pact-api-mail-interest-subject = New expression of interest in { $reference }
pact-api-mail-interest-text = { $candidate } has expressed interest in need { $reference }, "{ $title }".
pact-api-mail-interest-action = See the answers
pact-api-mail-released-subject = You can now meet: { $reference }
pact-api-mail-released-text = Both sides have agreed to be introduced on need { $reference }, "{ $title }". The other side is { $other }.
pact-api-mail-released-action = See the need
pact-api-mail-meeting-subject = A meeting is proposed: { $reference }
pact-api-mail-meeting-text = The company behind need { $reference }, "{ $title }", would like to meet you. If you agree to be introduced, we will put you in touch.
pact-api-mail-meeting-action = Reply
pact-api-mail-accepted-subject = Your answer has been accepted: { $reference }
pact-api-mail-accepted-text = Congratulations: your answer to need { $reference }, "{ $title }", has been accepted. In three and six months we will ask you how it went.
pact-api-mail-accepted-action = See the need

pact-api-delete-has-needs = This organisation has { $count ->
    [one] one need or answer
   *[other] { $count } needs or answers
} of the Industrial Pact: merge it into another instead of deleting it.
