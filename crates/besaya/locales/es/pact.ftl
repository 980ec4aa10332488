# The Pact (pact): the needs' pages — the list, the form, a need's page (facts,
# moves, response clock, funnel, ranked matches, answers, timeline) and the
# target days per kind. The answers' pages are in pact-answers.ftl.

## Navigation
pact-nav = Pacto
pact-home-link = Necesidades de las empresas
pact-breadcrumbs = Ruta de navegación

## Words shared by the Pact's pages (the dashboard uses them too)
pact-kind-supply = Suministro
pact-kind-service = Servicio
pact-kind-talent = Talento
pact-kind-infrastructure_energy = Infraestructura o energía
pact-kind-land = Suelo
pact-kind-permit_regulatory = Permiso o problema normativo
pact-kind-rnd = I+D+i
pact-kind-other = Otra
pact-status-draft = Borrador
pact-status-submitted = Enviada a la Oficina
pact-status-published = Publicada
pact-status-answered = Con respuestas
pact-status-negotiating = En negociación
pact-status-agreed = Acuerdo
pact-status-closed = Cerrada
pact-status-expired = Caducada
pact-recurrence-one_off = Una sola vez
pact-recurrence-weekly = Semanal
pact-recurrence-monthly = Mensual
pact-recurrence-quarterly = Trimestral
pact-recurrence-yearly = Anual
pact-recurrence-ongoing = Continua
pact-size-micro = Microempresa o mayor
pact-size-small = Pequeña empresa o mayor
pact-size-medium = Mediana empresa o mayor
pact-size-large = Gran empresa
pact-none = —
pact-all = Todas
pact-choose = Elija una opción
pact-any-size = Cualquier tamaño
pact-cancel = Cancelar
pact-save = Guardar
pact-edit = Editar
pact-late = Fuera de plazo
pact-in-time = En plazo

## The list
pact-list-title = Necesidades del Pacto
pact-post = Publicar una necesidad
pact-list-intro-office = Todas las necesidades de las empresas: las que esperan la revisión de la Oficina, las publicadas y su reloj de respuesta, y las ya cerradas.
pact-list-intro-member = Las necesidades publicadas por las grandes empresas de la comarca. La empresa que las plantea no se muestra: la Oficina hace de intermediaria.
pact-list-intro-company = Las necesidades de su organización y aquellas a las que la Oficina le ha invitado a responder.
pact-list-all = Todas las necesidades
pact-list-published = Necesidades publicadas
pact-list-own = Necesidades de su organización
pact-list-caption = Necesidades, con su estado y su reloj de respuesta
pact-list-none = No hay necesidades que mostrar con estos filtros.
pact-list-invited = Necesidades a las que le han invitado
pact-list-invited-none = Todavía no le han invitado a responder a ninguna necesidad.
pact-pages = Páginas de la lista
pact-first-page = Primera página
pact-next-page = Página siguiente
pact-filters = Filtros de la lista
pact-filter = Filtrar
pact-f-q = Buscar
pact-hint-q = Referencia, título o resumen.
pact-f-overdue = Solo las que van fuera de plazo
pact-col-title = Necesidad
pact-col-kind = Tipo
pact-col-owner = Empresa
pact-col-status = Estado
pact-col-clock = Reloj de respuesta
pact-col-deadline = Fecha límite
pact-clock-none = Sin reloj (aún no publicada)
pact-clock-due = Primera respuesta esperada el { $date }
pact-clock-days = { $elapsed } de { $target ->
    [one] 1 día hábil
   *[other] { $target } días hábiles
}
pact-clock-answered-in = Primera respuesta en { $elapsed ->
    [one] 1 día hábil
   *[other] { $elapsed } días hábiles
} (objetivo: { $target })

