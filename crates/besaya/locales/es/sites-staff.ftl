# Sites: the office's pages (create and edit sites and estates, availability,
# photos and documents, sites to verify again).

flash-site-saved = Emplazamiento guardado.
flash-site-moved = Disponibilidad actualizada.
flash-site-file-added = Archivo añadido.
flash-site-file-removed = Archivo eliminado.
flash-site-deleted = Emplazamiento eliminado, con sus fotos, documentos e historial.
flash-estate-saved = Polígono guardado.
flash-estate-deleted = Polígono eliminado.

site-staff-nav-label = Gestión del suelo industrial
site-staff-breadcrumb = Ruta de navegación
site-staff-new-title = Nuevo emplazamiento
site-staff-edit-title = Editar: { $name }
site-staff-manage-title = Gestionar: { $name }
site-staff-manage-link = Disponibilidad, fotos y documentos
site-staff-edit-link = Editar
site-staff-view-link = Ver la ficha pública
site-staff-create = Crear el emplazamiento
site-staff-save = Guardar los cambios
site-staff-choose = Elija una opción
site-staff-no-estate = Fuera de polígono
site-staff-actions = Acciones
site-staff-draft = Borrador
site-staff-draft-text = No está publicado: no aparece en el catálogo público ni en los datos abiertos.
site-staff-form-intro = Solo son obligatorios el nombre, el tipo y el municipio. Lo que no se sepa, déjelo en blanco o como «Sin dato»: nunca ponga 0 ni «No» si no lo sabe.

site-staff-sec-identification = Identificación
site-staff-sec-location = Ubicación
site-staff-sec-land = Suelo y planeamiento
site-staff-sec-availability = Disponibilidad y precio
site-staff-sec-utilities = Suministros
site-staff-sec-distances = Distancias
site-staff-sec-environment = Medio ambiente
site-staff-sec-contact = Propiedad y contacto
site-staff-sec-description = Descripción
site-staff-sec-office = Uso interno de la oficina

site-staff-hint-reference = La referencia interna de la oficina, p. ej. TV-P07. No puede repetirse.
site-staff-hint-published = Marque la casilla cuando los datos estén listos para el catálogo público.
site-staff-hint-coordinates = Grados decimales (WGS84), p. ej. latitud 43,3489 y longitud -4,0478. Déjelas en blanco si indica el contorno: se toma su centro.
site-staff-hint-estate-coordinates = Grados decimales (WGS84), p. ej. latitud 43,3489 y longitud -4,0478.
site-staff-hint-outline = Una geometría GeoJSON Polygon o MultiPolygon, con los puntos como [longitud, latitud]. Puede copiarla del visor del Catastro o de un SIG.
site-staff-hint-cadastral = Una referencia catastral por línea (20 caracteres), p. ej. 9872023VH5797S0001WX.
site-staff-hint-uses = Secciones o divisiones de la CNAE separadas por comas, p. ej. C, 24, 25.
site-staff-hint-planning = P. ej. «Suelo urbano consolidado, uso industrial (PGOU 2004)».
site-staff-hint-unknown = Si no sabe si hay un suministro, deje «Sin dato».
site-staff-hint-distances = Solo si conoce la distancia por carretera: déjelas en blanco para calcularlas desde las coordenadas.
site-staff-hint-description = Lo que verá quien consulte el catálogo.
site-staff-hint-internal = Solo las ve la oficina: nunca salen en el catálogo ni en los datos abiertos.
site-staff-hint-verified = El último día en que alguien comprobó estos datos con la propiedad o la entidad gestora.
site-staff-change-availability = Cambiar la disponibilidad en la página de gestión

site-staff-unit-m2 = m²
site-staff-unit-eur-m2 = €/m²
site-staff-unit-eur-m2-month = €/m² al mes
site-staff-unit-kva = kVA
site-staff-unit-kv = kV
site-staff-unit-km = km
site-staff-unit-m3-day = m³/día

site-staff-conflict-title = Cambios de otra persona
site-staff-conflict-text = Otra persona ha guardado cambios en este emplazamiento mientras lo editaba. Sus datos siguen en el formulario; compárelos con lo guardado ahora y vuelva a guardar si quiere mantener los suyos.
site-staff-conflict-same = Los datos del formulario no cambian: lo que cambió fue la disponibilidad o los archivos. Vuelva a guardar si quiere mantener sus datos.
site-staff-conflict-field = Dato
site-staff-conflict-stored = Guardado ahora
site-staff-conflict-yours = Lo suyo
site-staff-conflict-manage = Otra persona ha cambiado este emplazamiento mientras usted lo miraba. Se muestra lo guardado ahora: revíselo y vuelva a intentarlo.
site-staff-conflict-estate = Otra persona ha guardado cambios en este polígono mientras lo editaba. Se muestra lo guardado ahora junto a lo suyo: revíselo y vuelva a guardar.
site-staff-conflict-estate-delete = Otra persona ha cambiado este polígono mientras lo miraba. Se muestra lo guardado ahora: revíselo antes de eliminarlo.

