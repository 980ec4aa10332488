# pact-indicators (es): indicators (pact-ind-), the semester report (pact-rep-),
# the public progress page (pact-prog-).

pact-err-invalid_semester = «{ $value }» no es un semestre: escríbelo como 2026-S1 (enero a junio) o 2026-S2 (julio a diciembre).

## Indicators
pact-ind-title = Indicadores
pact-ind-intro = Estas cifras las calcula la plataforma con sus propios registros: nadie las teclea. Los compromisos vinculados a un indicador avanzan solos cuando la cifra se mueve.
pact-ind-as-of = Datos a { $date }.
pact-ind-all-time = Desde el inicio
pact-ind-this-semester-1 = Primer semestre de { $year }
pact-ind-this-semester-2 = Segundo semestre de { $year }
pact-ind-see-records = Ver los registros que hay detrás: { $name }
pact-ind-no-commitments = Ningún compromiso está vinculado a este indicador.
pact-ind-commitments-caption = Compromisos vinculados: { $name }
pact-ind-col-from = Contado desde
pact-ind-needs_within_target-name = Necesidades respondidas en plazo
pact-ind-needs_within_target-def = Necesidades publicadas cuya primera respuesta cualificada llegó dentro del plazo de su tipo, contado en días hábiles (sin fines de semana ni festivos nacionales y de Cantabria).
pact-ind-needs_within_target_share-name = Porcentaje de necesidades respondidas en plazo
pact-ind-needs_within_target_share-def = De las necesidades publicadas cuyo plazo ya se ha decidido (respondidas, vencidas o cerradas), el porcentaje respondido en plazo, redondeado hacia abajo. Las que aún están dentro de plazo sin respuesta no cuentan todavía.
pact-ind-needs_agreed-name = Necesidades con acuerdo
pact-ind-needs_agreed-def = Necesidades que terminaron en un acuerdo con una organización local, por la fecha del acuerdo.
pact-ind-local_awarded-name = Importe adjudicado a organizaciones locales
pact-ind-local_awarded-def = La suma de los importes de esos acuerdos, en euros.
pact-ind-projects_operating-name = Proyectos de inversión en funcionamiento
pact-ind-projects_operating-def = Proyectos de inversión que hoy están en funcionamiento o en seguimiento posterior, por el día en que empezaron a funcionar.
pact-ind-from-label = Contar desde
pact-ind-from-hint = Una fecha (día, mes y año). Déjalo vacío para contar desde el inicio.
pact-ind-recount = Volver a contar
pact-ind-counted-from = Valor desde el { $date }
pact-ind-counted-all = Valor desde el inicio
pact-ind-no-records = No hay registros que cuenten para este indicador.
pact-ind-records-needs_within_target = Necesidades respondidas en plazo ({ $count })
pact-ind-records-needs_within_target_share = Necesidades con el plazo ya decidido ({ $count })
pact-ind-records-needs_agreed = Necesidades con acuerdo ({ $count })
pact-ind-records-local_awarded = Acuerdos y sus importes ({ $count })
pact-ind-records-projects_operating = Proyectos en funcionamiento ({ $count })
pact-ind-col-code-name = Nombre en clave
pact-ind-col-stage = Fase
pact-ind-col-since = En funcionamiento desde
pact-ind-col-agreed = Fecha del acuerdo
pact-ind-col-amount = Importe
pact-ind-col-kind = Tipo
pact-ind-col-published = Publicada
pact-ind-col-first-answer = Primera respuesta
pact-ind-col-days = Días hábiles
pact-ind-col-target = Plazo (días hábiles)
pact-ind-col-within = ¿En plazo?
pact-ind-yes = Sí
pact-ind-no = No
pact-ind-unit-count = número
pact-ind-unit-cents = euros
pact-ind-unit-percent = porcentaje

## Semester report
pact-rep-title = Informe del { $semester }
pact-rep-semester-1 = primer semestre de { $year }
pact-rep-semester-2 = segundo semestre de { $year }
pact-rep-period = Del { $from } al { $to }
pact-rep-as-of = estado de los compromisos e indicadores a { $date }
pact-rep-other-semesters = Otros semestres y descarga
pact-rep-download-xlsx = Descargar en Excel (XLSX)
pact-rep-print = Imprimir
pact-rep-semester-label = Semestre
pact-rep-semester-hint = Por ejemplo, 2026-S1 (enero a junio) o 2026-S2 (julio a diciembre).
pact-rep-show = Ver el informe
pact-rep-commitments = Compromisos
pact-rep-summary = { $finished } de { $total } { $total ->
    [one] compromiso finalizado
   *[other] compromisos finalizados
}, { $in_progress } en curso, { $delayed } con retraso, { $planned } sin empezar, { $cancelled } { $cancelled ->
    [one] cancelado
   *[other] cancelados
}.
pact-rep-no-commitments = Todavía no hay compromisos.
pact-rep-col-number = Núm.
pact-rep-col-reference = Referencia
pact-rep-col-title = Título
pact-rep-col-owner = Responsable
pact-rep-col-status = Estado
pact-rep-col-progress = Avance
pact-rep-col-due = Fecha prevista
pact-rep-col-group = Mesa de trabajo
pact-rep-col-date = Fecha
pact-rep-col-attendees = Asistentes
pact-rep-col-organizations = Organizaciones
pact-rep-col-agreements = Acuerdos
pact-rep-col-indicator = Indicador
pact-rep-col-unit = Unidad
pact-rep-col-value = Valor
pact-rep-col-baseline = Valor de partida
pact-rep-col-target = Meta
pact-rep-meetings = Reuniones celebradas
pact-rep-meetings-count = { $count ->
    [0] Ninguna mesa de trabajo se reunió en este semestre.
    [one] Se celebró 1 reunión en este semestre.
   *[other] Se celebraron { $count } reuniones en este semestre.
}
pact-rep-indicators = Indicadores frente a sus metas
pact-rep-no-indicators = Ningún compromiso está vinculado a un indicador.
pact-rep-sheet-commitments = Compromisos
pact-rep-sheet-meetings = Reuniones
pact-rep-sheet-indicators = Indicadores
pact-rep-file-name = informe-pacto

## Public progress
pact-prog-title = Avance del Pacto
pact-prog-summary-link = Cifras del Pacto
pact-prog-intro = Los compromisos que han asumido las administraciones, las organizaciones empresariales y los sindicatos del Pacto, y cómo avanzan. Cuando un compromiso depende de una cifra de la plataforma, su avance se calcula solo.
pact-prog-as-of = Datos a { $date }.
pact-prog-caption = Compromisos del Pacto
pact-prog-empty = Todavía no se ha publicado ningún compromiso.
pact-prog-note = El avance de un compromiso con apartados es la media ponderada de sus apartados. Un compromiso aparece «con retraso» cuando ha pasado su fecha prevista sin terminar.
pact-prog-indicator = { $name }: { $value } de una meta de { $target }
