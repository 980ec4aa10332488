# Besaya — catálogo en español (idioma por defecto).
lang-name = Español
lang-switch = English
lang-switch-label = Cambiar de idioma
skip-to-content = Saltar al contenido
brand-subtitle = Plataforma industrial de la comarca del Besaya
nav-label = Navegación principal
nav-home = Inicio
nav-api = API y datos abiertos
footer-text = Besaya es la plataforma del plan de reindustrialización de la comarca del Besaya (Torrelavega, Cantabria), impulsado por el Clúster de la Industria del Besaya y la Cámara de Comercio de Torrelavega.
footer-api = Documentación de la API
footer-license = Datos abiertos con licencia CC BY 4.0

home-title = Inicio
home-heading = Industria del Besaya: invertir, colaborar y crecer
home-lead = Una sola plataforma para la Oficina Comarcal de Atracción de Inversiones Industriales, el Pacto Industrial de la Comarca del Besaya, las empresas locales, los inversores, los centros de formación y la ciudadanía.
home-modules = Qué encontrará aquí
home-coming-soon = Próximamente

module-office-title = Oficina de atracción de inversiones
module-office-text = Acompañamiento integral al inversor: consulta, búsqueda de suelo, trámites ante cada administración con sus plazos legales, financiación, construcción y posventa.
module-pact-title = Pacto Industrial
module-pact-text = Las necesidades de las grandes empresas, respondidas rápido por empresas y administraciones locales; mesas de trabajo, acuerdos y compromisos con su seguimiento.
module-sites-title = Suelo y naves industriales
module-sites-text = Parcelas, naves y polígonos en un mapa, con superficie, usos, potencia eléctrica disponible, precio y fecha de disponibilidad.
module-directory-title = Directorio de organizaciones
module-directory-text = Empresas, administraciones, asociaciones, sindicatos y centros de formación e investigación, con su actividad CNAE y sus capacidades.
module-skills-title = Empleo y formación
module-skills-text = Las necesidades de talento frente a la oferta formativa: dónde faltan perfiles y qué cursos los cubren.
module-plan-title = Plan y fondos europeos
module-plan-text = Objetivos, líneas, programas y actuaciones del plan, con su presupuesto por fuente de financiación e indicadores FEDER y FSE+ calculados con datos reales.
module-opendata-title = API y datos abiertos
module-opendata-text = Una API JSON documentada con OpenAPI y datos abiertos con licencia CC BY 4.0: suelo industrial en GeoJSON y CSV, clasificaciones CNAE y municipios de Cantabria.

error-404-title = Página no encontrada
error-404-text = La dirección que ha abierto no existe o ha cambiado. Compruebe el enlace o vuelva al inicio.
error-500-title = Error interno
error-500-text = Algo ha fallado en el servidor. Ya ha quedado registrado; inténtelo de nuevo en unos minutos.
error-home-link = Volver al inicio

api-docs-title = Documentación de la API
api-docs-intro = Todas las operaciones de la API JSON de Besaya, generadas a partir del código. El documento OpenAPI 3.1 está en
api-docs-noscript = Para navegar por la documentación hace falta JavaScript; el documento OpenAPI se puede descargar sin él.

error-403-title = Acceso no permitido
error-403-text = No tiene permiso para ver esta página o hacer esta acción. Si cree que debería tenerlo, hable con la Oficina. Si venía de un formulario, vuelva a cargarlo e inténtelo de nuevo.
error-400-title = Solicitud no válida
error-400-text = El formulario llegó incompleto o dañado. Vuelva a cargar la página e inténtelo de nuevo.
error-413-title = Envío demasiado grande
error-413-text = Lo que ha enviado supera el tamaño máximo permitido.

nav-users = Usuarios
nav-audit = Registro de cambios
nav-jobs = Tareas en segundo plano
nav-login = Iniciar sesión
nav-logout = Cerrar sesión

role-admin = Administración
role-staff = Personal de la Oficina
role-pact_member = Miembro del Pacto
role-company = Empresa
role-investor = Inversor
role-training_centre = Centro de formación

