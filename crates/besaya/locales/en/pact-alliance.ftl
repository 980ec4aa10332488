# The Pact as an alliance: the navigation shared by its pages.
pact-al-nav = Sections of the Pact
pact-al-nav-needs = Needs
pact-al-nav-members = Members
pact-al-nav-groups = Working groups
pact-al-nav-meetings = Meetings
pact-al-nav-commitments = Commitments
pact-al-nav-indicators = Indicators
pact-al-nav-report = Semester report
pact-al-nav-progress = Public progress
pact-al-see-also = The Pact in the open:
pact-al-public-members = its members by college
pact-al-public-progress = the progress of its commitments
