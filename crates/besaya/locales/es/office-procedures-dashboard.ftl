# Procedures (office-procedures-dashboard): the procedures' dashboard and their calendar entries.
proc-dash-title = Trámites: cuadro de mando
proc-dash-link = Trámites: tiempos de las administraciones y plazos vencidos
proc-dash-breadcrumb = Ruta de navegación
proc-dash-board = Tablero de proyectos
proc-dash-office-dashboard = Cuadro de mando de la Oficina
proc-dash-intro = Cifras a { $date }: el tiempo real que tarda cada administración en resolver, cuántos trámites resuelve dentro del plazo legal y cuáles han vencido sin resolución.
proc-dash-total = Todas las administraciones
proc-dash-pending = Sin presentar
proc-dash-in-progress = En curso
proc-dash-resolved = Resueltos
proc-dash-overdue = Vencidos sin resolver
proc-dash-median = Mediana hasta la resolución
proc-dash-within = Resueltos en plazo
proc-dash-median-value = { $days } días ({ $decisions ->
    [one] 1 resolución
   *[other] { $decisions } resoluciones
})
proc-dash-within-value = { $share } ({ $within } de { $resolved })
proc-dash-administrations = Por administración
proc-dash-administration = Administración
proc-dash-dir3 = DIR3 { $code }
proc-dash-none = Todavía no hay trámites en ningún proyecto.
proc-dash-within-chart = Porcentaje resuelto en plazo por administración
proc-dash-within-chart-note = Cada barra es una administración, en el orden de la tabla; la tabla da las cifras.
proc-dash-statuses = Trámites por estado
proc-dash-status = Estado
proc-dash-count = Trámites
proc-dash-overdue-list = Trámites con el plazo vencido
proc-dash-no-overdue = Ningún trámite tiene el plazo vencido.
proc-dash-overdue-more = Se muestran los { $shown } más atrasados de { $total }.
proc-dash-procedure = Trámite
proc-dash-project = Proyecto
proc-dash-due = Vencimiento
proc-dash-days-overdue = Retraso
proc-dash-days-overdue-value = { $days ->
    [one] 1 día
   *[other] { $days } días
}
proc-dash-silence = Si no se resuelve
proc-dash-silence-positive = Silencio positivo: se entiende concedido
proc-dash-silence-negative = Silencio negativo: se entiende denegado
proc-dash-note = La mediana cuenta días naturales desde que el expediente está completo hasta la resolución, sin los días en que el plazo estuvo suspendido por un requerimiento de subsanación. «En plazo»: resueltos el día del vencimiento o antes; una resolución por silencio llega después del vencimiento y no cuenta como en plazo. El retraso se cuenta en días naturales.
proc-dash-ics-due = Vence el plazo: { $procedure } («{ $project }»)
proc-dash-ics-administration = Administración: { $administration }
proc-dash-ics-file = Expediente: { $file }
proc-dash-ics-silence-positive = Si no hay resolución en plazo, el silencio es positivo: la solicitud se entiende concedida.
proc-dash-ics-silence-negative = Si no hay resolución en plazo, el silencio es negativo: la solicitud se entiende denegada.
