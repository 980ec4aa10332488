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