## The form
pact-new-title = Publicar una necesidad
pact-edit-title = Editar la necesidad
pact-form-intro = Describa lo que necesita con claridad: la Oficina la revisará, la publicará sin su nombre si así lo elige y buscará en el directorio las empresas y administraciones de la comarca que pueden responder.
pact-form-what = Qué se necesita
pact-form-activity = Actividad y requisitos
pact-form-how = Cantidad, lugar y plazos
pact-form-who = Quién la plantea
pact-f-kind = Tipo de necesidad
pact-hint-kind = Los permisos y las infraestructuras o la energía se dirigen a la administración responsable.
pact-f-title = Título
pact-hint-title = Una frase, por ejemplo «Mantenimiento de instalaciones eléctricas de alta tensión».
pact-f-summary = Resumen
pact-hint-summary = Lo esencial en dos o tres líneas; es lo que verán primero las empresas invitadas.
pact-f-description = Descripción
pact-hint-description = Alcance, condiciones técnicas, volumen y cualquier detalle útil para responder. Evite datos que le identifiquen si quiere publicarla de forma anónima.
pact-f-cnae = Actividades (CNAE-2025)
pact-f-cnae-n = Actividad CNAE { $n }
pact-hint-cnae = Hasta cuatro clases CNAE-2025 de las empresas que podrían responder. Escriba el código o parte del nombre y elija de la lista.
pact-f-cpv = Códigos CPV
pact-hint-cpv = Opcional. Códigos del vocabulario común de contratos públicos, separados por comas, por ejemplo 50711000-2.
pact-f-certifications = Certificaciones exigidas
pact-hint-certifications = Una por línea, por ejemplo ISO 9001 o EN 1090.
pact-f-quantity = Cantidad
pact-hint-quantity = Texto libre, por ejemplo «15 personas» o «2.000 t/año».
pact-f-recurrence = Periodicidad
pact-f-municipality = Municipio
pact-hint-municipality = Dónde se presta o se entrega. Escriba el nombre y elija de la lista.
pact-f-deadline = Fecha límite
pact-hint-deadline = Opcional. Pasada esta fecha, la necesidad caduca si no está en negociación.
pact-f-min-size = Tamaño mínimo de quien responda
pact-hint-min-size = Solo si el volumen exige una empresa de cierto tamaño.
pact-f-owner = Empresa que plantea la necesidad
pact-hint-owner = La Oficina puede publicar necesidades en nombre de una empresa del directorio.
pact-form-owner-own = La necesidad se publicará en nombre de { $org }.
pact-f-anonymous = Publicar de forma anónima
pact-hint-anonymous = Recomendado. Las empresas invitadas verán «Empresa de la comarca (anónima)» y no su nombre; la Oficina hace de intermediaria. Los nombres solo se revelan cuando usted y la empresa que responde lo aceptan.
pact-create = Guardar como borrador
pact-update = Guardar los cambios
pact-conflict = Alguien ha cambiado esta necesidad mientras la editaba. Se muestra como está ahora: repase los datos y vuelva a guardar.
pact-page-err-amount = Escriba un importe en euros, por ejemplo 12.500 o 12500,50.
pact-page-err-reason = Indique por qué se cierra la necesidad.
pact-page-err-select = Marque al menos una organización para invitarla.
pact-page-err-move = Ese cambio de estado no es posible ahora. Cambios posibles: { $allowed }.
pact-page-err-days = Escriba un número de días hábiles entre 1 y 365.