form-errors-title = Revise los datos marcados
field-email = Correo electrónico
field-email-invalid = Escriba una dirección de correo electrónico válida, por ejemplo nombre@empresa.es.
field-email-taken = Ya hay un usuario con esta dirección de correo electrónico.
field-password = Contraseña
field-new-password = Contraseña nueva
field-confirm-password = Repita la contraseña nueva
field-current-password = Contraseña actual
field-name = Nombre
field-name-invalid = Escriba un nombre de 1 a 200 caracteres.
field-lang = Idioma
field-lang-invalid = Elija español o inglés.
field-role = Perfil
field-role-invalid = Elija uno de los perfiles de la lista.
field-self-demote = No puede quitarse a sí mismo el perfil de administración ni desactivar su propia cuenta.
field-tax-ids = NIF de las organizaciones
field-tax-ids-hint = Opcional. Las organizaciones en nombre de las que actúa, separadas por comas (por ejemplo B39000013).
field-tax-ids-unknown = No hay ninguna organización registrada con el NIF { $tax_id }.
field-token-name = Nombre del token
field-token-name-invalid = Escriba un nombre de 1 a 100 caracteres para reconocer el token.
password-hint = Al menos 10 caracteres. Una frase fácil de recordar es una buena contraseña.
password-too-short = La contraseña debe tener al menos 10 caracteres.
password-too-long = La contraseña no puede tener más de 256 caracteres.
password-too-common = Esa contraseña es demasiado común o sencilla; elija otra.
password-contains-email = La contraseña no puede contener su dirección de correo electrónico.
password-mismatch = Las dos contraseñas no coinciden.
password-current-wrong = La contraseña actual no es correcta.

login-title = Iniciar sesión
login-submit = Entrar
login-forgot = ¿Ha olvidado su contraseña?
login-invalid = El correo electrónico o la contraseña no son correctos.
login-throttled = Demasiados intentos fallidos. Por seguridad, espere { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
} antes de volver a intentarlo.
back-to-login = Volver a iniciar sesión

forgot-title = Restablecer la contraseña
forgot-intro = Escriba el correo electrónico de su cuenta y le enviaremos un enlace para elegir una contraseña nueva.
forgot-submit = Enviar el enlace
forgot-sent-title = Revise su correo
forgot-sent-text = Si hay una cuenta con esa dirección, acabamos de enviarle un enlace para elegir una contraseña nueva. Caduca en una hora.
reset-title = Elegir una contraseña nueva
reset-intro = Escriba su nueva contraseña. Al guardarla se cerrarán todas sus sesiones abiertas.
invitation-title = Bienvenida a Besaya
invitation-intro = Elija una contraseña para activar su cuenta.
set-password-submit = Guardar la contraseña
link-invalid-title = Enlace no válido
link-invalid-text = Este enlace ya se ha usado o ha caducado. Puede pedir uno nuevo.

account-title = Mi cuenta
account-profile = Datos personales
account-password = Contraseña
account-change-password = Cambiar la contraseña
save = Guardar
conflict-text = Otra persona ha modificado estos datos mientras los editaba. Se muestran los datos actuales: revíselos y vuelva a guardar.
tokens-title = Tokens de la API
tokens-intro = Un token permite a un programa usar la API en su nombre (cabecera Authorization: Bearer). Trátelo como una contraseña.
tokens-new = Copie ahora este token: no se volverá a mostrar.
tokens-created = Creado
tokens-last-used = Último uso
tokens-active = Activo
tokens-revoked = Revocado
tokens-revoke = Revocar
tokens-create = Crear un token
never = Nunca
status = Estado
actions = Acciones
sessions-title = Sesiones
sessions-intro = Si ha usado su cuenta en otro equipo o cree que alguien más puede usarla, cierre todas las sesiones abiertas.
sessions-revoke-all = Cerrar la sesión en todos los dispositivos

users-title = Usuarios
users-invite = Invitar a un usuario
users-edit = Editar usuario
users-back = Volver a la lista de usuarios
users-none = No hay usuarios que coincidan con la búsqueda.
users-send-invitation = Enviar la invitación
users-pending-invitation = Este usuario todavía no ha aceptado la invitación.
users-resend = Reenviar la invitación
user-active = Activo
user-inactive = Desactivado
user-invited = Invitado
search = Buscar
filter = Filtrar
all = Todos
next-page = Página siguiente

audit-title = Registro de cambios
audit-actor = Usuario
audit-entity = Elemento
audit-action = Acción
audit-at = Fecha y hora (UTC)
audit-changes = Cambios
audit-from = Desde
audit-to = Hasta
audit-none = No hay cambios registrados con esos filtros.
audit-system = Sistema
audit-bad-date = Escriba las fechas como AAAA-MM-DD.

jobs-title = Tareas en segundo plano
jobs-intro = Los envíos de correo y otras tareas se hacen en segundo plano y se reintentan si fallan. Las que fallan definitivamente aparecen primero.
jobs-none = No hay tareas.
jobs-kind = Tipo
jobs-attempts = Intentos
jobs-run-at = Programada
jobs-error = Último error
jobs-retry = Reintentar
job-status-pending = Pendientes
job-status-running = En curso
job-status-done = Hechas
job-status-failed = Fallidas

