# Sites: estates, sites, the public catalogue, matching and open data.

nav-sites = Suelo industrial

# Field labels, shared by the catalogue, the profile sheet and the staff forms.
site-f-reference = Referencia
site-f-name = Nombre
site-f-kind = Tipo
site-f-estate = Polígono
site-f-published = Publicado en el catálogo
site-f-municipality = Municipio
site-f-address = Dirección
site-f-lat = Latitud
site-f-lon = Longitud
site-f-outline = Contorno (GeoJSON)
site-f-cadastral_refs = Referencias catastrales
site-f-area_m2 = Superficie bruta
site-f-net_area_m2 = Superficie neta
site-f-buildable_m2 = Edificabilidad
site-f-permitted_uses = Usos permitidos (CNAE)
site-f-uses_text = Usos permitidos según el planeamiento
site-f-planning_status = Situación urbanística
site-f-availability = Disponibilidad
site-f-available_from = Disponible desde
site-f-sale_price_m2 = Precio de venta
site-f-rent_m2_month = Alquiler
site-f-rent_to_buy = Alquiler con opción de compra
site-f-power_kva = Potencia eléctrica disponible
site-f-voltage_kv = Tensión
site-f-substation_km = Distancia a la subestación
site-f-gas = Gas natural
site-f-water_m3_day = Agua
site-f-sewerage = Saneamiento
site-f-fibre = Fibra óptica
site-f-rail_siding = Apartadero ferroviario
site-f-motorway_km = Distancia a la autovía (A-67/A-8)
site-f-port_km = Distancia al puerto de Santander
site-f-airport_km = Distancia al aeropuerto
site-f-flood_risk = Riesgo de inundación
site-f-environmental_status = Situación ambiental
site-f-environmental_notes = Notas ambientales
site-f-owner = Propiedad
site-f-managing_body = Entidad gestora
site-f-contact_name = Contacto
site-f-contact_email = Correo de contacto
site-f-contact_phone = Teléfono de contacto
site-f-description = Descripción
site-f-internal_notes = Notas internas (solo la oficina)
site-f-last_verified_on = Datos verificados el
site-f-status = Estado

site-kind-plot = Parcela
site-kind-building = Edificio
site-kind-warehouse = Nave
site-kind-office = Oficina
site-avail-available = Disponible
site-avail-reserved = Reservado
site-avail-sold = Vendido
site-avail-let = Alquilado
site-avail-in_tender = En licitación
site-avail-unknown = Sin dato
site-flood-none = Sin riesgo
site-flood-low = Bajo
site-flood-medium = Medio
site-flood-high = Alto
site-env-clean = Sin contaminación conocida
site-env-brownfield = Suelo contaminado o degradado (brownfield)
site-env-remediated = Recuperado
site-env-under_assessment = En evaluación
site-estate-existing = En servicio
site-estate-planned = En proyecto

site-unknown = Sin dato
site-yes = Sí
site-no = No

