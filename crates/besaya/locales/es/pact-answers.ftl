# The Pact (pact-answers): invitations, the candidate's answer (expression of
# interest, offer, attachments, consent), the owner's and the office's view of an
# answer, and the answers table of a need's page.

pact-ans-status-invited = Invitada
pact-ans-status-declined = Declinada
pact-ans-status-interested = Interesada
pact-ans-status-shortlisted = Preseleccionada
pact-ans-status-meeting = Reunión solicitada
pact-ans-status-accepted = Aceptada
pact-ans-status-rejected = Descartada
pact-ans-move-shortlisted = Preseleccionar
pact-ans-move-meeting = Pedir una reunión
pact-ans-move-accepted = Aceptar
pact-ans-move-rejected = Descartar
pact-ans-candidate-n = Candidato { $n }

## Invitations
pact-ans-invitations-title = Invitaciones a responder
pact-ans-invitations-intro = Las necesidades a las que la Oficina ha invitado a su organización, con el estado de su respuesta.
pact-ans-invitations-none = Su organización no tiene invitaciones por ahora.
pact-ans-col-invited = Invitada el
pact-ans-col-status = Su respuesta

## One answer
pact-ans-title-candidate = Responder: { $title }
pact-ans-title-owner = Respuesta de { $candidate }
pact-ans-your-status = Estado de la respuesta:
pact-ans-the-need = La necesidad
pact-ans-candidate = Quién responde
pact-ans-f-need = Necesidad
pact-ans-identities = Identidades
pact-ans-released = Identidades reveladas: ambas partes lo han aceptado.
pact-ans-not-released = Todavía no reveladas: hace falta que ambas partes lo acepten.
pact-ans-interest-title = Expresar interés
pact-ans-interest-intro = Cuente qué propone, qué necesita saber y quién es. La Oficina lo hará llegar a la empresa; su nombre solo se le revelará si ambas partes lo aceptan.
pact-ans-f-proposal = Qué proponemos
pact-ans-hint-proposal = Obligatorio. Cómo respondería a la necesidad: solución, capacidad, plazos.
pact-ans-f-questions = Qué necesitamos saber
pact-ans-hint-questions = Las preguntas que tenga para preparar una oferta.
pact-ans-f-presentation = Quiénes somos
pact-ans-hint-presentation = Experiencia, medios y referencias, sin datos que no quiera compartir todavía.
pact-ans-offer = Oferta (opcional)
pact-ans-hint-offer = Si ya puede hacer una oferta, descríbala y, si quiere, indique un importe. Podrá adjuntar documentos después de enviar.
pact-ans-f-offer-text = Oferta
pact-ans-f-offer-amount = Importe de la oferta (€)
pact-ans-f-consent = Aceptamos que la empresa conozca nuestra identidad
pact-ans-hint-consent = Las identidades solo se revelan cuando ambas partes lo aceptan. Puede hacerlo ahora o más adelante.
pact-ans-send-interest = Enviar la expresión de interés
pact-ans-decline-intro = Si su organización no puede responder, dígalo: así la Oficina podrá buscar a otras.
pact-ans-decline = No podemos responder
pact-ans-sent-title = Lo que enviamos
pact-ans-received-title = Expresión de interés
pact-ans-files-title = Documentos adjuntos
pact-ans-files-none = No hay documentos adjuntos.
pact-ans-f-file = Adjuntar un documento
pact-ans-hint-file = PDF, imagen u hoja de cálculo o texto de oficina, hasta { $mb } MB.
pact-ans-upload = Subir el documento
pact-ans-next-title = Siguientes pasos
pact-ans-consent = Aceptar revelar nuestra identidad
pact-ans-consent-intro-candidate = La empresa conocerá el nombre de su organización, y usted el suyo, cuando ambas partes lo acepten.
pact-ans-consent-intro-owner = Quien responde conocerá el nombre de la empresa, y la empresa el suyo, cuando ambas partes lo acepten.
pact-ans-f-amount = Importe adjudicado (€, opcional)
pact-ans-hint-amount = Solo al aceptar: el importe adjudicado en la comarca.
pact-ans-table-title = Respuestas
pact-ans-table-none = Todavía no se ha invitado a ninguna organización.
pact-ans-col-candidate = Candidato
pact-ans-col-state = Estado
pact-ans-their-proposal = Qué propone
pact-ans-their-questions = Qué necesita saber
pact-ans-their-presentation = Quién es
pact-ans-col-answered = Respondió el
pact-ans-col-actions = Acciones
pact-ans-not-yet = Aún no ha respondido
pact-ans-score = Puntuación al invitar: { $score }
pact-ans-conflict = Esta respuesta ha cambiado mientras la miraba. Se muestra como está ahora: vuelva a intentarlo.
pact-ans-err-file = Elija un documento para subir.
pact-ans-err-move = Ese paso no es posible ahora. Pasos posibles: { $allowed }.

flash-pact-ans-interest = Expresión de interés enviada. La Oficina la hará llegar a la empresa.
flash-pact-ans-declined = Ha indicado que su organización no puede responder.
flash-pact-ans-moved = Estado de la respuesta actualizado.
flash-pact-ans-consent = Consentimiento registrado.
flash-pact-ans-file = Documento adjuntado.
