# Procedures (office-procedures): the pages — the project's "Trámites" tab (office
# and investor), a procedure's page, the administrations' list, the catalogue and
# the local holidays. Names of statuses, steps, terms, silence and levels are in
# office-procedures-api.ftl.

## Navigation and tabs
proc-ui-tab = Trámites
proc-ui-nav = Trámites

## The project's tab
proc-ui-title = Trámites de { $project }
proc-ui-heading = Trámites del proyecto
proc-ui-none = Este proyecto aún no tiene trámites. Añádalos desde el catálogo, más abajo.
proc-ui-read-only = Solo su responsable, su equipo y la administración de la Oficina pueden cambiar los trámites de este proyecto.
proc-ui-all-link = Todos los trámites
proc-ui-catalogue-link = Catálogo de trámites
proc-ui-last-permit = Fecha prevista del último permiso: { $date }
proc-ui-col-name = Trámite
proc-ui-col-holder = Quién lo tiene
proc-ui-col-status = Estado
proc-ui-col-filed = Presentado
proc-ui-col-due = Vence
proc-ui-col-days = Días transcurridos
proc-ui-col-silence = Si no resuelve a tiempo
proc-ui-col-reference = Expediente
proc-ui-col-project = Proyecto
proc-ui-col-left = Plazo
proc-ui-term-of = Plazo: { $term }
proc-ui-unconfirmed = plazo por confirmar
proc-ui-complete-on = completo el { $date }
proc-ui-dir3 = DIR3 { $code }
proc-ui-overdue = Vencido
proc-ui-paused-clock = Plazo suspendido
proc-ui-no-clock = Sin plazo en marcha
proc-ui-due-today = Vence hoy
proc-ui-left = { $unit ->
    [business] { $n ->
        [one] Queda 1 día hábil
       *[other] Quedan { $n } días hábiles
    }
   *[calendar] { $n ->
        [one] Queda 1 día
       *[other] Quedan { $n } días
    }
}
proc-ui-late = { $unit ->
    [business] { $n ->
        [one] Vencido hace 1 día hábil
       *[other] Vencido hace { $n } días hábiles
    }
   *[calendar] { $n ->
        [one] Vencido hace 1 día
       *[other] Vencido hace { $n } días
    }
}
proc-ui-elapsed = { $unit ->
    [months] { $elapsed ->
        [one] 1 día natural
       *[other] { $elapsed } días naturales
    } de { $term }
   *[other] { $elapsed } de { $term }
}
proc-ui-silence-positive = Silencio positivo: se entenderá concedido
proc-ui-silence-negative = Silencio negativo: se entenderá denegado
proc-ui-within-term = Resuelto en plazo
proc-ui-out-of-term = Resuelto fuera de plazo

## The critical path
proc-ui-plan-title = Camino crítico
proc-ui-plan-none = Aún no hay trámites que poner en el calendario.
proc-ui-plan-intro = Cada trámite con su inicio y su fin previstos (los que esperan a otros empiezan cuando estos terminan). Los del camino crítico son los que fijan la fecha del último permiso.
proc-ui-plan-dates = del { $start } al { $end }
proc-ui-critical = En el camino crítico

## Adding procedures
proc-ui-add-title = Añadir trámites
proc-ui-add-intro = Vienen marcados los que el catálogo propone por la actividad (CNAE) y la potencia que pide el proyecto; revise la propuesta y la administración que tramita cada uno.
proc-ui-add-legend = Trámites del catálogo
proc-ui-add-button = Añadir los trámites marcados
proc-ui-added = Ya está en el proyecto
proc-ui-applies = Se propone
proc-ui-not-applies = No se propone
proc-ui-assign-to = Administración que lo tramita
proc-ui-choose = — Elija —
proc-ui-err-choose-one = Marque al menos un trámite.
proc-ui-err-no-administration = Elija la administración que tramita «{ $name }»: el catálogo no propone ninguna.
proc-ui-err-administration = Elija la administración que tramita el procedimiento.
proc-ui-reason-always = Se pide a todos los proyectos
proc-ui-reason-cnae_in = La actividad (CNAE { $cnae }) está en { $len ->
    [1] la sección
    [2] la división
    [3] el grupo
   *[other] la clase
} { $prefix }
proc-ui-reason-cnae_outside = La actividad (CNAE { $cnae }) no está entre las que lo requieren ({ $prefixes })
proc-ui-reason-no_cnae = El proyecto no tiene CNAE
proc-ui-reason-power_at_least = Pide { $power } kVA (desde { $min } kVA)
proc-ui-reason-power_below = Pide { $power } kVA (se requiere desde { $min } kVA)
proc-ui-reason-no_power = El proyecto no dice qué potencia necesita (se requiere desde { $min } kVA)

