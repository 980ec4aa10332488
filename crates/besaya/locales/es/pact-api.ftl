# pact-api (es): mensajes de validación del Pacto, motivos de la clasificación y correos.

pact-err-required = Este campo es obligatorio.
pact-err-too_long = Como máximo { $value } caracteres.
pact-err-control_chars = Contiene caracteres no permitidos.
pact-err-too_many = Como máximo { $value } elementos.
pact-err-invalid_kind = «{ $value }» no es un tipo de necesidad.
pact-err-invalid_status = «{ $value }» no es un estado de necesidad.
pact-err-unknown_cnae = { $value } no es una clase de la CNAE-2025.
pact-err-invalid_cpv = { $value } no es un código CPV (ocho cifras, guion y dígito de control: 45310000-3).
pact-err-invalid_recurrence = «{ $value }» no es una periodicidad válida.
pact-err-invalid_size_band = «{ $value }» no es un tamaño de empresa.
pact-err-unknown_municipality = { $value } no es un municipio de Cantabria.
pact-err-deadline_past = La fecha límite ({ $value }) ya ha pasado.
pact-err-invalid_date = «{ $value }» no es una fecha (AAAA-MM-DD).
pact-err-unknown_organization = No existe la organización { $value }.
pact-err-no_organization = Tu cuenta no pertenece a ninguna organización.
pact-err-unknown_broker = { $value } no es un usuario activo de la Oficina.
pact-err-not_administration = { $value } no es una administración.
pact-err-owner_invited = La empresa que plantea la necesidad no puede ser invitada a responderla.
pact-err-invalid_amount = { $value } no es un importe válido.
pact-err-amount_only_accepted = El importe solo se indica al aceptar una respuesta.
pact-err-too_many_files = Como máximo { $value } archivos por respuesta.
pact-err-file_required = Adjunta un archivo.
pact-err-invalid_target = { $value } no es un plazo válido (entre 1 y 365 días hábiles).
pact-err-not_allowed = No es posible ahora. Opciones posibles: { $value }.
pact-err-out_of_range = Fuera del intervalo permitido ({ $value }).

pact-api-anonymous-owner = Empresa de la comarca (anónima)

pact-api-size-micro = microempresa
pact-api-size-small = pequeña empresa
pact-api-size-medium = mediana empresa
pact-api-size-large = gran empresa

pact-api-reason-cnae-class = Misma clase de actividad (CNAE { $org }, se pide { $need }).
pact-api-reason-cnae-group = Mismo grupo de actividad (CNAE { $org }, se pide { $need }).
pact-api-reason-cnae-division = Misma división de actividad (CNAE { $org }, se pide { $need }).
pact-api-reason-cnae-section = Misma sección de actividad (CNAE { $org }, se pide { $need }).
pact-api-reason-text = { $count ->
    [one] Su descripción menciona «{ $words }».
   *[other] Su descripción menciona: { $words }.
}
pact-api-reason-certification = Tiene la certificación { $held } (se pide { $required }).
pact-api-reason-certification-until = Tiene la certificación { $held }, válida hasta el { $date } (se pide { $required }).
pact-api-reason-certification-expired = Su certificación { $held } caducó el { $date } (se pide { $required }).
pact-api-reason-certification-missing = No consta que tenga la certificación { $required }.
pact-api-reason-same-municipality = Está en el mismo municipio.
pact-api-reason-in-district = Está en la comarca del Besaya.
pact-api-reason-distance = Está a { $km } km.
pact-api-reason-size-fits = Es { $size } (se pide al menos { $required }).
pact-api-reason-size-too-small = Es { $size } y se pide al menos { $required }.
pact-api-reason-size-unknown = No consta su tamaño (se pide al menos { $required }).

pact-api-mail-invited-subject = Pacto Industrial: una empresa busca proveedores locales ({ $reference })
pact-api-mail-invited-text = La Oficina del Pacto Industrial os invita a responder a la necesidad { $reference }, «{ $title }»: creemos que vuestra organización podría atenderla.
pact-api-mail-invited-anonymous = La empresa que la plantea se mantiene anónima hasta que ambas partes acepten daros a conocer. Podéis expresar vuestro interés, hacer preguntas o adjuntar una oferta desde la plataforma.
pact-api-mail-invited-action = Ver la necesidad
pact-api-mail-interest-subject = Nueva expresión de interés en { $reference }
pact-api-mail-interest-text = { $candidate } ha expresado su interés en la necesidad { $reference }, «{ $title }».
pact-api-mail-interest-action = Ver las respuestas
pact-api-mail-released-subject = Ya podéis conoceros: { $reference }
pact-api-mail-released-text = Ambas partes han aceptado darse a conocer en la necesidad { $reference }, «{ $title }». La otra parte es { $other }.
pact-api-mail-released-action = Ver la necesidad
pact-api-mail-meeting-subject = Os proponen una reunión: { $reference }
pact-api-mail-meeting-text = La empresa que plantea la necesidad { $reference }, «{ $title }», quiere reunirse con vosotros. Si aceptáis daros a conocer, os pondremos en contacto.
pact-api-mail-meeting-action = Responder
pact-api-mail-accepted-subject = Vuestra respuesta ha sido aceptada: { $reference }
pact-api-mail-accepted-text = Enhorabuena: vuestra respuesta a la necesidad { $reference }, «{ $title }», ha sido aceptada. Dentro de tres y seis meses os preguntaremos cómo ha ido.
pact-api-mail-accepted-action = Ver la necesidad

pact-api-delete-has-needs = Esta organización tiene { $count ->
    [one] una necesidad o respuesta
   *[other] { $count } necesidades o respuestas
} del Pacto Industrial: fusiónala con otra en lugar de borrarla.