## A need's page
pact-facts = Datos de la necesidad
pact-published-anonymously = (publicada de forma anónima)
pact-f-broker = Técnico responsable
pact-hint-broker = La persona de la Oficina que acompaña la necesidad y recibe los avisos.
pact-f-routed = Administración responsable
pact-hint-routed = Los permisos y las infraestructuras o la energía los responde la administración competente, en la plataforma.
pact-f-close-reason = Motivo del cierre
pact-hint-close-reason = Por ejemplo: resuelta por otra vía, ya no es necesaria.
pact-moves = Qué se puede hacer
pact-move-submit = Enviar a la Oficina
pact-move-send-back = Devolver a borrador
pact-move-publish = Publicar
pact-move-close = Cerrar sin acuerdo
pact-publish-title = Publicar tras la revisión
pact-close-title = Cerrar la necesidad
pact-clock-title = Reloj de respuesta
pact-clock-published = Publicada el
pact-clock-due-on = Primera respuesta esperada el
pact-clock-elapsed = Días hábiles transcurridos
pact-clock-first-answer = Primera respuesta cualificada
pact-clock-no-answer = Aún no hay ninguna
pact-funnel-title = Embudo de resultados
pact-funnel-published = Publicada
pact-funnel-first = Primera respuesta cualificada
pact-funnel-interest = Expresiones de interés
pact-funnel-meetings = Reuniones
pact-funnel-agreement = Acuerdo
pact-funnel-not-yet = todavía no
pact-funnel-agreed-amount = { $date } · { $amount } adjudicados en la comarca
pact-matches-title = Quién puede responder
pact-matches-intro = Organizaciones del directorio ordenadas por lo bien que encajan, con los motivos. Marque las que quiera invitar: recibirán un correo en su idioma y verán la necesidad sin el nombre de la empresa si es anónima.
pact-matches-none = No hay ninguna organización en el directorio que pueda responder a esta necesidad, ni siquiera en parte.
pact-matches-partial = Nadie en el directorio cumple todos los requisitos; estas son las coincidencias parciales más cercanas.
pact-matches-caption = Coincidencias ordenadas ({ $n } candidatas en el directorio)
pact-matches-select = Invitar
pact-matches-col-org = Organización
pact-matches-col-score = Puntuación
pact-matches-col-why = Por qué
pact-matches-complete = Cumple todos los requisitos
pact-matches-partial-one = Coincidencia parcial
pact-matches-invited = Ya invitada
pact-invite-selected = Invitar a los seleccionados
pact-invite-when-published = Podrá invitar cuando la necesidad esté publicada.
pact-my-answer = Ver la invitación de su organización y responder
pact-timeline = Historial
pact-timeline-none = Todavía no hay nada en el historial.
pact-event-created = Creada
pact-event-updated = Modificada
pact-event-submitted = Enviada a la Oficina
pact-event-published = Publicada
pact-event-sent_back = Devuelta a borrador
pact-event-closed = Cerrada
pact-event-expired = Caducada
pact-event-agreed = Acuerdo alcanzado
pact-event-answered = Primera respuesta cualificada
pact-event-negotiating = En negociación
pact-event-invited = Organización invitada
pact-event-interested = Expresión de interés recibida
pact-event-declined = Una invitada declina
pact-event-shortlisted = Respuesta preseleccionada
pact-event-meeting = Reunión solicitada
pact-event-accepted = Respuesta aceptada
pact-event-rejected = Respuesta descartada
pact-event-consent = Consentimiento para revelar la identidad
pact-event-identities_released = Identidades reveladas
pact-event-file_added = Documento añadido
pact-event-overdue_notified = Aviso de plazo vencido
pact-event-followup_sent = Seguimiento enviado
pact-event-followup_answered = Seguimiento respondido

## Targets
pact-targets-title = Plazos objetivo de respuesta
pact-targets-intro = Días hábiles, desde la publicación, en los que cada tipo de necesidad debería recibir su primera respuesta cualificada. Cuentan los festivos nacionales y de Cantabria.
pact-targets-col-days = Días hábiles
pact-targets-unit = días hábiles
pact-targets-conflict = Alguien ha cambiado los plazos mientras los editaba. Se muestran los actuales: repáselos y vuelva a guardar.

## Flash messages
flash-pact-need-created = Necesidad guardada como borrador. Envíela a la Oficina cuando esté lista.
flash-pact-need-updated = Cambios guardados.
flash-pact-need-moved = Estado de la necesidad actualizado.
flash-pact-need-invited = Invitaciones enviadas.
flash-pact-targets-saved = Plazos objetivo guardados.
