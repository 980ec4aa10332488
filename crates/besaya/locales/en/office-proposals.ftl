## office-proposals
# Site proposals: the office's tab, the investor's tab, events, e-mails.
office-prop-staff-title = Sites · { $project }
office-prop-portal-title = Proposed sites · { $project }
office-prop-office = Office
office-prop-portal = My projects
office-prop-read-only = You can read this tab but not propose or withdraw sites: you are not assigned to this confidential project.
office-prop-requirements = The project's requirements
office-prop-requirements-none = This project has no site requirements yet, so there is nothing to match the catalogue against.
office-prop-requirements-invalid = The stored requirements of this project are not valid (for example a municipality or CNAE code that no longer exists). Correct them to see the sites that fit.
office-prop-requirements-state = State the project's requirements
office-prop-requirements-edit = Change the requirements
office-prop-required = required
office-prop-wanted-present = Yes
office-prop-proposed = Proposed sites
office-prop-proposed-none = No site has been proposed to the investor yet.
office-prop-proposed-on = Proposed on { $date } by { $by }
office-prop-proposed-on-date = Proposed on { $date }
office-prop-withdrawn-on = Withdrawn on { $date }
office-prop-unpublished = No longer in the public catalogue
office-prop-fit = Against the requirements
office-prop-fit-eliminated = Fails a required criterion
office-prop-note = Note to the investor
office-prop-note-for = Note to the investor about { $site } (optional)
office-prop-note-hint = The investor sees it with the site and in the e-mail that tells them. At most 2,000 characters.
office-prop-feedback = Investor's feedback
office-prop-feedback-none = No answer yet
office-prop-feedback-interested = Interested
office-prop-feedback-visit_requested = Wants a visit
office-prop-feedback-not_interested = Not interested
office-prop-withdraw = Withdraw { $site }
office-prop-ranked = Sites that fit the requirements
office-prop-ranked-hint = First those that meet every required criterion, then those that might but lack a fact; only published sites are shown, the only ones the investor can open.
office-prop-already = Already proposed
office-prop-propose = Propose { $site }
office-prop-other = Propose another site
office-prop-other-hint = Any published site, also one that fails a required criterion, if the office sees fit.
office-prop-other-none = Every published site is already proposed.
office-prop-other-site = Site
office-prop-other-site-hint = Type its reference (for example RQ-P08) or pick it from the list that appears as you type.
office-prop-propose-other = Propose the site
office-prop-conflict-title = Changed by someone else
office-prop-conflict = Someone else changed this proposal meanwhile. Check the updated list and try again.
office-prop-already-withdrawn = This proposal was already withdrawn.
office-prop-conflict-feedback = Your feedback on this site changed since you opened the page (perhaps from another device or by the office). Check what is recorded now and send it again.
office-prop-gone = The office has withdrawn this proposal; your feedback is no longer needed.
office-prop-portal-heading = Sites the office proposes to you
office-prop-portal-none = The office has not proposed any site to you yet. We will let you know by e-mail when it does.
office-prop-portal-lead = Tell us what you think of each site: whether you are interested, would like to visit it, or are not interested. You can change your answer at any time.
office-prop-open-site = See the full page of { $site }
office-prop-open-sheet = Printable sheet of { $site }
office-prop-office-note = The office's note
office-prop-your-feedback = Your answer
office-prop-feedback-legend = What do you think of { $site }?
office-prop-comment = Comment (optional)
office-prop-comment-hint = For example what it lacks, or which days would suit you for a visit. At most 2,000 characters.
office-prop-feedback-send = Send my feedback on { $site }
office-prop-feedback-change = Change my feedback on { $site }
flash-office-site-proposed = Site proposed. The investor has been told by e-mail.
flash-office-proposal-withdrawn = Proposal withdrawn. The investor no longer sees it.
flash-office-feedback-saved = Thank you. Your feedback is saved and the office has been told.
office-err-site_required = Choose a site.
office-err-unknown_site = There is no such site: { $value }.
office-err-site_not_published = “{ $value }” is not published: the investor could not open its page. Publish it before proposing it.
office-err-already_proposed = “{ $value }” is already proposed to this project.
office-err-feedback_required = Choose an answer: interested, wants a visit or not interested.
office-err-invalid_feedback = Not a valid answer: { $value } (interested, visit_requested or not_interested).
office-event-proposal = Site proposed: “{ $site }”.
office-event-proposal_withdrawn = Proposal withdrawn: “{ $site }”.
office-event-feedback = Investor's feedback on “{ $site }”: { $feedback ->
        [interested] interested
        [visit_requested] wants a visit
       *[not_interested] not interested
    }.
mail-office-site-proposed-subject = A site for your project “{ $project }”
mail-office-site-proposed-text = The Besaya district office proposes the site “{ $site }” for your project “{ $project }”.
mail-office-site-proposed-note = The office's note: { $note }
mail-office-site-proposed-action = See the proposed sites
mail-office-site-proposed-after = On the same page you can tell us whether you are interested, would like to visit it, or are not interested.
mail-office-site-feedback-subject = “{ $project }”: feedback on { $site }
mail-office-site-feedback-text = { $by } answered about the site “{ $site }” of the project “{ $project }”: { $feedback ->
        [interested] interested
        [visit_requested] wants a visit
       *[not_interested] not interested
    }.
mail-office-site-feedback-comment = Comment: { $comment }
mail-office-site-feedback-action = See the project's proposals
