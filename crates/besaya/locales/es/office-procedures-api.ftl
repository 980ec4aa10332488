# Procedures (office-procedures-api): names shared by the API, the pages and the
# e-mails — statuses, events, terms, silence, levels — validation messages,
# timeline events and e-mails.

## Where a procedure stands
proc-status-pending = Sin presentar
proc-status-filed = Presentado
proc-status-running = Plazo en curso
proc-status-paused = Suspendido por subsanación
proc-status-granted = Concedido
proc-status-denied = Denegado
proc-status-silence_positive = Estimado por silencio
proc-status-silence_negative = Desestimado por silencio

## Events as the history names them
proc-event-filed = Solicitud presentada
proc-event-complete = Expediente completo (empieza el plazo)
proc-event-correction_requested = Requerimiento de subsanación (se suspende el plazo)
proc-event-corrected = Subsanación presentada (se reanuda el plazo)
proc-event-granted = Resolución: concedido
proc-event-denied = Resolución: denegado
proc-event-silence = Vencido el plazo sin resolución: silencio administrativo
proc-event-note = Nota

## Events as buttons name them
proc-action-filed = Registrar la presentación
proc-action-complete = Declarar el expediente completo
proc-action-correction_requested = Requerir subsanación
proc-action-corrected = Presentar la subsanación
proc-action-granted = Conceder
proc-action-denied = Denegar
proc-action-silence = Aplicar el silencio administrativo
proc-action-note = Añadir una nota

## Terms
proc-unit-business_days = { $n ->
    [one] { $n } día hábil
   *[other] { $n } días hábiles
}
proc-unit-calendar_days = { $n ->
    [one] { $n } día natural
   *[other] { $n } días naturales
}
proc-unit-months = { $n ->
    [one] { $n } mes
   *[other] { $n } meses
}
proc-unit-name-business_days = Días hábiles
proc-unit-name-calendar_days = Días naturales
proc-unit-name-months = Meses
proc-term-unconfirmed = plazo por confirmar

## Silence
proc-silence-positive = Positivo (estimatorio)
proc-silence-negative = Negativo (desestimatorio)
proc-silence-means-positive = Si vence el plazo sin resolución, se entiende concedido.
proc-silence-means-negative = Si vence el plazo sin resolución, se entiende denegado.

## Levels of government
proc-level-council = Ayuntamiento
proc-level-region = Gobierno de Cantabria
proc-level-state = Administración General del Estado
proc-level-registry = Registro y notaría
proc-level-operator = Empresa distribuidora

