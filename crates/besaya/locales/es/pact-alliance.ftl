# The Pact as an alliance: the navigation shared by its pages.
pact-al-nav = Secciones del Pacto
pact-al-nav-needs = Necesidades
pact-al-nav-members = Miembros
pact-al-nav-groups = Mesas de trabajo
pact-al-nav-meetings = Reuniones
pact-al-nav-commitments = Compromisos
pact-al-nav-indicators = Indicadores
pact-al-nav-report = Informe semestral
pact-al-nav-progress = Avance público
pact-al-see-also = El Pacto en abierto:
pact-al-public-members = sus miembros por colegio
pact-al-public-progress = el avance de sus compromisos