## A procedure's page
proc-ui-of-project = Proyecto «{ $project }»
proc-ui-facts = Datos del trámite
proc-ui-f-project = Proyecto
proc-ui-f-cnae = Actividad (CNAE)
proc-ui-f-administration = Administración
proc-ui-f-authority = Órgano que resuelve
proc-ui-f-legal_basis = Base legal
proc-ui-f-term = Plazo máximo para resolver
proc-ui-f-status = Estado
proc-ui-f-filed = Presentado el
proc-ui-f-started = Expediente completo el
proc-ui-f-due = Vence el
proc-ui-f-elapsed = Días transcurridos (sin contar suspensiones)
proc-ui-f-silence = Si no resuelve a tiempo
proc-ui-f-resolved = Resuelto el
proc-ui-f-file_reference = Número de expediente
proc-ui-f-notes = Notas de la Oficina
proc-ui-f-catalogue-notes = Notas del catálogo
proc-ui-unknown = Sin dato
proc-ui-not-yet = Todavía no
proc-ui-asked-title = Corrección pedida
proc-ui-asked-on = Pedida el { $date }:
proc-ui-asked-nothing = La administración ha pedido una corrección sin detallar qué falta.
proc-ui-history = Historia del trámite
proc-ui-history-none = Aún no se ha anotado ningún paso.
proc-ui-col-date = Fecha
proc-ui-col-event = Paso
proc-ui-col-note = Nota y documento
proc-ui-col-by = Anotado por
proc-ui-by = { $name }, { $when }
proc-ui-document = Documento
proc-ui-record-title = Anotar un paso
proc-ui-f-on_date = Fecha del paso
proc-ui-hint-on_date = La que cuenta para el plazo: no puede ser posterior a hoy ni anterior al último paso.
proc-ui-f-note = Nota
proc-ui-hint-note = Si pide una corrección, escriba qué falta: el inversor lo leerá.
proc-ui-hint-note-investor = La leerán la Oficina y la administración que tramita el procedimiento.
proc-ui-f-kind = Paso que se anota
proc-ui-err-date = Escriba una fecha válida (AAAA-MM-DD).
proc-ui-err-not-allowed = Ese paso no es posible ahora. Pasos posibles: { $allowed }.
proc-ui-err-not-permitted = No le corresponde anotar ese paso. Puede anotar: { $allowed }.
proc-ui-err-before = La fecha no puede ser anterior a la del último paso ({ $date }).
proc-ui-err-term-not-passed = El silencio administrativo solo se aplica pasado el plazo, que vence el { $date }.
proc-ui-err-term-not-passed-none = El silencio administrativo solo se aplica con el plazo en marcha y vencido.
proc-ui-nothing-allowed = ninguno
proc-ui-conflict = Otra persona ha cambiado este trámite mientras tanto. Revise cómo está ahora y vuelva a intentarlo.
proc-ui-in-use = No se puede borrar: todavía se usa.
proc-ui-ref-title = Número de expediente
proc-ui-ref-save = Guardar el número
proc-ui-edit-title = Cambiar el trámite
proc-ui-hint-notes = Solo las ve la Oficina.
proc-ui-f-depends_on = Espera a
proc-ui-hint-depends_on = Los trámites de este proyecto que deben resolverse antes de que empiece este.
proc-ui-no-others = El proyecto no tiene otros trámites.
proc-ui-save = Guardar los cambios
proc-ui-delete-title = Quitar el trámite
proc-ui-delete-confirm = Sí, quitar este trámite del proyecto, con toda su historia
proc-ui-delete-button = Quitar el trámite
proc-ui-err-confirm = Marque la casilla para confirmarlo.
proc-ui-back-tab = Volver a los trámites del proyecto
proc-ui-back-list = Volver a la lista de trámites

