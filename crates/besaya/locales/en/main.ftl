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
module-opendata-text = A JSON API documented with OpenAPI, and open data under CC BY 4.0: industrial sites as GeoJSON and CSV, CNAE classifications and the municipalities of Cantabria.

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

## Directory of organisations
nav-directory = Directory
dir-title = Directory of organisations
dir-new = New organisation
dir-edit = Edit organisation
dir-create = Register organisation
dir-import = Import a spreadsheet
dir-search = Search
dir-search-hint = Name, capabilities or activity: "welding", "foundry"…
dir-filter-cnae = Activity (CNAE)
dir-filter-cnae-hint = Section (C), division (24), group (24.5) or class (24.51)
dir-filter-certification = Valid certification
dir-filter-district = Besaya district only
dir-filter-invalid-kind = There is no such kind of organisation.
dir-filter-invalid-cnae = Type a section (one letter) or a CNAE code of 2 to 4 digits.
dir-filter-invalid-size_band = There is no such size.
dir-filter-invalid-q = A search has at most 200 characters.
dir-sort = Sort by
sort-relevance = Relevance
sort-name = Name
sort-employees = Headcount (largest first)
sort-updated = Latest changes
dir-count = { $count ->
    [one] 1 organisation
   *[other] { $count } organisations
}
dir-export-csv = Export to CSV
dir-export-xlsx = Export to Excel (XLSX)
dir-none = No organisation matches the search.
dir-activity = Main activity
dir-activities = Activities
dir-pact-tag = Pact
dir-primary = main
dir-in-district = Besaya district
dir-location = Location
dir-no-certifications = No certifications recorded.
dir-updated = Last updated: { $date }
dir-back = Back to the directory
dir-back-record = Back to the record
dir-delete = Delete organisation
dir-conflict-text = Someone else saved changes to this organisation while you were editing it. Your values are still in the form; compare them with what is stored now and save again to keep yours.
dir-existing = An organisation with this tax id already exists:
dir-section-identity = Identification
dir-section-place = Location
dir-section-size = Size
dir-section-profile = Profile
dir-section-contact = Contact
pager-label = Pages
prev-page = Previous page
page-of = Page { $page }
edit = Edit
yes = Yes
no = No
unknown = Unknown
conflict-title = Someone else's changes
conflict-field = Field
conflict-stored = Stored now
conflict-yours = Yours
delete-err-users = { $count ->
    [one] Cannot delete: 1 user belongs to this organisation. Merge it into another or move the user first.
   *[other] Cannot delete: { $count } users belong to this organisation. Merge it into another or move them first.
}
field-org-name = Legal name
field-trade-name = Trade name
field-kind = Kind
field-tax-id = Tax id
field-tax-id-hint = Spanish NIF/CIF/NIE, or a foreign VAT number with its country prefix (DE123456789).
field-dir3 = DIR3 code (administrations)
field-cnae-version = Classification
field-cnae-hint = Type the code or part of the activity's name and choose from the list. The first one is the main activity.
field-cnae-primary = Main activity (CNAE)
field-cnae-n = Activity { $n } (CNAE)
field-cnae-other = Second activity
field-municipality = Municipality
field-address = Address
field-lat = Latitude
field-lon = Longitude
field-employees = Headcount (people)
field-size-band = Company size
field-size-band-hint = By the EU definition; left on automatic, it follows the headcount.
size-auto = Automatic (by headcount)
size-micro = Micro
size-small = Small
size-medium = Medium
size-large = Large
field-description = Description
field-capabilities = Capabilities (what they make and can do)
field-certifications = Certifications
field-certifications-hint = One per line: standard | number | issuer | expiry (YYYY-MM-DD). For example: ISO 9001:2015 | ES-0123/2019 | AENOR | 2027-05-31
field-website = Website
field-phone = Phone
field-pact-member = Member of the Industrial Pact
cert-name = Standard
cert-number = Number
cert-issuer = Issuer
cert-expires = Expiry
cert-expired = expired
kind-company = Company
kind-administration = Public administration
kind-business_association = Employer body
kind-union = Trade union
kind-training_centre = Training centre
kind-research_centre = Research centre
kind-investor = Investor
kind-other = Other
merge-title = Merge a duplicate
merge-candidates = Possible duplicates with the same name:
merge-from = Tax id of the duplicate record
merge-hint = Its users and references move to this record, the data missing here is completed, and the duplicate is deleted. The merge is audited.
merge-button = Merge into this record
merge-err-same = An organisation cannot be merged into itself.
merge-err-unknown = No organisation has that tax id.
flash-org-created = Organisation registered.
flash-org-merged = Duplicate merged into this record.
flash-org-deleted = Organisation deleted.
org-err-required = This is required.
org-err-too_long = Too long: at most { $value } characters.
org-err-control_chars = Contains control characters that are not allowed.
org-err-invalid_kind = "{ $value }" is not a kind of organisation.
org-err-invalid_tax_id = "{ $value }" is neither a valid NIF/CIF/NIE nor a foreign VAT number with a country prefix.
org-err-tax_id_control = The control character of "{ $value }" is wrong: check the tax id.
org-err-duplicate_tax_id = An organisation with this tax id is already registered.
org-err-invalid_cnae_version = "{ $value }" is not a classification: use 2025 or 2009.
org-err-invalid_cnae = "{ $value }" is not shaped like a CNAE code (for example 24.51).
org-err-unknown_cnae = The code { $value } does not exist in the classification.
org-err-duplicate_cnae = The activity { $value } is repeated.
org-err-too_many = Too many items: at most { $value }.
org-err-unknown_municipality = "{ $value }" is not a municipality of Cantabria (5-digit INE code).
org-err-lat_lon_pair = Give latitude and longitude together, or neither.
org-err-lat_range = Latitude goes from -90 to 90.
org-err-lon_range = Longitude goes from -180 to 180.
org-err-employees_range = Headcount is a whole number from 0 up.
org-err-invalid_size_band = "{ $value }" is not a size: micro, small, medium or large.
org-err-size_band_too_small = With { $value } people the company cannot be that size (the EU sets the ceiling by headcount).
org-err-invalid_date = "{ $value }" is not a YYYY-MM-DD date.
org-err-invalid_website = "{ $value }" is not a web address (https://…).
org-err-invalid_email = "{ $value }" is not a valid e-mail address.
org-err-invalid_phone = "{ $value }" is not a phone number (6 to 15 digits).
org-err-invalid_dir3 = "{ $value }" is not a DIR3 code (9 characters, like L01390875).
org-err-number = Type a number (decimal comma or point).
org-err-integer = Type a whole number.
cert-err-no-name = Certification { $n } has no standard name.
cert-err-too-many-parts = Certification { $n } has more than four parts: standard | number | issuer | expiry.
cert-err-bad-date = The expiry of certification { $n } is not a YYYY-MM-DD date.
import-title = Import organisations
import-intro = Upload a CSV (UTF-8 or Windows-1252, comma or semicolon separated) or an XLSX file with the template's columns. Every row is checked first; nothing is imported until the file is clean, and then all of it is, at once. Rows with a tax id already registered update that organisation.
import-template = Download the template (CSV)
import-file = File
import-file-hint = CSV or XLSX, up to { $max } MB.
import-check = Check the file
import-checking = Checking the file…
import-committing = Importing…
import-progress = Progress
import-clean = { $rows ->
    [one] The file is clean: 1 valid row.
   *[other] The file is clean: { $rows } valid rows.
}
import-new = { $count ->
    [one] 1 new.
   *[other] { $count } new.
}
import-updates = { $count ->
    [one] 1 update.
   *[other] { $count } updates.
}
import-commit = { $rows ->
    [one] Import the row
   *[other] Import the { $rows } rows
}
import-errors = { $count ->
    [one] 1 error in the file
   *[other] { $count } errors in the file
}
import-nothing = Nothing was imported. Fix the rows listed and upload the file again.
import-report = Error report
import-download-report = Download the report (CSV)
import-more-in-report = The first 500 are shown; the downloadable report has them all.
import-again = Upload another file
import-ignored = Columns not used:
import-done-new = { $count ->
    [one] 1 new organisation.
   *[other] { $count } new organisations.
}
import-done-updated = { $count ->
    [one] 1 updated.
   *[other] { $count } updated.
}
import-see = See the organisations
import-failed = The import failed and nothing was saved. The error has been logged.
import-col-row = Row
import-col-column = Column
import-col-value = Value
import-col-reason = Reason
import-err-missing-column = The required column "{ $column }" is missing.
import-err-number = Not a number.
import-err-integer = Not a whole number.
import-err-flag = Type yes or no.

import-err-repeated = Repeated tax id: it is already in row { $row }.
import-err-upload = The file could not be received. Please try again.
import-err-too-large = The file is over the { $max } MB limit. Split it or remove unused columns.
import-err-no-file = Choose a CSV or XLSX file.
import-example-name = Talleres Ejemplo del Besaya, S.L.
import-example-address = Polígono Industrial de Tanos, parcela 12
import-example-description = Machining and boilermaking workshop.
import-example-capabilities = Precision CNC machining; TIG and MIG welding of stainless steel
import-err-extra-cells = The row has { $count } value(s) in columns without a header: give them a header or delete them.
import-read-empty_file = The file is empty.
import-read-no_header = The file has no header row naming the columns.
import-read-duplicate_headers = Some columns are repeated in the header: { $detail }.
import-read-unsupported_format = That format cannot be read. Save it as XLSX or CSV (UTF-8) and upload it again.
import-read-malformed_csv = The CSV is malformed from row { $detail } on (an unclosed quote?).
import-read-xlsx_unreadable = The XLSX is damaged or cannot be read. Open it and save it again, or export it as CSV.
import-read-too_large = The file has too many cells or too much text to import at once. Split it into several.
field-municipality-hint = Type the name and choose from the list (or the 5-digit INE code).
delete-err-projects = This organisation is the investor of { $count ->
        [one] one project of the Office
       *[other] { $count } projects of the Office
    }: it is part of their history and cannot be deleted. Merge it into another if it is a duplicate.
delete-err-procedures = This organisation is responsible for { $count ->
        [one] one procedure of the Office
       *[other] { $count } procedures of the Office
    }: their clocks and history need it, so it cannot be deleted. Merge it into another if it is a duplicate.
