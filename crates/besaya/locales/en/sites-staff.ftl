# Sites: the office's pages (create and edit sites and estates, availability,
# photos and documents, sites to verify again).

flash-site-saved = Site saved.
flash-site-moved = Availability updated.
flash-site-file-added = File added.
flash-site-file-removed = File deleted.
flash-site-deleted = Site deleted, with its photos, documents and history.
flash-estate-saved = Industrial estate saved.
flash-estate-deleted = Industrial estate deleted.

site-staff-nav-label = Managing industrial land
site-staff-breadcrumb = Breadcrumb
site-staff-new-title = New site
site-staff-edit-title = Edit: { $name }
site-staff-manage-title = Manage: { $name }
site-staff-manage-link = Availability, photos and documents
site-staff-edit-link = Edit
site-staff-view-link = View the public page
site-staff-create = Create the site
site-staff-save = Save changes
site-staff-choose = Choose an option
site-staff-no-estate = Not in an estate
site-staff-actions = Actions
site-staff-draft = Draft
site-staff-draft-text = Not published: it is neither in the public catalogue nor in the open data.
site-staff-form-intro = Only the name, the type and the municipality are required. Leave what you do not know blank or as "Unknown": never enter 0 or "No" when you do not know.

site-staff-sec-identification = Identification
site-staff-sec-location = Location
site-staff-sec-land = Land and planning
site-staff-sec-availability = Availability and price
site-staff-sec-utilities = Utilities
site-staff-sec-distances = Distances
site-staff-sec-environment = Environment
site-staff-sec-contact = Ownership and contact
site-staff-sec-description = Description
site-staff-sec-office = For the office only

site-staff-hint-reference = The office's own reference, e.g. TV-P07. It must be unique.
site-staff-hint-published = Tick the box when the facts are ready for the public catalogue.
site-staff-hint-coordinates = Decimal degrees (WGS84), e.g. latitude 43.3489 and longitude -4.0478. Leave them blank if you give the outline: its centre is used.
site-staff-hint-estate-coordinates = Decimal degrees (WGS84), e.g. latitude 43.3489 and longitude -4.0478.
site-staff-hint-outline = A GeoJSON Polygon or MultiPolygon geometry, with points as [longitude, latitude]. You can copy it from the Cadastre's viewer or a GIS.
site-staff-hint-cadastral = One cadastral reference per line (20 characters), e.g. 9872023VH5797S0001WX.
site-staff-hint-uses = CNAE sections or divisions separated by commas, e.g. C, 24, 25.
site-staff-hint-planning = E.g. "Developed urban land, industrial use (2004 local plan)".
site-staff-hint-unknown = If you do not know whether a utility is there, leave "Unknown".
site-staff-hint-distances = Only if you know the distance by road: leave them blank to compute them from the coordinates.
site-staff-hint-description = What visitors to the catalogue will read.
site-staff-hint-internal = Seen by the office only: never in the catalogue or the open data.
site-staff-hint-verified = The last day someone checked these facts with the owner or the managing body.
site-staff-change-availability = Change the availability on the management page

site-staff-unit-m2 = m²
site-staff-unit-eur-m2 = €/m²
site-staff-unit-eur-m2-month = €/m² a month
site-staff-unit-kva = kVA
site-staff-unit-kv = kV
site-staff-unit-km = km
site-staff-unit-m3-day = m³/day

site-staff-conflict-title = Changes by someone else
site-staff-conflict-text = Someone else saved changes to this site while you were editing it. Your entries are still in the form; compare them with what is stored now and save again to keep yours.
site-staff-conflict-same = The form's facts are unchanged: what changed was the availability or the files. Save again to keep your entries.
site-staff-conflict-field = Field
site-staff-conflict-stored = Stored now
site-staff-conflict-yours = Yours
site-staff-conflict-manage = Someone else changed this site while you were looking at it. This is what is stored now: check it and try again.
site-staff-conflict-estate = Someone else saved changes to this estate while you were editing it. What is stored now is shown next to yours: check it and save again.
site-staff-conflict-estate-delete = Someone else changed this estate while you were looking at it. This is what is stored now: check it before deleting it.

site-staff-err-duplicate-reference = Another site already has this reference.
site-staff-err-duplicate-estate = Another estate already has this name.
site-staff-err-choose-move = Choose what the site moves to.
site-staff-err-move = A site cannot move from "{ $from }" to "{ $to }". From "{ $from }" it can only move to: { $allowed }.
site-staff-err-upload = The file sent could not be read. Please try again.
site-staff-err-no-file = Choose a file.
site-staff-err-kind = Choose whether it is a photo or a document.
site-staff-err-confirm = Tick the box to confirm you want to delete it.
site-staff-err-days = Enter a whole number of days, from 1 to { $max }.
site-staff-err-estate-has-sites = { $count ->
    [one] It cannot be deleted: the estate holds one site. Move it to another estate or delete it first.
   *[other] It cannot be deleted: the estate holds { $count } sites. Move them to another estate or delete them first.
}

site-staff-current = Now:
site-staff-no-moves = There is no possible change from this state.
site-staff-move-to = Moves to
site-staff-effective-on = Date of the change
site-staff-hint-available-from = When it becomes available again, or since when it is, if known.
site-staff-note = Note
site-staff-move-button = Record the change
site-staff-history = Availability history
site-staff-history-none = No changes recorded yet.
site-staff-change = Change
site-staff-recorded = Recorded

site-staff-photos = Photos
site-staff-photos-none = No photos yet.
site-staff-documents = Documents
site-staff-documents-none = No documents yet.
site-staff-title = Title
site-staff-size = Size
site-staff-delete-file = Delete
site-staff-upload-title = Add a photo or a document
site-staff-file-kind = Kind of file
site-staff-kind-photo = Photo
site-staff-kind-document = Document (PDF)
site-staff-hint-title = Leave it blank to use the file's name.
site-staff-file = File
site-staff-hint-file = Photos in JPEG, PNG or WebP (stored as JPEG, without the camera's location data); documents in PDF. { $max } MB at most.
site-staff-upload-button = Upload

site-staff-delete-title = Delete the site
site-staff-delete-warning = The site, its photos, its documents and its availability history will be deleted. This cannot be undone.
site-staff-delete-confirm = I understand that "{ $name }" will be deleted for good.
site-staff-delete-button = Delete the site

site-staff-stale-title = Data not verified
site-staff-stale-intro = Sites whose facts nobody has checked within the given number of days, or that have no verification date. Oldest first.
site-staff-stale-days = Not verified for more than (days)
site-staff-stale-show = Show
site-staff-stale-count = { $count ->
    [one] One site to verify out of { $total }.
   *[other] { $count } sites to verify out of { $total }.
}
site-staff-stale-none = Every site has been verified within that time.
site-staff-days-since = Days since

site-staff-estates-title = Industrial estates
site-staff-estates-none = No industrial estates yet.
site-staff-estate-new = New industrial estate
site-staff-estate-create = Create the estate
site-staff-estate-edit-title = Edit the estate: { $name }
site-staff-estate-sites = Sites
site-staff-estate-no-sites = This estate holds no sites.
site-staff-estate-delete-title = Delete the estate
site-staff-estate-delete-text = The estate holds no sites, so it can be deleted. This cannot be undone.
site-staff-estate-delete-button = Delete the estate
site-staff-f-website = Website
site-staff-hint-managing-body = E.g. SICAN or the town council.
site-staff-err-proposed = This site was proposed to { $count ->
        [one] one investor project
       *[other] { $count } investor projects
    }: it is part of their history and cannot be deleted. Unpublish it instead.
