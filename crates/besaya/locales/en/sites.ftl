# Sites: estates, sites, the public catalogue, matching and open data.

nav-sites = Industrial land

# Field labels, shared by the catalogue, the profile sheet and the staff forms.
site-f-reference = Reference
site-f-name = Name
site-f-kind = Type
site-f-estate = Industrial estate
site-f-published = Published in the catalogue
site-f-municipality = Municipality
site-f-address = Address
site-f-lat = Latitude
site-f-lon = Longitude
site-f-outline = Outline (GeoJSON)
site-f-cadastral_refs = Cadastral references
site-f-area_m2 = Gross area
site-f-net_area_m2 = Net area
site-f-buildable_m2 = Buildable floor area
site-f-permitted_uses = Permitted uses (CNAE)
site-f-uses_text = Permitted uses as the plan words them
site-f-planning_status = Planning status
site-f-availability = Availability
site-f-available_from = Available from
site-f-sale_price_m2 = Sale price
site-f-rent_m2_month = Rent
site-f-rent_to_buy = Rent with option to buy
site-f-power_kva = Electrical capacity available
site-f-voltage_kv = Voltage
site-f-substation_km = Distance to the substation
site-f-gas = Natural gas
site-f-water_m3_day = Water
site-f-sewerage = Sewerage
site-f-fibre = Fibre
site-f-rail_siding = Rail siding
site-f-motorway_km = Distance to the motorway (A-67/A-8)
site-f-port_km = Distance to the port of Santander
site-f-airport_km = Distance to the airport
site-f-flood_risk = Flood risk
site-f-environmental_status = Environmental status
site-f-environmental_notes = Environmental notes
site-f-owner = Owner
site-f-managing_body = Managing body
site-f-contact_name = Contact
site-f-contact_email = Contact e-mail
site-f-contact_phone = Contact phone
site-f-description = Description
site-f-internal_notes = Internal notes (office only)
site-f-last_verified_on = Data verified on
site-f-status = Status

site-kind-plot = Plot
site-kind-building = Building
site-kind-warehouse = Warehouse
site-kind-office = Office
site-avail-available = Available
site-avail-reserved = Reserved
site-avail-sold = Sold
site-avail-let = Let
site-avail-in_tender = In tender
site-avail-unknown = Unknown
site-flood-none = No risk
site-flood-low = Low
site-flood-medium = Medium
site-flood-high = High
site-env-clean = No known contamination
site-env-brownfield = Brownfield (contaminated or degraded land)
site-env-remediated = Remediated
site-env-under_assessment = Under assessment
site-estate-existing = In service
site-estate-planned = Planned

site-unknown = Unknown
site-yes = Yes
site-no = No