site-staff-err-duplicate-reference = Ya hay otro emplazamiento con esta referencia.
site-staff-err-duplicate-estate = Ya hay otro polígono con este nombre.
site-staff-err-choose-move = Elija a qué situación pasa.
site-staff-err-move = No se puede pasar de «{ $from }» a «{ $to }». Desde «{ $from }» solo se puede pasar a: { $allowed }.
site-staff-err-upload = No se ha podido leer el archivo enviado. Vuelva a intentarlo.
site-staff-err-no-file = Elija un archivo.
site-staff-err-kind = Elija si es una foto o un documento.
site-staff-err-confirm = Marque la casilla para confirmar que quiere eliminarlo.
site-staff-err-days = Escriba un número entero de días, de 1 a { $max }.
site-staff-err-estate-has-sites = { $count ->
    [one] No se puede eliminar: el polígono tiene un emplazamiento. Páselo a otro polígono o elimínelo antes.
   *[other] No se puede eliminar: el polígono tiene { $count } emplazamientos. Páselos a otro polígono o elimínelos antes.
}

site-staff-current = Situación actual:
site-staff-no-moves = No hay cambios posibles desde esta situación.
site-staff-move-to = Pasa a
site-staff-effective-on = Fecha del cambio
site-staff-hint-available-from = Cuándo vuelve a estar disponible, o desde cuándo lo está, si se sabe.
site-staff-note = Nota
site-staff-move-button = Registrar el cambio
site-staff-history = Historial de disponibilidad
site-staff-history-none = Todavía no hay cambios registrados.
site-staff-change = Cambio
site-staff-recorded = Registrado

site-staff-photos = Fotos
site-staff-photos-none = Todavía no hay fotos.
site-staff-documents = Documentos
site-staff-documents-none = Todavía no hay documentos.
site-staff-title = Título
site-staff-size = Tamaño
site-staff-delete-file = Eliminar
site-staff-upload-title = Añadir una foto o un documento
site-staff-file-kind = Tipo de archivo
site-staff-kind-photo = Foto
site-staff-kind-document = Documento (PDF)
site-staff-hint-title = Si lo deja en blanco, se usa el nombre del archivo.
site-staff-file = Archivo
site-staff-hint-file = Fotos JPEG, PNG o WebP (se guardan como JPEG, sin los datos de ubicación de la cámara); documentos en PDF. Como mucho { $max } MB.
site-staff-upload-button = Subir

site-staff-delete-title = Eliminar el emplazamiento
site-staff-delete-warning = Se eliminarán el emplazamiento, sus fotos, sus documentos y su historial de disponibilidad. No se puede deshacer.
site-staff-delete-confirm = Entiendo que «{ $name }» se eliminará para siempre.
site-staff-delete-button = Eliminar el emplazamiento

site-staff-stale-title = Datos sin verificar
site-staff-stale-intro = Emplazamientos cuyos datos nadie ha comprobado en los últimos días indicados, o que no tienen fecha de verificación. Los más antiguos, primero.
site-staff-stale-days = Sin verificar desde hace más de (días)
site-staff-stale-show = Mostrar
site-staff-stale-count = { $count ->
    [one] Un emplazamiento por verificar de { $total }.
   *[other] { $count } emplazamientos por verificar de { $total }.
}
site-staff-stale-none = Todos los emplazamientos están verificados en ese plazo.
site-staff-days-since = Días desde entonces

site-staff-estates-title = Polígonos
site-staff-estates-none = Todavía no hay polígonos.
site-staff-estate-new = Nuevo polígono
site-staff-estate-create = Crear el polígono
site-staff-estate-edit-title = Editar el polígono: { $name }
site-staff-estate-sites = Emplazamientos
site-staff-estate-no-sites = Este polígono no tiene emplazamientos.
site-staff-estate-delete-title = Eliminar el polígono
site-staff-estate-delete-text = El polígono no tiene emplazamientos, así que puede eliminarse. No se puede deshacer.
site-staff-estate-delete-button = Eliminar el polígono
site-staff-f-website = Página web
site-staff-hint-managing-body = P. ej. SICAN o el ayuntamiento.
site-staff-err-proposed = Este emplazamiento se ha propuesto a { $count ->
        [one] un proyecto de inversión
       *[other] { $count } proyectos de inversión
    }: forma parte de su historia y no se puede borrar. Retire su publicación en su lugar.
