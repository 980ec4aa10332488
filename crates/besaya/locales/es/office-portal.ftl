## office-portal: documents, messages, invitations and the investor's portal

portal-breadcrumb = Ruta de navegación
portal-office = Oficina
portal-home-title = Mis proyectos
portal-home-intro = Siga aquí sus proyectos de inversión en la comarca del Besaya: en qué fase están, qué documentos le pide la Oficina y los emplazamientos propuestos. Y escriba a la Oficina cuando lo necesite.
portal-home-none = Todavía no tiene ningún proyecto asociado. Si la Oficina le ha invitado a uno, pídale que compruebe su organización.
portal-stage = Fase
portal-pending-docs = { $count ->
    [one] Falta un documento por enviar
   *[other] Faltan { $count } documentos por enviar
}
portal-pending-docs-none = No le falta ningún documento por enviar.
portal-pending-sites = { $count ->
    [one] Un emplazamiento propuesto espera su opinión
   *[other] { $count } emplazamientos propuestos esperan su opinión
}
portal-write-office = Escribir a la Oficina

portal-stage-title = Fase del proyecto
portal-stage-now = El proyecto está en la fase «{ $stage }».
portal-stage-on-hold = El proyecto está en pausa. La Oficina le avisará cuando se retome.
portal-stage-lost = El proyecto está cerrado sin implantación. Si quiere retomarlo, escriba a la Oficina.
portal-step-current = fase actual
portal-step-stopped = se detuvo aquí
portal-step-done = hecha
portal-checklist-title = Documentos pedidos
portal-checklist-none = La Oficina no le ha pedido ningún documento.
portal-checklist-go = Enviar documentos
portal-sites-title = Emplazamientos propuestos
portal-sites-none = La Oficina todavía no le ha propuesto emplazamientos.
portal-sites-count = { $count ->
    [one] La Oficina le ha propuesto un emplazamiento.
   *[other] La Oficina le ha propuesto { $count } emplazamientos.
}
portal-sites-go = Ver los emplazamientos
portal-recent-title = Novedades
portal-recent-none = Todavía no hay novedades.
portal-event-other = Novedad en el proyecto.

portal-docs-title = Documentos
portal-docs-none-office = Este proyecto todavía no tiene documentos. Pida uno al inversor o suba uno de la Oficina.
portal-requested-title = Documentos que le pide la Oficina
portal-requested-intro = Suba cada documento en PDF, imagen (PNG o JPEG), Word, Excel u OpenDocument; como máximo { $max } MB por archivo. Mientras la Oficina no lo acepte, puede sustituirlo subiendo otro.
portal-shared-title = Documentos de la Oficina
portal-shared-none = La Oficina todavía no ha compartido documentos con usted.
portal-doc = Documento
portal-doc-status = Estado
portal-doc-status-requested = Pendiente de envío
portal-doc-status-uploaded = Enviado, en revisión
portal-doc-status-accepted = Aceptado
portal-doc-status-rejected = Rechazado
portal-doc-internal = Interno de la Oficina
portal-doc-overdue = Fuera de plazo
portal-doc-due = Fecha límite
portal-doc-no-due = Sin fecha
portal-doc-file = Archivo
portal-doc-uploaded = Subido
portal-doc-uploaded-by = { $when }, por { $name }
portal-doc-comment = Comentario de la Oficina
portal-doc-origin-request = (pedido al inversor)
portal-doc-origin-office = (de la Oficina)
portal-doc-waiting-review = La Oficina lo está revisando.
portal-doc-upload-again = La Oficina lo ha rechazado: súbalo de nuevo teniendo en cuenta su comentario.
portal-doc-conflict-title = No se ha guardado
portal-doc-conflict = Otra persona ha cambiado este documento mientras tanto. Vea su estado actual e inténtelo de nuevo.
portal-doc-already-accepted = Este documento ya está aceptado: su archivo no puede sustituirse.
portal-doc-not-reviewable = Solo puede revisarse un documento enviado y pendiente de revisión.
portal-upload-label = Subir «{ $title }»
portal-upload-file = Archivo
portal-upload-replace = Sustituir el archivo
portal-upload-on-behalf = Subir el archivo en nombre del inversor
portal-upload-hint = PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods); como máximo { $max } MB.
portal-upload-button = Subir
portal-review-label = Revisar «{ $title }»
portal-review-legend = Revisión
portal-review-accept = Aceptar
portal-review-reject = Rechazar
portal-review-comment = Comentario para el inversor
portal-review-comment-hint = Obligatorio al rechazar: diga qué falta o qué hay que corregir.
portal-review-button = Guardar la revisión
portal-request-title = Pedir un documento al inversor
portal-request-intro = El inversor lo verá en su lista de documentos pendientes, con la fecha límite, salvo que lo marque como interno.
portal-request-button = Pedir el documento
portal-own-title = Subir un documento de la Oficina
portal-own-intro = Un informe, una ficha o un borrador para compartir con el inversor, o interno de la Oficina. No necesita revisión.
portal-own-title-hint = Si lo deja en blanco, se usa el nombre del archivo.
portal-own-internal-hint = Los documentos internos no se muestran al inversor.
portal-own-button = Subir el documento
portal-f-title = Título
portal-f-description = Descripción
portal-f-description-hint = Qué se necesita y cualquier indicación útil.
portal-f-due_on = Fecha límite
portal-f-internal = Interno de la Oficina (el inversor no lo ve)
portal-f-internal-hint = Un documento interno es solo para la Oficina.
portal-f-name = Nombre
portal-f-email = Correo electrónico
portal-f-lang = Idioma de la cuenta

