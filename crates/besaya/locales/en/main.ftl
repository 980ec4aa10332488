# Besaya — English catalogue.
lang-name = English
lang-switch = Español
lang-switch-label = Change language
skip-to-content = Skip to content
brand-subtitle = Industrial platform of the Besaya district
nav-label = Main navigation
nav-home = Home
nav-api = API and open data
footer-text = Besaya is the platform of the reindustrialisation plan of the Besaya district (Torrelavega, Cantabria, Spain), led by the Besaya Industry Cluster and the Torrelavega Chamber of Commerce.
footer-api = API documentation
footer-license = Open data under the CC BY 4.0 licence

home-title = Home
home-heading = Besaya industry: invest, cooperate and grow
home-lead = One platform for the District Office for Industrial Investment, the Besaya Industrial Pact, local companies, investors, training centres and the public.
home-modules = What you will find here
home-coming-soon = Coming soon

module-office-title = Investment attraction office
module-office-text = End-to-end support for investors: first inquiry, site search, permits with every administration and their legal deadlines, funding, construction and aftercare.
module-pact-title = Industrial Pact
module-pact-text = The needs of large companies, answered fast by local firms and administrations; working groups, agreements and commitments, tracked.
module-sites-title = Industrial land and buildings
module-sites-text = Plots, industrial buildings and estates on a map, with area, permitted uses, available electrical capacity, price and availability date.
module-directory-title = Directory of organisations
module-directory-text = Companies, administrations, business associations, unions, training and research centres, with their CNAE activities and capabilities.
module-skills-title = Jobs and training
module-skills-text = Talent needs set against the training on offer: where profiles are missing and which courses fill the gap.
module-plan-title = The plan and EU funds
module-plan-text = Objectives, lines of work, programmes and actions of the plan, with budgets by funding source and ERDF and ESF+ indicators computed from real records.
module-opendata-title = API and open data
module-opendata-text = A JSON API documented with OpenAPI, and open data under CC BY 4.0: CNAE classifications and the municipalities of Cantabria.

error-404-title = Page not found
error-404-text = The address you opened does not exist or has moved. Check the link or go back to the home page.
error-500-title = Internal error
error-500-text = Something went wrong on our side. It has been logged; please try again in a few minutes.
error-home-link = Back to the home page

api-docs-title = API documentation
api-docs-intro = Every operation of the Besaya JSON API, generated from the code. The OpenAPI 3.1 document is at
api-docs-noscript = Browsing the documentation needs JavaScript; the OpenAPI document can be downloaded without it.

error-403-title = Access not allowed
error-403-text = You do not have permission to see this page or take this action. If you think you should, contact the Office. If you came from a form, reload it and try again.
error-400-title = Invalid request
error-400-text = The form arrived incomplete or damaged. Reload the page and try again.
error-413-title = Too large
error-413-text = What you sent is larger than the maximum allowed.

nav-users = Users
nav-audit = Change log
nav-jobs = Background jobs
nav-login = Log in
nav-logout = Log out

role-admin = Administrator
role-staff = Office staff
role-pact_member = Pact member
role-company = Company
role-investor = Investor
role-training_centre = Training centre

form-errors-title = Please check the fields marked
field-email = E-mail address
field-email-invalid = Enter a valid e-mail address, such as name@company.com.
field-email-taken = A user with this e-mail address already exists.
field-password = Password
field-new-password = New password
field-confirm-password = Repeat the new password
field-current-password = Current password
field-name = Name
field-name-invalid = Enter a name of 1 to 200 characters.
field-lang = Language
field-lang-invalid = Choose Spanish or English.
field-role = Role
field-role-invalid = Choose one of the roles in the list.
field-self-demote = You cannot remove your own administrator role or deactivate your own account.
field-tax-ids = Tax ids of the organisations
field-tax-ids-hint = Optional. The organisations the user acts for, separated by commas (for example B39000013).
field-tax-ids-unknown = No organisation is registered with the tax id { $tax_id }.
field-token-name = Token name
field-token-name-invalid = Enter a name of 1 to 100 characters to recognise the token by.
password-hint = At least 10 characters. An easy-to-remember phrase makes a good password.
password-too-short = The password must have at least 10 characters.
password-too-long = The password cannot have more than 256 characters.
password-too-common = That password is too common or too simple; choose another.
password-contains-email = The password cannot contain your e-mail address.
password-mismatch = The two passwords do not match.
password-current-wrong = The current password is not correct.

