# pact-dashboard (es): the Pact's dashboard and public summary, the follow-up
# page 3 and 6 months after an agreement, and the e-mails of the Pact's scan
# (overdue needs, follow-ups due).

## Dashboard
pact-dash-title = Pacto: cuadro de mando
pact-dash-breadcrumb = Ruta de navegación
pact-dash-needs = Necesidades del Pacto
pact-dash-summary-link = Resumen público
pact-dash-intro = Cifras a { $date }, calculadas con días hábiles (sin fines de semana ni festivos nacionales y de Cantabria).
pact-dash-total = Todas las necesidades
pact-dash-published = Publicadas
pact-dash-answered = Con respuesta cualificada
pact-dash-median = Mediana hasta la primera respuesta
pact-dash-within = Respondidas en plazo
pact-dash-overdue = Sin respuesta fuera de plazo
pact-dash-agreements = Acuerdos
pact-dash-awarded = Importe adjudicado en la comarca
pact-dash-within-note = «Respondidas en plazo»: de las necesidades publicadas cuyo plazo ya se ha decidido (respondidas, con el plazo vencido o cerradas), las que recibieron una primera respuesta cualificada dentro del plazo objetivo de su tipo.
pact-dash-kinds = Necesidades por tipo y estado
pact-dash-kinds-chart = Necesidades por tipo
pact-dash-kinds-chart-note = Cada barra es proporcional al número de necesidades del tipo; las cifras exactas están en la tabla.
pact-dash-kinds-caption = Necesidades por tipo y estado
pact-dash-clock = Reloj de respuesta por tipo
pact-dash-kind = Tipo
pact-dash-target = Plazo objetivo
pact-dash-count = Total
pact-dash-overdue-list = Necesidades sin respuesta fuera de plazo
pact-dash-no-overdue = Ninguna necesidad publicada ha superado su plazo sin respuesta.
pact-dash-overdue-more = Se muestran las { $shown } más retrasadas de { $total }.
pact-dash-need = Necesidad
pact-dash-owner = Empresa
pact-dash-broker = Responsable
pact-dash-no-broker = Sin asignar
pact-dash-due = Plazo hasta
pact-dash-late = Retraso
pact-dash-followups = Seguimiento de los acuerdos
pact-dash-followups-waiting = { $count ->
    [one] 1 pregunta de seguimiento enviada sigue sin respuesta.
   *[other] { $count } preguntas de seguimiento enviadas siguen sin respuesta.
}
pact-dash-no-followups = Todavía no hay respuestas de seguimiento.
pact-dash-followup-side = Quién responde
pact-dash-followup-satisfied = ¿Satisfecho?
pact-dash-followup-answer = Comentario
pact-dash-followup-date = Fecha
pact-dash-followup-side-owner = La empresa que publicó ({ $months } meses)
pact-dash-followup-side-candidate = La empresa que respondió ({ $months } meses)
pact-dash-followup-satisfied-yes = Sí
pact-dash-followup-satisfied-no = No
pact-dash-followup-satisfied-none = Sin indicar
pact-dash-note = Las necesidades en borrador y pendientes de revisión cuentan en la tabla por estado, pero no en el reloj: este empieza al publicarse.
pact-dash-median-value = { $days ->
    [one] 1 día hábil
   *[other] { $days } días hábiles
} ({ $answered ->
    [one] 1 necesidad respondida
   *[other] { $answered } necesidades respondidas
})
pact-dash-within-value = { $share } ({ $within } de { $decided })
pact-dash-target-value = { $days ->
    [one] 1 día hábil
   *[other] { $days } días hábiles
}
pact-dash-late-value = { $days ->
    [0] Vence hoy
    [one] 1 día hábil
   *[other] { $days } días hábiles
}
pact-dash-days-value = { $days ->
    [one] 1 día hábil
   *[other] { $days } días hábiles
}

## Kinds and statuses
pact-dash-kind-supply = Suministro
pact-dash-kind-service = Servicio
pact-dash-kind-talent = Talento
pact-dash-kind-infrastructure_energy = Infraestructura y energía
pact-dash-kind-land = Suelo
pact-dash-kind-permit_regulatory = Permisos y trámites
pact-dash-kind-rnd = I+D+i
pact-dash-kind-other = Otra
pact-dash-status-draft = Borrador
pact-dash-status-submitted = Pendiente de revisión
pact-dash-status-published = Publicada
pact-dash-status-answered = Respondida
pact-dash-status-negotiating = En negociación
pact-dash-status-agreed = Acuerdo
pact-dash-status-closed = Cerrada
pact-dash-status-expired = Caducada

## Public summary
pact-dash-summary-title = El Pacto en cifras
pact-dash-summary-intro = Las grandes empresas de la comarca publican lo que necesitan y la oficina lo hace llegar a las empresas y administraciones locales que pueden resolverlo. Estas son las cifras, sin datos confidenciales.
pact-dash-summary-chart = Necesidades publicadas por tipo
pact-dash-summary-note = Sin nombres, títulos ni importes por necesidad: solo recuentos y totales.

## Follow-up page
pact-dash-fu-title = Seguimiento del acuerdo { $reference }
pact-dash-fu-agreed-on = Acuerdo alcanzado el { $date }.
pact-dash-fu-question-owner = Han pasado { $months } meses desde que cerrasteis este acuerdo con una empresa de la comarca. ¿Cómo ha ido?
pact-dash-fu-question-candidate = Han pasado { $months } meses desde que se aceptó vuestra propuesta para esta necesidad. ¿Cómo ha ido?
pact-dash-fu-satisfied-legend = ¿Estáis satisfechos con el resultado?
pact-dash-fu-yes = Sí
pact-dash-fu-no = No
pact-dash-fu-comment = Comentario (opcional)
pact-dash-fu-comment-hint = Qué ha funcionado, qué no y si la colaboración continúa. Solo lo lee la oficina.
pact-dash-fu-send = Enviar la respuesta
pact-dash-fu-answered-on = Respondido el { $date }
pact-dash-fu-not-yet = Esta pregunta se abre el { $date }.
pact-dash-fu-waiting = Esperando la respuesta de la empresa.
pact-dash-fu-err-satisfied = Indica si estáis satisfechos: sí o no.
pact-dash-fu-err-comment = El comentario no puede pasar de { $max } caracteres.
flash-pact-fu-saved = Gracias: hemos guardado vuestra respuesta.
flash-pact-fu-already = Esta pregunta ya estaba respondida; se muestra la respuesta guardada.

## E-mails of the scan
pact-dash-mail-overdue-subject = Sin respuesta fuera de plazo: { $reference } · { $title }
pact-dash-mail-overdue-text = La necesidad { $reference } («{ $title }») sigue sin ninguna respuesta cualificada. Su plazo objetivo terminó el { $due } y lleva { $days ->
    [one] 1 día hábil
   *[other] { $days } días hábiles
} de retraso.
pact-dash-mail-overdue-action = Ver la necesidad y sus candidatos
pact-dash-mail-overdue-why = Recibes este aviso una sola vez por necesidad, porque eres su responsable en la oficina (o porque no tiene responsable asignado).
pact-dash-mail-followup-subject = ¿Cómo ha ido el acuerdo { $reference }?
pact-dash-mail-followup-text = Han pasado { $months } meses desde el acuerdo sobre «{ $title }» ({ $reference }). Cuéntanos en un minuto si estáis satisfechos con el resultado: nos ayuda a mejorar el Pacto.
pact-dash-mail-followup-action = Responder
