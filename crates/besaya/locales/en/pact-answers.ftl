# The Pact (pact-answers): invitations, the candidate's answer (expression of
# interest, offer, attachments, consent), the owner's and the office's view of an
# answer, and the answers table of a need's page.

pact-ans-status-invited = Invited
pact-ans-status-declined = Declined
pact-ans-status-interested = Interested
pact-ans-status-shortlisted = Shortlisted
pact-ans-status-meeting = Meeting asked
pact-ans-status-accepted = Accepted
pact-ans-status-rejected = Turned down
pact-ans-move-shortlisted = Shortlist
pact-ans-move-meeting = Ask for a meeting
pact-ans-move-accepted = Accept
pact-ans-move-rejected = Turn down
pact-ans-candidate-n = Candidate { $n }

## Invitations
pact-ans-invitations-title = Invitations to answer
pact-ans-invitations-intro = The needs the Office has invited your organisation to answer, with the status of your answer.
pact-ans-invitations-none = Your organisation has no invitations for now.
pact-ans-col-invited = Invited on
pact-ans-col-status = Your answer

## One answer
pact-ans-title-candidate = Answer: { $title }
pact-ans-title-owner = Answer from { $candidate }
pact-ans-your-status = Status of the answer:
pact-ans-the-need = The need
pact-ans-candidate = Who answers
pact-ans-f-need = Need
pact-ans-identities = Identities
pact-ans-released = Identities released: both sides agreed.
pact-ans-not-released = Not released yet: both sides must agree.
pact-ans-interest-title = Express interest
pact-ans-interest-intro = Say what you propose, what you need to know and who you are. The Office passes it on to the company; your name is only released if both sides agree.
pact-ans-f-proposal = What we propose
pact-ans-hint-proposal = Required. How you would answer the need: solution, capacity, timing.
pact-ans-f-questions = What we need to know
pact-ans-hint-questions = Any questions you have before making an offer.
pact-ans-f-presentation = Who we are
pact-ans-hint-presentation = Experience, means and references, without details you do not want to share yet.
pact-ans-offer = Offer (optional)
pact-ans-hint-offer = If you can already make an offer, describe it and, if you wish, give an amount. You can attach documents after sending.
pact-ans-f-offer-text = Offer
pact-ans-f-offer-amount = Offer amount (€)
pact-ans-f-consent = We agree that the company may know who we are
pact-ans-hint-consent = Identities are only released when both sides agree. You can agree now or later.
pact-ans-send-interest = Send the expression of interest
pact-ans-decline-intro = If your organisation cannot answer, say so: the Office can then look for others.
pact-ans-decline = We cannot answer
pact-ans-sent-title = What we sent
pact-ans-received-title = Expression of interest
pact-ans-files-title = Attachments
pact-ans-files-none = No attachments.
pact-ans-f-file = Attach a document
pact-ans-hint-file = PDF, image, or office spreadsheet or text, up to { $mb } MB.
pact-ans-upload = Upload the document
pact-ans-next-title = Next steps
pact-ans-consent = Agree to release our identity
pact-ans-consent-intro-candidate = The company will learn your organisation's name, and you its name, once both sides agree.
pact-ans-consent-intro-owner = The answering organisation will learn the company's name, and the company its name, once both sides agree.
pact-ans-f-amount = Amount awarded (€, optional)
pact-ans-hint-amount = Only when accepting: the amount awarded locally.
pact-ans-table-title = Answers
pact-ans-table-none = No organisation has been invited yet.
pact-ans-col-candidate = Candidate
pact-ans-col-state = Status
pact-ans-their-proposal = What it proposes
pact-ans-their-questions = What it needs to know
pact-ans-their-presentation = Who it is
pact-ans-col-answered = Answered on
pact-ans-col-actions = Actions
pact-ans-not-yet = Not answered yet
pact-ans-score = Score when invited: { $score }
pact-ans-conflict = This answer changed while you were looking at it. It is shown as it is now: please try again.
pact-ans-err-file = Choose a document to upload.
pact-ans-err-move = That step is not possible now. Possible steps: { $allowed }.

flash-pact-ans-interest = Expression of interest sent. The Office will pass it on to the company.
flash-pact-ans-declined = You said your organisation cannot answer.
flash-pact-ans-moved = The answer's status was updated.
flash-pact-ans-consent = Consent recorded.
flash-pact-ans-file = Document attached.