login-title = Log in
login-submit = Log in
login-forgot = Forgotten your password?
login-invalid = Invalid e-mail address or password.
login-throttled = Too many failed attempts. For your security, wait { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
} before trying again.
back-to-login = Back to log in

forgot-title = Reset your password
forgot-intro = Enter the e-mail address of your account and we will send you a link to choose a new password.
forgot-submit = Send the link
forgot-sent-title = Check your e-mail
forgot-sent-text = If there is an account with that address, we have just sent it a link to choose a new password. It expires in one hour.
reset-title = Choose a new password
reset-intro = Enter your new password. Saving it ends all your open sessions.
invitation-title = Welcome to Besaya
invitation-intro = Choose a password to activate your account.
set-password-submit = Save the password
link-invalid-title = Invalid link
link-invalid-text = This link has already been used or has expired. You can ask for a new one.

account-title = My account
account-profile = Personal details
account-password = Password
account-change-password = Change the password
save = Save
conflict-text = Someone else changed these details while you were editing them. The current details are shown: check them and save again.
tokens-title = API tokens
tokens-intro = A token lets a program use the API on your behalf (Authorization: Bearer header). Treat it like a password.
tokens-new = Copy this token now: it will not be shown again.
tokens-created = Created
tokens-last-used = Last used
tokens-active = Active
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-create = Create a token
never = Never
status = Status
actions = Actions
sessions-title = Sessions
sessions-intro = If you used your account on another computer, or think someone else may be using it, end all your open sessions.
sessions-revoke-all = Log out on every device

users-title = Users
users-invite = Invite a user
users-edit = Edit user
users-back = Back to the list of users
users-none = No users match the search.
users-send-invitation = Send the invitation
users-pending-invitation = This user has not accepted the invitation yet.
users-resend = Send the invitation again
user-active = Active
user-inactive = Deactivated
user-invited = Invited
search = Search
filter = Filter
all = All
next-page = Next page

audit-title = Change log
audit-actor = User
audit-entity = Item
audit-action = Action
audit-at = Date and time (UTC)
audit-changes = Changes
audit-from = From
audit-to = To
audit-none = No changes recorded with those filters.
audit-system = System
audit-bad-date = Enter dates as YYYY-MM-DD.

jobs-title = Background jobs
jobs-intro = E-mails and other tasks run in the background and are retried when they fail. Those that failed for good are listed first.
jobs-none = No jobs.
jobs-kind = Kind
jobs-attempts = Attempts
jobs-run-at = Scheduled
jobs-error = Last error
jobs-retry = Retry
job-status-pending = Pending
job-status-running = Running
job-status-done = Done
job-status-failed = Failed

flash-logged-out = You have logged out.
flash-logged-out-everywhere = All your sessions have been ended.
flash-password-set = Password saved. You can log in now.
flash-password-changed = Password changed. Your other sessions have been ended.
flash-profile-saved = Details saved.
flash-saved = Changes saved.
flash-token-revoked = Token revoked.
flash-user-invited = Invitation sent.
flash-job-retried = The job will be tried again shortly.

mail-greeting = Hello { $name },
mail-signature = Besaya District Office for Industrial Investment
mail-ignore = If you were not expecting this message, you can ignore it.
mail-invite-subject = Your invitation to Besaya, the Besaya industrial platform
mail-invite-text = { $inviter } has invited you to Besaya, the platform of the reindustrialisation plan of the Besaya district. To activate your account, choose a password:
mail-invite-action = Activate my account
mail-invite-expiry = The link expires in 7 days and works only once.
mail-reset-subject = Reset your Besaya password
mail-reset-text = We received a request to reset the password of your account. To choose a new one:
mail-reset-action = Choose a new password
mail-reset-expiry = The link expires in one hour and works only once.