## The investor's tab
proc-ui-portal-intro = Los permisos y trámites de su proyecto: quién tiene cada uno, en qué estado está y cuándo vence el plazo para resolverlo.
proc-ui-portal-heading = Sus trámites
proc-ui-portal-none = Su proyecto aún no tiene trámites. La Oficina los añadirá cuando llegue el momento.
proc-ui-corrections-title = Le piden una corrección
proc-ui-correction-label = Enviar la corrección de «{ $name }»
proc-ui-f-file = Documento corregido
proc-ui-hint-file = PDF, imagen, Word, Excel u OpenDocument; como máximo { $max } MB. Al enviarlo, el plazo vuelve a correr.
proc-ui-correction-button = Enviar la corrección
proc-ui-correction-no-document = La Oficina le indicará cómo entregar la corrección.
proc-ui-correction-accepted = El documento ya se ha aceptado.
proc-ui-no-correction = Este trámite no espera ninguna corrección.

## The administrations' list
proc-ui-list-title = Trámites
proc-ui-list-of = Trámites de { $orgs }
proc-ui-list-intro = Los trámites que tiene su administración en todos los proyectos, por fecha de vencimiento. De cada proyecto solo se muestran su nombre en clave y su actividad.
proc-ui-list-intro-office = Los trámites de todas las administraciones, por fecha de vencimiento.
proc-ui-no-org = Su usuario no está vinculado a ninguna administración. Pida a la Oficina que lo vincule para ver sus trámites.
proc-ui-filters = Filtrar los trámites
proc-ui-all = Todos
proc-ui-all-f = Todas
proc-ui-f-q = Buscar
proc-ui-hint-q = Trámite, nombre en clave del proyecto o número de expediente.
proc-ui-f-overdue = Solo los vencidos
proc-ui-filter = Filtrar
proc-ui-list-none = No hay trámites que mostrar.
proc-ui-file-no = Expediente { $reference }
proc-ui-pages = Páginas
proc-ui-first-page = Primera página
proc-ui-next-page = Siguiente

