## office-work: interactions, tasks with reminders, the private calendar feed
office-err-missing_value = Este dato es obligatorio.
office-err-unknown_kind = Tipo no válido: { $value }.
office-err-invalid_datetime = Fecha y hora no válidas: { $value } (use AAAA-MM-DD HH:MM).
office-err-not_on_team = { $value } no trabaja en este proyecto: añádalo antes al equipo.
office-event-interaction = { $kind ->
    [meeting] Reunión
    [call] Llamada
    [visit] Visita
    [email] Correo electrónico
   *[other] Interacción
} registrada: «{ $subject }».
office-event-interaction_updated = Interacción modificada: «{ $subject }».
office-event-interaction_deleted = Interacción eliminada: «{ $subject }».
office-event-task_created = Tarea nueva: «{ $title }», para el { $due_on }.
office-event-task_updated = Tarea modificada: «{ $title }», para el { $due_on }.
office-event-task_done = Tarea hecha: «{ $title }».
office-event-task_reopened = Tarea reabierta: «{ $title }».
office-event-task_deleted = Tarea eliminada: «{ $title }».
office-event-task_reminded = { $when ->
    [overdue] Aviso a { $to }: la tarea «{ $title }» está vencida.
   *[other] Aviso a { $to }: la tarea «{ $title }» vence mañana.
}
office-work-kind-meeting = Reunión
office-work-kind-call = Llamada
office-work-kind-visit = Visita
office-work-kind-email = Correo electrónico
office-work-kind-other = Otra
office-work-month-1 = enero
office-work-month-2 = febrero
office-work-month-3 = marzo
office-work-month-4 = abril
office-work-month-5 = mayo
office-work-month-6 = junio
office-work-month-7 = julio
office-work-month-8 = agosto
office-work-month-9 = septiembre
office-work-month-10 = octubre
office-work-month-11 = noviembre
office-work-month-12 = diciembre
office-work-date = { $day } de { $month } de { $year }
office-work-minutes = { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}
office-work-activity-title = Actividad de { $project }
office-work-restricted = Las interacciones y tareas de este proyecto solo las ven su responsable, su equipo y la administración.
office-work-open-tasks = Tareas pendientes
office-work-no-open-tasks = No hay tareas pendientes.
office-work-done-tasks = Tareas hechas
office-work-done-on = Hecha el
office-work-new-task = Añadir una tarea
office-work-add-task = Añadir la tarea
office-work-mark-done = Marcar como hecha
office-work-reopen = Reabrir
office-work-overdue = Vencida
office-work-actions = Acciones
office-work-task-conflict = Otra persona ha cambiado esta tarea mientras tanto. Revise cómo está ahora y vuelva a intentarlo.
office-work-f-title = Tarea
office-work-f-due_on = Fecha límite
office-work-f-owner_id = Responsable
office-work-f-notes = Notas
office-work-f-kind = Tipo
office-work-f-occurred_at = Fecha y hora
office-work-f-duration_minutes = Duración (minutos)
office-work-f-subject = Asunto
office-work-f-people = Participantes
office-work-f-location = Lugar
office-work-hint-date = Formato AAAA-MM-DD, por ejemplo 2026-12-31.
office-work-hint-when = Hora de Madrid. Formato AAAA-MM-DD HH:MM, por ejemplo 2026-12-01 10:30.
office-work-interactions = Interacciones
office-work-new-interaction = Registrar una interacción
office-work-log-interaction = Registrar la interacción
office-work-no-interactions = Todavía no hay interacciones registradas.
office-work-logged-by = Registrada por { $name }
office-work-my-tasks = Mis tareas pendientes
office-work-my-tasks-none = No tiene tareas pendientes.
office-work-my-tasks-count = { $count ->
    [one] 1 tarea pendiente
   *[other] { $count } tareas pendientes
}{ $overdue ->
    [0] .
    [one] , 1 vencida.
   *[other] , { $overdue } vencidas.
}
office-work-project = Proyecto
office-work-calendar-link = Ver sus tareas, reuniones y vencimientos de trámites en su calendario
office-work-account-calendar = Calendario privado (tareas, reuniones y plazos)
office-work-breadcrumb = Ruta
office-work-calendar-title = Calendario privado
office-work-calendar-intro = Suscríbase desde su aplicación de calendario (Outlook, Google Calendar, Calendario de Apple…) a una dirección privada que reúne sus tareas pendientes, las reuniones y visitas de sus proyectos y el día en que vence el plazo legal de cada trámite en curso que usted sigue. Las notas internas no se incluyen.
office-work-calendar-feed = Su dirección de calendario
office-work-calendar-none = Todavía no tiene una dirección de calendario.
office-work-calendar-since = Tiene una dirección de calendario creada el { $date }.
office-work-calendar-private = Quien conozca la dirección verá su calendario. Si cree que otra persona la conoce, sustitúyala por una nueva o revóquela.
office-work-calendar-create = Crear la dirección
office-work-calendar-replace = Sustituir por una dirección nueva
office-work-calendar-revoke = Revocar la dirección
office-work-calendar-new = Copie ahora esta dirección: no se volverá a mostrar. La anterior, si la había, ya no funciona.
office-work-calendar-address = Dirección del calendario
office-work-calendar-howto = En su aplicación de calendario, elija «Añadir calendario desde una URL» (o «Suscribirse») y pegue la dirección.
office-work-ics-name = Besaya · { $name }
office-work-ics-task = Tarea: { $title } ({ $project })
office-work-ics-interaction = { $kind }: { $subject } ({ $project })
office-work-ics-people = Participantes: { $people }
flash-work-interaction-saved = Interacción registrada.
flash-work-task-saved = Tarea añadida.
flash-work-task-done = Tarea marcada como hecha.
flash-work-task-reopened = Tarea reabierta.
flash-work-calendar-revoked = Dirección de calendario revocada: ya no funciona.
mail-task-due-subject = Tarea para mañana: { $title }
mail-task-due-text = La tarea «{ $title }» del proyecto { $project } vence mañana, { $due }.
mail-task-overdue-subject = Tarea vencida: { $title }
mail-task-overdue-text = La tarea «{ $title }» del proyecto { $project } venció el { $due } y sigue pendiente.
mail-task-action = Abrir el proyecto
mail-task-why = Recibe este aviso porque es responsable de la tarea. Cuando esté hecha, márquela como hecha en la plataforma.