# Validation messages.
site-err-required = This is required.
site-err-too_long = Too long: { $value } characters at most.
site-err-control_chars = Contains control characters that are not allowed.
site-err-too_many = Too many items: { $value } at most.
site-err-figure_range = Enter a figure of 0 or more.
site-err-number = “{ $value }” is not a number.
site-err-invalid_date = “{ $value }” is not a YYYY-MM-DD date.
site-err-invalid_choice = “{ $value }” is not one of the options.
site-err-unknown_estate = The estate “{ $value }” does not exist.
site-err-unknown_municipality = “{ $value }” is not a municipality of Cantabria.
site-err-lat_lon_pair = Give latitude and longitude together, or neither.
site-err-point_range = Latitude runs from -90 to 90 and longitude from -180 to 180.
site-err-point_outside = The coordinates fall outside Cantabria: check them.
site-err-point_swapped = Latitude and longitude look swapped: did you mean { $value }?
site-err-outline_json = The outline is not valid GeoJSON.
site-err-outline_type = The outline must be a polygon (Polygon or MultiPolygon).
site-err-outline_ring = Each ring of the outline needs at least 4 points and must close on the first.
site-err-outline_position = Each point of the outline is [longitude, latitude].
site-err-outline_swapped = The outline has latitude and longitude swapped: GeoJSON uses [longitude, latitude].
site-err-outline_too_large = The outline is too large (10,000 points at most).
site-err-cadastre_length = “{ $value }” does not have the 20 characters of a cadastral reference.
site-err-cadastre_chars = “{ $value }” may only contain letters and digits.
site-err-cadastre_control = The control letters of “{ $ref }” are wrong: they should be { $expected }.
site-err-net_above_gross = The net area cannot exceed the gross area.
site-err-invalid_use = “{ $value }” is not a CNAE section (C) or division (24).
site-err-invalid_email = “{ $value }” is not a valid e-mail address.
site-err-invalid_phone = “{ $value }” is not a phone number (6 to 15 digits).
site-err-invalid_website = “{ $value }” is not a web address (https://…).
site-err-range_inverted = The minimum is larger than the maximum.
site-err-use_transitions = The availability changes through its own form.
site-err-transition_not_allowed = That change of availability is not allowed.
site-err-duplicate = Another record already has this value.
site-err-too_large = The file is larger than the { $value } MB limit.

site-upload-not-image = The file is not an image: upload a JPEG, PNG or WebP photo.
site-upload-broken-image = The image could not be read: it may be damaged.
site-upload-too-many-pixels = The image is too large in pixels (12,000 per side at most).
site-upload-not-pdf = The document must be a PDF.

breadcrumbs = Breadcrumbs

# The public catalogue.
sites-title = Industrial land and buildings
sites-lead = Plots, warehouses, buildings and offices in the Besaya district, with the facts you need to decide. What we do not know is shown as “unknown”.
sites-filters = Catalogue filters
sites-search = Search
sites-area-min = Minimum area (m²)
sites-area-max = Maximum area (m²)
sites-use = Use (CNAE)
sites-use-hint = Section or division: C (manufacturing), 24 (basic metals), 52 (warehousing)…
sites-min-power = Minimum power (kVA)
sites-max-price = Maximum sale price (€/m²)
sites-max-rent = Maximum rent (€/m²/month)
sites-rail-only = Only with a rail siding
sites-unknown-filter-note = A site without the fact you filter on is left out: ask the office if it interests you.
sites-count = { $count ->
    [one] 1 site
   *[other] { $count } sites
}
sites-download-csv = Download CSV
sites-download-geojson = Download GeoJSON
sites-map-label = Map of the sites
sites-map-error = The map could not be loaded. The list below has the same sites.
sites-results = Sites
sites-none = No site meets these filters.
sites-compare-hint = Tick up to { $max } sites to compare them.
sites-compare-this = Compare “{ $name }”
sites-compare = Compare the ticked sites
sites-match-link = Search by my requirements
sites-new = New site
sites-stale-link = Data not verified
sites-estates-link = Estates
site-unpublished = Unpublished
site-open = Open the site
site-map-close = Close
site-map-zoom-in = Zoom in
site-map-zoom-out = Zoom out
site-map-label = Location of the site
site-no-location = We do not have the exact location of this site yet.

# The site page and the profile sheet.
site-sheet = Printable profile
site-compare-from = Compare
site-edit = Edit
site-manage = Availability, photos and documents
site-verified-on = Data verified on { $date }
site-never-verified = Data not verified
site-group-land = Land and planning
site-group-availability = Availability and price
site-group-utilities = Utilities and access
site-group-distances = Distances
site-group-environment = Environment
site-group-identity = Identification and ownership
site-group-contact = Contact
site-available-from-note = from { $date }
site-distance-computed = straight line to { $to }, computed
site-distance-given = given
site-unit-rent = €/m² a month
site-unit-water = m³/day
site-documents = Documents
site-back = Back to the site
site-print = Print
site-sheet-printed = Profile produced on { $date }
site-sheet-unknown-note = “Unknown” means the office has not verified it yet.

# Comparison.
compare-title = Compare sites
compare-fact = Fact
compare-too-many = At most { $max } sites are compared: the first { $max } are shown.
compare-none = Choose between 1 and { $max } sites in the catalogue to compare them.
compare-pick = Go to the catalogue

# Requirement matching.
match-title = Find a site by requirements
match-lead = State what your project needs. Each requirement is required (sites that fail it are ruled out) or preferred (it ranks them). A fact we do not know never counts as met.
match-land = Land and use
match-utilities = Utilities
match-location = Location
match-price-time = Price and timing
match-area-min = Minimum area (m²)
match-area-max = Maximum area (m²)
match-use = Activity (CNAE)
match-power = Minimum power (kVA)
match-water = Minimum water (m³/day)
match-port = Maximum distance to the port (km)
match-motorway = Maximum distance to the motorway (km)
match-municipalities = Municipalities
match-municipalities-hint = You may choose several (Ctrl or Cmd + click). None chosen means all.
match-sale = Maximum sale price (€/m²)
match-rent = Maximum rent (€/m²/month)
match-available-by = Available by
match-importance = Importance
match-required = Required
match-preferred = Preferred
match-preferred-short = preferred
match-any = Does not matter
match-hide-incomplete = Hide sites where a required fact is unknown
match-submit = Search
match-results = Results
match-summary = Of { $considered } sites: { $matches } meet every requirement, { $incomplete } might but lack a fact, and { $eliminated } are ruled out.
match-none = No site meets the required criteria. Try marking a requirement as preferred.
match-status-match = Meets every requirement
match-status-incomplete = A required fact is unknown: ask the office
match-preferences = Preferences met: { $met } of { $of }
match-checks-of = Requirements for { $name }
match-criterion = Requirement
match-outcome = Result
match-why = Detail
match-compare = Compare the ticked sites (up to { $max })
site-outcome-pass = Meets
site-outcome-fail = Fails
site-outcome-unknown = Unknown
site-crit-area = Area
site-crit-use = Use
site-crit-power = Power
site-crit-rail = Rail siding
site-crit-gas = Natural gas
site-crit-water = Water
site-crit-port_distance = Distance to the port
site-crit-motorway_distance = Distance to the motorway
site-crit-sale_price = Sale price
site-crit-rent_price = Rent
site-crit-available_by = Availability
site-crit-municipality = Municipality
site-want-between = between { $min } and { $max }
site-want-at-least = at least { $value }
site-want-at-most = at most { $value }
site-want-use = CNAE use { $value }
site-want-by = available by { $value }
site-offer-uses-text = only described in words (“{ $value }”)
site-offer-availability-from = { $state } from { $date }
site-why = Needs { $wanted }; the site: { $offered }.

# Open data.
opendata-title = Open data
opendata-lead = The public data of the industrial land catalogue, free to reuse.
opendata-license = Licence:
opendata-attribution = Credit “Besaya — Investment Attraction Office of the Besaya district”.
opendata-sites = Industrial land and buildings
opendata-sites-count = { $count ->
    [one] 1 published site.
   *[other] { $count } published sites.
}
opendata-geojson = GeoJSON (RFC 7946, WGS84), one point per site with its public facts.
opendata-csv = CSV (UTF-8, comma-separated), one row per site; an empty cell is an unknown fact.
opendata-outlines = GeoJSON with the outlines of estates and plots.
opendata-filters = They take the catalogue's filters, e.g. ?area_min=5000&min_power_kva=1000&rail=yes.
opendata-api = API
opendata-api-text = The same information, and the search by requirements (POST /api/v1/sites/match), in the JSON API documented at
