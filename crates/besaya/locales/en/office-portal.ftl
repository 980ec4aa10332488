## office-portal: documents, messages, invitations and the investor's portal

portal-breadcrumb = Breadcrumb
portal-office = Office
portal-home-title = My projects
portal-home-intro = Follow your investment projects in the Besaya district here: the stage each one has reached, the documents the Office needs from you and the sites proposed to you. And write to the Office whenever you need to.
portal-home-none = You have no project yet. If the Office invited you to one, ask them to check your organisation.
portal-stage = Stage
portal-pending-docs = { $count ->
    [one] One document still to send
   *[other] { $count } documents still to send
}
portal-pending-docs-none = No document is waiting for you.
portal-pending-sites = { $count ->
    [one] One proposed site awaits your opinion
   *[other] { $count } proposed sites await your opinion
}
portal-write-office = Write to the Office

portal-stage-title = Project stage
portal-stage-now = The project is at the “{ $stage }” stage.
portal-stage-on-hold = The project is on hold. The Office will let you know when it resumes.
portal-stage-lost = The project was closed without an establishment. If you wish to take it up again, write to the Office.
portal-step-current = current stage
portal-step-stopped = stopped here
portal-step-done = done
portal-checklist-title = Requested documents
portal-checklist-none = The Office has not asked you for any document.
portal-checklist-go = Send documents
portal-sites-title = Proposed sites
portal-sites-none = The Office has not proposed any site to you yet.
portal-sites-count = { $count ->
    [one] The Office has proposed one site to you.
   *[other] The Office has proposed { $count } sites to you.
}
portal-sites-go = See the sites
portal-recent-title = Latest news
portal-recent-none = No news yet.
portal-event-other = Something happened on the project.

portal-docs-title = Documents
portal-docs-none-office = This project has no documents yet. Request one from the investor or upload one of the Office's.
portal-requested-title = Documents the Office needs from you
portal-requested-intro = Upload each document as PDF, an image (PNG or JPEG), Word, Excel or OpenDocument; at most { $max } MB per file. Until the Office accepts it, you can replace it by uploading another.
portal-shared-title = Documents from the Office
portal-shared-none = The Office has not shared any document with you yet.
portal-doc = Document
portal-doc-status = Status
portal-doc-status-requested = To be sent
portal-doc-status-uploaded = Sent, under review
portal-doc-status-accepted = Accepted
portal-doc-status-rejected = Rejected
portal-doc-internal = Internal to the Office
portal-doc-overdue = Overdue
portal-doc-due = Due date
portal-doc-no-due = No date
portal-doc-file = File
portal-doc-uploaded = Uploaded
portal-doc-uploaded-by = { $when }, by { $name }
portal-doc-comment = The Office's comment
portal-doc-origin-request = (requested from the investor)
portal-doc-origin-office = (the Office's)
portal-doc-waiting-review = The Office is reviewing it.
portal-doc-upload-again = The Office rejected it: please upload it again, taking its comment into account.
portal-doc-conflict-title = Not saved
portal-doc-conflict = Someone else changed this document meanwhile. Check its current status and try again.
portal-doc-already-accepted = This document has been accepted: its file can no longer be replaced.
portal-doc-not-reviewable = Only a document that was sent and awaits review can be reviewed.
portal-upload-label = Upload “{ $title }”
portal-upload-file = File
portal-upload-replace = Replace the file
portal-upload-on-behalf = Upload the file on behalf of the investor
portal-upload-hint = PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods); at most { $max } MB.
portal-upload-button = Upload
portal-review-label = Review “{ $title }”
portal-review-legend = Review
portal-review-accept = Accept
portal-review-reject = Reject
portal-review-comment = Comment for the investor
portal-review-comment-hint = Required when rejecting: say what is missing or needs correcting.
portal-review-button = Save the review
portal-request-title = Request a document from the investor
portal-request-intro = The investor will see it in its list of pending documents, with the due date, unless you mark it as internal.
portal-request-button = Request the document
portal-own-title = Upload a document of the Office
portal-own-intro = A report, a fact sheet or a draft to share with the investor, or internal to the Office. It needs no review.
portal-own-title-hint = Left blank, the file's name is used.
portal-own-internal-hint = Internal documents are not shown to the investor.
portal-own-button = Upload the document
portal-f-title = Title
portal-f-description = Description
portal-f-description-hint = What is needed, and any useful guidance.
portal-f-due_on = Due date
portal-f-internal = Internal to the Office (the investor does not see it)
portal-f-internal-hint = An internal document is for the Office only.
portal-f-name = Name
portal-f-email = E-mail
portal-f-lang = Language of the account