flash-logged-out = Ha cerrado la sesión.
flash-logged-out-everywhere = Se han cerrado todas sus sesiones.
flash-password-set = Contraseña guardada. Ya puede iniciar sesión.
flash-password-changed = Contraseña cambiada. Sus otras sesiones se han cerrado.
flash-profile-saved = Datos guardados.
flash-saved = Cambios guardados.
flash-token-revoked = Token revocado.
flash-user-invited = Invitación enviada.
flash-job-retried = La tarea volverá a intentarse enseguida.

mail-greeting = Hola, { $name }:
mail-signature = Oficina Comarcal de Atracción de Inversiones Industriales del Besaya
mail-ignore = Si no esperaba este mensaje, puede ignorarlo.
mail-invite-subject = Invitación a Besaya, la plataforma industrial del Besaya
mail-invite-text = { $inviter } le ha invitado a Besaya, la plataforma del plan de reindustrialización de la comarca del Besaya. Para activar su cuenta, elija una contraseña:
mail-invite-action = Activar mi cuenta
mail-invite-expiry = El enlace caduca en 7 días y solo puede usarse una vez.
mail-reset-subject = Restablecer su contraseña de Besaya
mail-reset-text = Hemos recibido una solicitud para restablecer la contraseña de su cuenta. Para elegir una nueva:
mail-reset-action = Elegir una contraseña nueva
mail-reset-expiry = El enlace caduca en una hora y solo puede usarse una vez.