## The catalogue
proc-cat-title = Catálogo de trámites
proc-cat-intro = Los trámites que la Oficina propone a los proyectos: quién los resuelve, con qué base legal, en qué plazo y qué significa el silencio. «Plazo por confirmar»: la fuente no da el plazo, o depende del caso.
proc-cat-none = El catálogo está vacío.
proc-cat-new = Nuevo trámite
proc-cat-new-title = Nuevo trámite del catálogo
proc-cat-edit-title = Cambiar «{ $name }»
proc-cat-col-who = Quién resuelve
proc-cat-col-term = Plazo
proc-cat-col-silence = Silencio
proc-cat-col-depends = Espera a
proc-cat-col-rule = Se propone a
proc-cat-depends-none = Ninguno
proc-cat-inactive = No se propone
proc-cat-source = Fuente
proc-cat-rule-always = Todos los proyectos
proc-cat-rule-cnae = CNAE que empiezan por { $prefixes }
proc-cat-rule-power = potencia desde { $min } kVA
proc-cat-fs-identity = El trámite
proc-cat-fs-who = Quién lo resuelve
proc-cat-fs-term = Plazo, silencio y base legal
proc-cat-fs-rule = Cuándo se propone
proc-cat-fs-notes = Notas
proc-cat-f-code = Código
proc-cat-hint-code = Letras minúsculas sin tilde, cifras y «_»; por ejemplo, building_licence.
proc-cat-f-name_es = Nombre en español
proc-cat-f-name_en = Nombre en inglés
proc-cat-f-position = Orden en el catálogo
proc-cat-hint-position = Un número: los más bajos van primero.
proc-cat-f-active = Se propone a los proyectos
proc-cat-f-level = Nivel de la administración
proc-cat-f-administration_org_id = Administración que lo tramita por defecto
proc-cat-no-administration = — Ninguna: se elige al añadirlo —
proc-cat-f-authority_es = Órgano que resuelve, en español
proc-cat-f-authority_en = Órgano que resuelve, en inglés
proc-cat-f-term_value = Plazo máximo
proc-cat-f-term_unit = Unidad del plazo
proc-cat-f-term_confirmed = El plazo está confirmado por la fuente
proc-cat-f-silence = Sentido del silencio
proc-cat-f-legal_basis = Base legal
proc-cat-f-source_url = Dirección de la fuente
proc-cat-hint-source_url = Por ejemplo, la norma en el BOE: https://www.boe.es/…
proc-cat-f-rule_cnae_prefixes = Actividades (CNAE) a las que se propone
proc-cat-hint-rule_cnae_prefixes = Prefijos CNAE separados por comas, como 24, 2351; en blanco, a cualquier actividad.
proc-cat-f-rule_min_power_kva = Potencia mínima (kVA)
proc-cat-hint-rule_min_power_kva = Se propone a los proyectos que piden al menos esta potencia; en blanco, sea cual sea.
proc-cat-f-depends_on = Espera a
proc-cat-hint-depends_on = Los trámites del catálogo que deben resolverse antes que este.
proc-cat-f-notes_es = Notas en español
proc-cat-f-notes_en = Notas en inglés
proc-cat-err-integer = Escriba un número entero: { $value }.
proc-cat-err-number = Escriba un número: { $value }.
proc-cat-create = Crear el trámite
proc-cat-save = Guardar los cambios
proc-cat-conflict = Otra persona ha cambiado este trámite mientras tanto. Sus datos siguen en el formulario: si vuelve a guardar, sustituirán a los de la otra persona.
proc-cat-in-use = No se puede borrar este trámite: todavía se usa.
proc-cat-delete-title = Borrar el trámite del catálogo
proc-cat-delete-intro = Los proyectos que ya lo tienen conservan su copia.
proc-cat-delete-confirm = Sí, borrar este trámite del catálogo
proc-cat-delete = Borrar el trámite

## Local holidays
proc-hol-title = Festivos de los plazos
proc-hol-intro = Los plazos en días hábiles no cuentan sábados, domingos ni festivos: los nacionales y de Cantabria (ya incluidos) y los dos festivos locales de cada municipio, que se añaden aquí y cuentan para las administraciones de ese municipio.
proc-hol-local = Festivos locales
proc-hol-none = Aún no hay festivos locales.
proc-hol-col-name = Festivo
proc-hol-col-scope = Ámbito
proc-hol-actions = Acciones
proc-hol-delete = Borrar
proc-hol-add-title = Añadir un festivo local
proc-hol-f-municipality_code = Municipio
proc-hol-f-on_date = Fecha
proc-hol-f-name_es = Nombre en español
proc-hol-f-name_en = Nombre en inglés
proc-hol-hint-name_en = En blanco, el mismo que en español.
proc-hol-add = Añadir el festivo
proc-hol-err-municipality = Elija un municipio de Cantabria.
proc-hol-regional = Festivos nacionales y de Cantabria de { $year }
proc-hol-national = Nacional
proc-hol-cantabria = Cantabria

## Flash messages
flash-proc-added = Trámites añadidos al proyecto.
flash-proc-event-recorded = Paso anotado.
flash-proc-updated = Trámite guardado.
flash-proc-removed = Trámite quitado del proyecto.
flash-proc-reference-saved = Número de expediente guardado.
flash-proc-correction-sent = Corrección enviada: el plazo vuelve a correr.
flash-proc-cat-created = Trámite añadido al catálogo.
flash-proc-cat-updated = Trámite del catálogo guardado.
flash-proc-cat-deleted = Trámite borrado del catálogo.
flash-proc-hol-added = Festivo local añadido: los plazos de las administraciones del municipio se han recalculado.
flash-proc-hol-deleted = Festivo local borrado: los plazos se han recalculado.
proc-ui-resolved-on = el { $date }
proc-ui-resolved-on-full = Resuelto el { $date }