portal-people-title = The investor's people on the portal
portal-people-intro = These people of { $org } can follow the project on the investor portal.
portal-people-none = Nobody of the investor has access to the portal yet.
portal-people-no-org = To invite the investor to the portal, first set its organisation in the project's details.
portal-people-no-org-link = Edit the project
portal-people-state = Status
portal-person-active = Has access
portal-person-invited = Invited; no password yet
portal-person-inactive = Deactivated
portal-invite-title = Invite a person of the investor
portal-invite-intro = They will receive an e-mail with a link to choose a password and enter the portal, where they see only their organisation's projects.
portal-invite-button = Send the invitation

portal-messages-title = Messages
portal-messages-intro-investor = Your messages with the Office about this project. The Office gets an e-mail for every new message.
portal-messages-intro-office = The conversation with the investor. The investor's people get an e-mail for every message from the Office.
portal-messages-none = No messages yet.
portal-message-label = Message from { $author }, { $when }
portal-side-investor = Investor
portal-side-office = Office
portal-message-write = Write a message
portal-message-body = Message
portal-message-hint-investor = At most 5000 characters. The Office's people working on the project will read it.
portal-message-hint-office = At most 5000 characters. The investor's people will read it.
portal-message-send = Send
portal-message-read-only = You can read the conversation, but only the people assigned to the project can write.
portal-restricted = This project is confidential: its documents and messages are seen only by the people assigned to it.

portal-err-required = This is required.
portal-err-too_long = At most { $value } characters.
portal-err-control_chars = Contains characters that are not allowed.
portal-err-invalid_date = Not a valid date: { $value } (use YYYY-MM-DD).
portal-err-invalid_choice = Not a valid choice: { $value }.
portal-err-comment_required = When rejecting a document, explain why.
portal-err-file_required = Choose a file.
portal-err-too_large = The file is larger than { $value } MB.
portal-err-wrong_type = This kind of file is not accepted. Accepted: { $value }.
portal-err-invalid_version = Not a valid version: { $value }.
portal-err-invalid_email = Not a valid e-mail address: { $value }.
portal-err-invalid_lang = Not a valid language: { $value } (es or en).
portal-err-email_taken = This address already belongs to another account.
portal-err-not_investor = This address belongs to an account that is not an investor's; ask the administrator to look into it.
portal-err-inactive_user = The account of this address is deactivated; ask the administrator to reactivate it.
portal-err-no_investor_organisation = The project has no investor organisation: set it first in the project's details.

flash-portal-doc-requested = Document requested from the investor.
flash-portal-doc-uploaded = Document uploaded.
flash-portal-doc-accepted = Document accepted.
flash-portal-doc-rejected = Document rejected; the investor will see your comment.
flash-portal-invited = Invitation sent.
flash-portal-linked = That person already had an investor account: they can now follow this project too, and were told by e-mail.
flash-portal-already-linked = That person already had access to this project: nothing changed.
flash-portal-message-sent = Message sent.

portal-mail-invite-subject = Follow your project “{ $project }” on Besaya
portal-mail-invite-text = { $inviter }, of the Besaya District Office for Industrial Investment, invites you to the investor portal to follow the project “{ $project }”. To activate your account, choose a password:
portal-mail-invite-what = On the portal you will see the project's stage, the documents the Office needs from you and the sites proposed to you, and you can write to the Office.
portal-mail-invite-action = Activate my account
portal-mail-access-subject = You can now follow the project “{ $project }” on Besaya
portal-mail-access-text = { $inviter }, of the Besaya District Office for Industrial Investment, has given you access to the project “{ $project }” on the investor portal. Log in with your usual account:
portal-mail-access-action = Open the project
portal-mail-message-subject = New message about the project “{ $project }”
portal-mail-message-text-investor = { $author }, of the Office, has written to you about the project “{ $project }”. To read it and reply:
portal-mail-message-text-office = { $author } (investor) has written a message about the project “{ $project }”. To read it and reply:
portal-mail-message-action = Read the message
portal-mail-message-after = For confidentiality, the message is not copied into this e-mail.

office-event-document_requested = The Office requested the document “{ $title }”.
office-event-document_uploaded = Document uploaded: “{ $title }”.
office-event-document_reviewed = Document “{ $title }” { $status ->
    [accepted] accepted
   *[rejected] rejected
}.
office-event-message = Message from { $author }.
office-event-investor_invited = { $outcome ->
    [linked] { $name } ({ $email }), who already had an investor account, now has access to the project on the portal.
   *[invited] Invitation to the investor portal sent to { $name } ({ $email }).
}