## Directorio de organizaciones
nav-directory = Directorio
dir-title = Directorio de organizaciones
dir-new = Nueva organización
dir-edit = Editar organización
dir-create = Registrar organización
dir-import = Importar hoja de cálculo
dir-search = Buscar
dir-search-hint = Nombre, capacidades o actividad: «soldadura», «fundición»…
dir-filter-cnae = Actividad (CNAE)
dir-filter-cnae-hint = Sección (C), división (24), grupo (24.5) o clase (24.51)
dir-filter-certification = Certificación vigente
dir-filter-district = Solo la comarca del Besaya
dir-filter-invalid-kind = Ese tipo de organización no existe.
dir-filter-invalid-cnae = Escriba una sección (una letra) o un código CNAE de 2 a 4 cifras.
dir-filter-invalid-size_band = Ese tamaño no existe.
dir-filter-invalid-q = La búsqueda admite como mucho 200 caracteres.
dir-sort = Ordenar por
sort-relevance = Relevancia
sort-name = Nombre
sort-employees = Plantilla (mayor primero)
sort-updated = Últimos cambios
dir-count = { $count ->
    [one] 1 organización
   *[other] { $count } organizaciones
}
dir-export-csv = Exportar a CSV
dir-export-xlsx = Exportar a Excel (XLSX)
dir-none = Ninguna organización coincide con la búsqueda.
dir-activity = Actividad principal
dir-activities = Actividades
dir-pact-tag = Pacto
dir-primary = principal
dir-in-district = comarca del Besaya
dir-location = Ubicación
dir-no-certifications = Sin certificaciones registradas.
dir-updated = Última actualización: { $date }
dir-back = Volver al directorio
dir-back-record = Volver a la ficha
dir-delete = Eliminar organización
dir-conflict-text = Otra persona ha guardado cambios en esta organización mientras la editaba. Sus datos siguen en el formulario; compare con lo guardado ahora y vuelva a guardar si quiere mantener los suyos.
dir-existing = Ya existe una organización con este NIF:
dir-section-identity = Identificación
dir-section-place = Ubicación
dir-section-size = Tamaño
dir-section-profile = Perfil
dir-section-contact = Contacto
pager-label = Páginas
prev-page = Página anterior
page-of = Página { $page }
edit = Editar
yes = Sí
no = No
unknown = Sin dato
conflict-title = Cambios de otra persona
conflict-field = Campo
conflict-stored = Guardado ahora
conflict-yours = Lo suyo
delete-err-users = { $count ->
    [one] No se puede eliminar: 1 usuario pertenece a esta organización. Fusiónela con otra o cambie antes su usuario.
   *[other] No se puede eliminar: { $count } usuarios pertenecen a esta organización. Fusiónela con otra o cambie antes sus usuarios.
}
field-org-name = Razón social
field-trade-name = Nombre comercial
field-kind = Tipo
field-tax-id = NIF
field-tax-id-hint = NIF/CIF/NIE español, o número de IVA extranjero con el prefijo del país (DE123456789).
field-dir3 = Código DIR3 (administraciones)
field-cnae-version = Clasificación
field-cnae-hint = Escriba el código o parte del nombre de la actividad y elija de la lista. La primera es la actividad principal.
field-cnae-primary = Actividad principal (CNAE)
field-cnae-n = Actividad { $n } (CNAE)
field-cnae-other = Segunda actividad
field-municipality = Municipio
field-address = Dirección
field-lat = Latitud
field-lon = Longitud
field-employees = Plantilla (personas)
field-size-band = Tamaño de empresa
field-size-band-hint = Según la definición de la UE; si lo deja en automático, se calcula por la plantilla.
size-auto = Automático (por la plantilla)
size-micro = Microempresa
size-small = Pequeña
size-medium = Mediana
size-large = Grande
field-description = Descripción
field-capabilities = Capacidades (qué fabrica y qué sabe hacer)
field-certifications = Certificaciones
field-certifications-hint = Una por línea: norma | número | entidad | caducidad (AAAA-MM-DD). Por ejemplo: ISO 9001:2015 | ES-0123/2019 | AENOR | 2027-05-31
field-website = Web
field-phone = Teléfono
field-pact-member = Miembro del Pacto Industrial
cert-name = Norma
cert-number = Número
cert-issuer = Entidad
cert-expires = Caducidad
cert-expired = caducada
kind-company = Empresa
kind-administration = Administración pública
kind-business_association = Organización empresarial
kind-union = Sindicato
kind-training_centre = Centro de formación
kind-research_centre = Centro de investigación
kind-investor = Inversor
kind-other = Otra
merge-title = Fusionar un duplicado
merge-candidates = Posibles duplicados con el mismo nombre:
merge-from = NIF del registro duplicado
merge-hint = Sus usuarios y referencias pasarán a esta ficha, se completarán los datos que aquí faltan y el duplicado se eliminará. Queda registrado en la auditoría.
merge-button = Fusionar en esta ficha
merge-err-same = No se puede fusionar una organización consigo misma.
merge-err-unknown = No hay ninguna organización con ese NIF.
flash-org-created = Organización registrada.
flash-org-merged = Duplicado fusionado en esta ficha.
flash-org-deleted = Organización eliminada.
org-err-required = Este dato es obligatorio.
org-err-too_long = Demasiado largo: como mucho { $value } caracteres.
org-err-control_chars = Contiene caracteres de control no permitidos.
org-err-invalid_kind = «{ $value }» no es un tipo de organización.
org-err-invalid_tax_id = «{ $value }» no es un NIF/CIF/NIE válido ni un IVA extranjero con prefijo de país.
org-err-tax_id_control = El carácter de control de «{ $value }» no es correcto: revise el NIF.
org-err-duplicate_tax_id = Ya hay una organización registrada con este NIF.
org-err-invalid_cnae_version = «{ $value }» no es una clasificación: use 2025 o 2009.
org-err-invalid_cnae = «{ $value }» no tiene forma de código CNAE (por ejemplo 24.51).
org-err-unknown_cnae = El código { $value } no existe en la clasificación.
org-err-duplicate_cnae = La actividad { $value } está repetida.
org-err-too_many = Demasiados elementos: como mucho { $value }.
org-err-unknown_municipality = «{ $value }» no es un municipio de Cantabria (código INE de 5 cifras).
org-err-lat_lon_pair = Indique latitud y longitud a la vez, o ninguna.
org-err-lat_range = La latitud va de -90 a 90.
org-err-lon_range = La longitud va de -180 a 180.
org-err-employees_range = La plantilla es un número entero de 0 en adelante.
org-err-invalid_size_band = «{ $value }» no es un tamaño: micro, small, medium o large.
org-err-size_band_too_small = Con { $value } personas en plantilla la empresa no puede tener ese tamaño (la UE fija el techo por plantilla).
org-err-invalid_date = «{ $value }» no es una fecha AAAA-MM-DD.
org-err-invalid_website = «{ $value }» no es una dirección web (https://…).
org-err-invalid_email = «{ $value }» no es un correo electrónico válido.
org-err-invalid_phone = «{ $value }» no es un teléfono (de 6 a 15 cifras).
org-err-invalid_dir3 = «{ $value }» no es un código DIR3 (9 caracteres, como L01390875).
org-err-number = Escriba un número (con coma o punto decimal).
org-err-integer = Escriba un número entero.
cert-err-no-name = A la certificación { $n } le falta el nombre de la norma.
cert-err-too-many-parts = La certificación { $n } tiene más de cuatro partes: norma | número | entidad | caducidad.
cert-err-bad-date = La caducidad de la certificación { $n } no es una fecha AAAA-MM-DD.
import-title = Importar organizaciones
import-intro = Suba un CSV (UTF-8 o Windows-1252, separado por comas o punto y coma) o un XLSX con las columnas de la plantilla. Primero se comprueba cada fila; no se importa nada hasta que el archivo está limpio, y entonces se importa todo de una vez. Las filas con un NIF ya registrado actualizan esa organización.
import-template = Descargar la plantilla (CSV)
import-file = Archivo
import-file-hint = CSV o XLSX, hasta { $max } MB.
import-check = Comprobar el archivo
import-checking = Comprobando el archivo…
import-committing = Importando…
import-progress = Progreso
import-clean = { $rows ->
    [one] El archivo está limpio: 1 fila válida.
   *[other] El archivo está limpio: { $rows } filas válidas.
}
import-new = { $count ->
    [one] 1 nueva.
   *[other] { $count } nuevas.
}
import-updates = { $count ->
    [one] 1 actualización.
   *[other] { $count } actualizaciones.
}
import-commit = { $rows ->
    [one] Importar la fila
   *[other] Importar las { $rows } filas
}
import-errors = { $count ->
    [one] 1 error en el archivo
   *[other] { $count } errores en el archivo
}
import-nothing = No se ha importado nada. Corrija las filas indicadas y vuelva a subir el archivo.
import-report = Informe de errores
import-download-report = Descargar el informe (CSV)
import-more-in-report = Se muestran los 500 primeros; el informe descargable los tiene todos.
import-again = Subir otro archivo
import-ignored = Columnas que no se han usado:
import-done-new = { $count ->
    [one] 1 organización nueva.
   *[other] { $count } organizaciones nuevas.
}
import-done-updated = { $count ->
    [one] 1 actualizada.
   *[other] { $count } actualizadas.
}
import-see = Ver las organizaciones
import-failed = La importación ha fallado y no se ha guardado nada. El error queda registrado.
import-col-row = Fila
import-col-column = Columna
import-col-value = Valor
import-col-reason = Motivo
import-err-missing-column = Falta la columna obligatoria «{ $column }».
import-err-number = No es un número.
import-err-integer = No es un número entero.
import-err-flag = Escriba sí o no.

import-err-repeated = NIF repetido: ya aparece en la fila { $row }.
import-err-upload = No se ha podido recibir el archivo. Vuelva a intentarlo.
import-err-too-large = El archivo supera el límite de { $max } MB. Divídalo o quite columnas que no se usan.
import-err-no-file = Elija un archivo CSV o XLSX.
import-example-name = Talleres Ejemplo del Besaya, S.L.
import-example-address = Polígono Industrial de Tanos, parcela 12
import-example-description = Taller de mecanizado y calderería.
import-example-capabilities = Mecanizado CNC de precisión; soldadura TIG y MIG de acero inoxidable
import-err-extra-cells = La fila tiene { $count } valor(es) en columnas sin cabecera: póngales cabecera o bórrelos.
import-read-empty_file = El archivo está vacío.
import-read-no_header = El archivo no tiene fila de cabecera con los nombres de las columnas.
import-read-duplicate_headers = Hay columnas repetidas en la cabecera: { $detail }.
import-read-unsupported_format = Ese formato no se puede leer. Guárdelo como XLSX o CSV (UTF-8) y vuelva a subirlo.
import-read-malformed_csv = El CSV está mal formado a partir de la fila { $detail } (¿unas comillas sin cerrar?).
import-read-xlsx_unreadable = El XLSX está dañado o no se puede leer. Ábralo y vuelva a guardarlo, o expórtelo como CSV.
import-read-too_large = El archivo tiene demasiadas celdas o demasiado texto para importarlo de una vez. Divídalo en varios.
field-municipality-hint = Escriba el nombre y elija de la lista (o el código INE de 5 cifras).
delete-err-projects = Esta organización es la inversora de { $count ->
        [one] un proyecto de la Oficina
       *[other] { $count } proyectos de la Oficina
    }: forma parte de su historia y no se puede borrar. Fusiónela con otra si está duplicada.
delete-err-procedures = Esta organización tramita { $count ->
        [one] un trámite de la Oficina
       *[other] { $count } trámites de la Oficina
    }: sus plazos e historia la necesitan y no se puede borrar. Fusiónela con otra si está duplicada.