# Validation messages.
site-err-required = Este dato es obligatorio.
site-err-too_long = Demasiado largo: como mucho { $value } caracteres.
site-err-control_chars = Contiene caracteres de control no permitidos.
site-err-too_many = Demasiados elementos: como mucho { $value }.
site-err-figure_range = Escriba una cifra de 0 en adelante.
site-err-number = «{ $value }» no es un número.
site-err-invalid_date = «{ $value }» no es una fecha AAAA-MM-DD.
site-err-invalid_choice = «{ $value }» no es una de las opciones.
site-err-unknown_estate = El polígono «{ $value }» no existe.
site-err-unknown_municipality = «{ $value }» no es un municipio de Cantabria.
site-err-lat_lon_pair = Indique latitud y longitud a la vez, o ninguna.
site-err-point_range = La latitud va de -90 a 90 y la longitud de -180 a 180.
site-err-point_outside = Las coordenadas quedan fuera de Cantabria: revíselas.
site-err-point_swapped = Parece que latitud y longitud están intercambiadas: ¿quería decir { $value }?
site-err-outline_json = El contorno no es un GeoJSON válido.
site-err-outline_type = El contorno debe ser un polígono (Polygon o MultiPolygon).
site-err-outline_ring = Cada anillo del contorno necesita al menos 4 puntos y cerrarse en el primero.
site-err-outline_position = Cada punto del contorno es [longitud, latitud].
site-err-outline_swapped = El contorno tiene latitud y longitud intercambiadas: GeoJSON usa [longitud, latitud].
site-err-outline_too_large = El contorno es demasiado grande (como mucho 10.000 puntos).
site-err-cadastre_length = «{ $value }» no tiene los 20 caracteres de una referencia catastral.
site-err-cadastre_chars = «{ $value }» solo puede llevar letras y cifras.
site-err-cadastre_control = Las letras de control de «{ $ref }» no son correctas: deberían ser { $expected }.
site-err-net_above_gross = La superficie neta no puede superar la bruta.
site-err-invalid_use = «{ $value }» no es una sección (C) o división (24) de la CNAE.
site-err-invalid_email = «{ $value }» no es un correo electrónico válido.
site-err-invalid_phone = «{ $value }» no es un teléfono (de 6 a 15 cifras).
site-err-invalid_website = «{ $value }» no es una dirección web (https://…).
site-err-range_inverted = El mínimo es mayor que el máximo.
site-err-use_transitions = La disponibilidad se cambia con su propio formulario.
site-err-transition_not_allowed = Ese cambio de disponibilidad no está permitido.
site-err-duplicate = Ya existe otro registro con este valor.
site-err-too_large = El archivo supera el límite de { $value } MB.

site-upload-not-image = El archivo no es una imagen: suba una foto JPEG, PNG o WebP.
site-upload-broken-image = No se ha podido leer la imagen: puede estar dañada.
site-upload-too-many-pixels = La imagen es demasiado grande en píxeles (como mucho 12.000 por lado).
site-upload-not-pdf = El documento debe ser un PDF.

breadcrumbs = Ruta de navegación

# The public catalogue.
sites-title = Suelo y naves industriales
sites-lead = Parcelas, naves, edificios y oficinas de la comarca del Besaya, con los datos que hacen falta para decidir. Lo que no sabemos aparece como «sin dato».
sites-filters = Filtros del catálogo
sites-search = Buscar
sites-area-min = Superficie mínima (m²)
sites-area-max = Superficie máxima (m²)
sites-use = Uso (CNAE)
sites-use-hint = Sección o división: C (industria), 24 (metalurgia), 52 (almacenamiento)…
sites-min-power = Potencia mínima (kVA)
sites-max-price = Precio máximo de venta (€/m²)
sites-max-rent = Alquiler máximo (€/m²/mes)
sites-rail-only = Solo con apartadero ferroviario
sites-unknown-filter-note = Un emplazamiento sin el dato por el que filtra no aparece: pregunte a la oficina si le interesa.
sites-count = { $count ->
    [one] 1 emplazamiento
   *[other] { $count } emplazamientos
}
sites-download-csv = Descargar CSV
sites-download-geojson = Descargar GeoJSON
sites-map-label = Mapa de los emplazamientos
sites-map-error = No se ha podido cargar el mapa. La lista de abajo tiene los mismos emplazamientos.
sites-results = Emplazamientos
sites-none = Ningún emplazamiento cumple estos filtros.
sites-compare-hint = Marque hasta { $max } emplazamientos para compararlos.
sites-compare-this = Comparar «{ $name }»
sites-compare = Comparar los marcados
sites-match-link = Buscar según mis requisitos
sites-new = Nuevo emplazamiento
sites-stale-link = Datos sin verificar
sites-estates-link = Polígonos
site-unpublished = Sin publicar
site-open = Ver ficha
site-map-close = Cerrar
site-map-zoom-in = Acercar
site-map-zoom-out = Alejar
site-map-label = Situación del emplazamiento
site-no-location = Todavía no tenemos la situación exacta de este emplazamiento.

# The site page and the profile sheet.
site-sheet = Ficha para imprimir
site-compare-from = Comparar
site-edit = Editar
site-manage = Disponibilidad, fotos y documentos
site-verified-on = Datos verificados el { $date }
site-never-verified = Datos sin verificar
site-group-land = Terreno y planeamiento
site-group-availability = Disponibilidad y precio
site-group-utilities = Suministros y accesos
site-group-distances = Distancias
site-group-environment = Medio ambiente
site-group-identity = Identificación y propiedad
site-group-contact = Contacto
site-available-from-note = desde el { $date }
site-distance-computed = en línea recta hasta { $to }, calculada
site-distance-given = dato aportado
site-unit-rent = €/m² al mes
site-unit-water = m³/día
site-documents = Documentos
site-back = Volver a la ficha
site-print = Imprimir
site-sheet-printed = Ficha generada el { $date }
site-sheet-unknown-note = «Sin dato» significa que la oficina aún no lo ha verificado.

# Comparison.
compare-title = Comparar emplazamientos
compare-fact = Dato
compare-too-many = Se comparan como mucho { $max } emplazamientos: se muestran los { $max } primeros.
compare-none = Elija entre 1 y { $max } emplazamientos en el catálogo para compararlos.
compare-pick = Ir al catálogo

# Requirement matching.
match-title = Buscar emplazamiento según requisitos
match-lead = Indique lo que necesita su proyecto. Cada requisito es obligatorio (descarta los emplazamientos que no lo cumplen) o preferible (ordena). Un dato que no conocemos nunca cuenta como cumplido.
match-land = Terreno y uso
match-utilities = Suministros
match-location = Situación
match-price-time = Precio y plazo
match-area-min = Superficie mínima (m²)
match-area-max = Superficie máxima (m²)
match-use = Actividad (CNAE)
match-power = Potencia mínima (kVA)
match-water = Agua mínima (m³/día)
match-port = Distancia máxima al puerto (km)
match-motorway = Distancia máxima a la autovía (km)
match-municipalities = Municipios
match-municipalities-hint = Puede elegir varios (Ctrl o Cmd + clic). Sin elegir, todos.
match-sale = Precio máximo de venta (€/m²)
match-rent = Alquiler máximo (€/m²/mes)
match-available-by = Disponible antes del
match-importance = Importancia
match-required = Obligatorio
match-preferred = Preferible
match-preferred-short = preferible
match-any = No importa
match-hide-incomplete = Ocultar los emplazamientos con algún dato obligatorio desconocido
match-submit = Buscar
match-results = Resultados
match-summary = De { $considered } emplazamientos: { $matches } cumplen todo lo obligatorio, { $incomplete } podrían cumplirlo pero les falta algún dato y { $eliminated } quedan descartados.
match-none = Ningún emplazamiento cumple lo obligatorio. Pruebe a marcar algún requisito como preferible.
match-status-match = Cumple lo obligatorio
match-status-incomplete = Falta algún dato obligatorio: consulte a la oficina
match-preferences = Preferencias: { $met } de { $of }
match-checks-of = Requisitos de { $name }
match-criterion = Requisito
match-outcome = Resultado
match-why = Detalle
match-compare = Comparar los marcados (hasta { $max })
site-outcome-pass = Cumple
site-outcome-fail = No cumple
site-outcome-unknown = Sin dato
site-crit-area = Superficie
site-crit-use = Uso
site-crit-power = Potencia
site-crit-rail = Apartadero ferroviario
site-crit-gas = Gas natural
site-crit-water = Agua
site-crit-port_distance = Distancia al puerto
site-crit-motorway_distance = Distancia a la autovía
site-crit-sale_price = Precio de venta
site-crit-rent_price = Alquiler
site-crit-available_by = Disponibilidad
site-crit-municipality = Municipio
site-want-between = entre { $min } y { $max }
site-want-at-least = al menos { $value }
site-want-at-most = como mucho { $value }
site-want-use = uso CNAE { $value }
site-want-by = disponible el { $value }
site-offer-uses-text = solo descritos en texto («{ $value }»)
site-offer-availability-from = { $state } desde el { $date }
site-why = Se pide { $wanted }; el emplazamiento: { $offered }.

# Open data.
opendata-title = Datos abiertos
opendata-lead = Los datos públicos del catálogo de suelo industrial, para reutilizarlos libremente.
opendata-license = Licencia:
opendata-attribution = Cite «Besaya — Oficina de Atracción de Inversiones de la comarca del Besaya».
opendata-sites = Suelo y naves industriales
opendata-sites-count = { $count ->
    [one] 1 emplazamiento publicado.
   *[other] { $count } emplazamientos publicados.
}
opendata-geojson = GeoJSON (RFC 7946, WGS84), un punto por emplazamiento con sus datos públicos.
opendata-csv = CSV (UTF-8, separado por comas), una fila por emplazamiento; una celda vacía es un dato desconocido.
opendata-outlines = GeoJSON con los contornos de polígonos y parcelas.
opendata-filters = Admiten los mismos filtros que el catálogo, por ejemplo ?area_min=5000&min_power_kva=1000&rail=yes.
opendata-api = API
opendata-api-text = La misma información, y la búsqueda por requisitos (POST /api/v1/sites/match), en la API JSON documentada en