portal-people-title = Personas del inversor en el portal
portal-people-intro = Estas personas de { $org } pueden seguir el proyecto en el portal del inversor.
portal-people-none = Nadie del inversor tiene todavía acceso al portal.
portal-people-no-org = Para invitar al inversor al portal, indique antes su organización en los datos del proyecto.
portal-people-no-org-link = Editar el proyecto
portal-people-state = Estado
portal-person-active = Con acceso
portal-person-invited = Invitación enviada; aún sin contraseña
portal-person-inactive = Desactivada
portal-invite-title = Invitar a una persona del inversor
portal-invite-intro = Recibirá un correo con un enlace para elegir su contraseña y entrar en el portal, donde verá solo los proyectos de su organización.
portal-invite-button = Enviar la invitación

portal-messages-title = Mensajes
portal-messages-intro-investor = Sus mensajes con la Oficina sobre este proyecto. La Oficina recibe un aviso por correo de cada mensaje nuevo.
portal-messages-intro-office = La conversación con el inversor. Las personas del inversor reciben un aviso por correo de cada mensaje de la Oficina.
portal-messages-none = Todavía no hay mensajes.
portal-message-label = Mensaje de { $author }, { $when }
portal-side-investor = Inversor
portal-side-office = Oficina
portal-message-write = Escribir un mensaje
portal-message-body = Mensaje
portal-message-hint-investor = Como máximo 5000 caracteres. Lo leerán las personas de la Oficina que llevan el proyecto.
portal-message-hint-office = Como máximo 5000 caracteres. Lo leerán las personas del inversor.
portal-message-send = Enviar
portal-message-read-only = Puede leer la conversación, pero solo las personas asignadas al proyecto pueden escribir.
portal-restricted = Este proyecto es confidencial: sus documentos y mensajes solo los ven las personas asignadas a él.

portal-err-required = Este dato es obligatorio.
portal-err-too_long = Como máximo { $value } caracteres.
portal-err-control_chars = Contiene caracteres no permitidos.
portal-err-invalid_date = Fecha no válida: { $value } (use AAAA-MM-DD).
portal-err-invalid_choice = Opción no válida: { $value }.
portal-err-comment_required = Al rechazar un documento, explique el motivo.
portal-err-file_required = Elija un archivo.
portal-err-too_large = El archivo ocupa más de { $value } MB.
portal-err-wrong_type = Este tipo de archivo no se admite. Se admiten: { $value }.
portal-err-invalid_version = Versión no válida: { $value }.
portal-err-invalid_email = No es una dirección de correo válida: { $value }.
portal-err-invalid_lang = Idioma no válido: { $value } (es o en).
portal-err-email_taken = Esta dirección ya pertenece a otra cuenta.
portal-err-not_investor = Esta dirección pertenece a una cuenta que no es de inversor; pida al administrador que lo revise.
portal-err-inactive_user = La cuenta de esta dirección está desactivada; pida al administrador que la reactive.
portal-err-no_investor_organisation = El proyecto no tiene organización inversora: indíquela antes en los datos del proyecto.

flash-portal-doc-requested = Documento pedido al inversor.
flash-portal-doc-uploaded = Documento subido.
flash-portal-doc-accepted = Documento aceptado.
flash-portal-doc-rejected = Documento rechazado; el inversor verá su comentario.
flash-portal-invited = Invitación enviada.
flash-portal-linked = Esa persona ya tenía cuenta de inversor: ahora también puede seguir este proyecto y se le ha avisado por correo.
flash-portal-already-linked = Esa persona ya tenía acceso a este proyecto: no ha cambiado nada.
flash-portal-message-sent = Mensaje enviado.

portal-mail-invite-subject = Siga su proyecto «{ $project }» en Besaya
portal-mail-invite-text = { $inviter }, de la Oficina Comarcal de Atracción de Inversiones del Besaya, le invita al portal del inversor para seguir el proyecto «{ $project }». Para activar su cuenta, elija una contraseña:
portal-mail-invite-what = En el portal verá la fase del proyecto, los documentos que le pide la Oficina y los emplazamientos propuestos, y podrá escribir a la Oficina.
portal-mail-invite-action = Activar mi cuenta
portal-mail-access-subject = Ya puede seguir el proyecto «{ $project }» en Besaya
portal-mail-access-text = { $inviter }, de la Oficina Comarcal de Atracción de Inversiones del Besaya, le ha dado acceso al proyecto «{ $project }» en el portal del inversor. Entre con su cuenta de siempre:
portal-mail-access-action = Abrir el proyecto
portal-mail-message-subject = Nuevo mensaje sobre el proyecto «{ $project }»
portal-mail-message-text-investor = { $author }, de la Oficina, le ha escrito un mensaje sobre el proyecto «{ $project }». Para leerlo y contestar:
portal-mail-message-text-office = { $author } (inversor) ha escrito un mensaje sobre el proyecto «{ $project }». Para leerlo y contestar:
portal-mail-message-action = Leer el mensaje
portal-mail-message-after = Por confidencialidad, el mensaje no se copia en este correo.

office-event-document_requested = La Oficina ha pedido el documento «{ $title }».
office-event-document_uploaded = Documento subido: «{ $title }».
office-event-document_reviewed = Documento «{ $title }» { $status ->
    [accepted] aceptado
   *[rejected] rechazado
}.
office-event-message = Mensaje de { $author }.
office-event-investor_invited = { $outcome ->
    [linked] { $name } ({ $email }), que ya tenía cuenta de inversor, tiene ahora acceso al proyecto en el portal.
   *[invited] Invitación al portal del inversor enviada a { $name } ({ $email }).
}