## Validation
office-proc-err-required = Este campo es obligatorio.
office-proc-err-too_long = Como máximo { $value } caracteres.
office-proc-err-too_short = Al menos { $value } caracteres.
office-proc-err-control_chars = Contiene caracteres no permitidos.
office-proc-err-too_many = Como máximo { $value }.
office-proc-err-out_of_range = Fuera del intervalo permitido ({ $value }).
office-proc-err-invalid_code = Código no válido: «{ $value }» (letras minúsculas sin tilde, cifras y «_», de 2 a 60).
office-proc-err-duplicate_code = Otro trámite del catálogo ya tiene este código.
office-proc-err-invalid_level = No es un nivel de administración: { $value }.
office-proc-err-invalid_unit = No es una unidad de plazo: { $value } (días hábiles, días naturales o meses).
office-proc-err-invalid_silence = No es un sentido del silencio: { $value } (positivo o negativo).
office-proc-err-invalid_url = No es una dirección web (https://…): { $value }.
office-proc-err-invalid_cnae_prefix = No es un prefijo CNAE (de 1 a 4 cifras): { $value }.
office-proc-err-unknown_organization = No existe esa organización: { $value }.
office-proc-err-unknown_template = No existe ese trámite del catálogo: { $value }.
office-proc-err-unknown_procedure = No es un trámite de este proyecto: { $value }.
office-proc-err-self_dependency = Un trámite no puede depender de sí mismo.
office-proc-err-dependency_cycle = Las dependencias forman un ciclo: { $value }.
office-proc-err-no_administration = Indique la administración que tramita el procedimiento: el catálogo no propone ninguna.
office-proc-err-already_added = El proyecto ya tiene este trámite: { $value }.
office-proc-err-no_items = Elija al menos un trámite.
office-proc-err-invalid_date = Fecha no válida: { $value } (use AAAA-MM-DD).
office-proc-err-date_in_future = La fecha no puede ser posterior a hoy.
office-proc-err-before_previous = La fecha no puede ser anterior a la del último paso del trámite ({ $value }).
office-proc-err-invalid_kind = No es un paso de un trámite: { $value }.
office-proc-err-invalid_status = No es un estado de trámite: { $value }.
office-proc-err-not_allowed = Ese paso no es posible ahora. Pasos posibles: { $value }.
office-proc-err-not_permitted = No le corresponde registrar ese paso. Pasos que puede registrar ahora: { $value }.
office-proc-err-term_not_passed = El silencio administrativo solo se aplica una vez vencido el plazo ({ $value }).
office-proc-err-unknown_document = No es un documento de este proyecto: { $value }.
office-proc-err-document_needs_file = Adjunte el documento con la subsanación.
office-proc-err-unknown_municipality = Municipio desconocido: { $value }.
office-proc-err-duplicate_holiday = Ese municipio ya tiene una fiesta local ese día.
office-proc-err-in_use = No se puede borrar: todavía se usa.
office-proc-none = ninguno

## The project's timeline
office-event-procedure_added = Trámite añadido: «{ $name_es }», ante { $administration }.
office-event-procedure_updated = Trámite modificado: «{ $name_es }» (ahora ante { $administration }).
office-event-procedure_removed = Trámite retirado: «{ $name_es }».
office-event-procedure_filed = «{ $name_es }»: solicitud presentada el { $on_date }.
office-event-procedure_complete = «{ $name_es }»: expediente completo el { $on_date }; el plazo vence el { $due_on }.
office-event-procedure_correction_requested = «{ $name_es }»: requerimiento de subsanación el { $on_date }; el plazo queda suspendido.
office-event-procedure_corrected = «{ $name_es }»: subsanación presentada el { $on_date }; el plazo se reanuda.
office-event-procedure_granted = «{ $name_es }»: concedido el { $on_date }.
office-event-procedure_denied = «{ $name_es }»: denegado el { $on_date }.
office-event-procedure_silence = «{ $name_es }»: resuelto por silencio { $silence ->
    [positive] positivo (concedido)
   *[negative] negativo (denegado)
} el { $on_date }.
office-event-procedure_note = «{ $name_es }»: nota del { $on_date }.

## The correction requested, as the investor's document request
proc-correction-title = Subsanación: { $name }

## E-mails
mail-proc-assigned-subject = Nuevo trámite asignado: { $procedure } (proyecto «{ $project }»)
mail-proc-assigned-text = La Oficina de atracción de inversiones le ha asignado el trámite «{ $procedure }» del proyecto «{ $project }». Desde la plataforma puede registrar cada paso del expediente; el plazo legal se calcula solo.
mail-proc-assigned-action = Ver el trámite
mail-proc-correction-subject = Le piden una subsanación: { $procedure } (proyecto «{ $project }»)
mail-proc-correction-text = { $administration } ha requerido una subsanación en el trámite «{ $procedure }» del proyecto «{ $project }». El plazo legal queda suspendido hasta que la presente.
mail-proc-correction-what = Lo que se pide: { $note }
mail-proc-correction-action = Presentar la subsanación
mail-proc-corrected-subject = Subsanación presentada: { $procedure } (proyecto «{ $project }»)
mail-proc-corrected-text = El inversor ha presentado la subsanación del trámite «{ $procedure }» del proyecto «{ $project }». El plazo legal se reanuda: ahora vence el { $due_on }.
mail-proc-corrected-action = Ver el trámite
mail-proc-event-subject = { $procedure } (proyecto «{ $project }»): { $event }
mail-proc-event-text = { $administration } ha registrado un paso en el trámite «{ $procedure }» del proyecto «{ $project }»: { $event }, con fecha { $on_date }.
mail-proc-event-due = El plazo legal vence el { $due_on }.
mail-proc-event-action = Ver el trámite
