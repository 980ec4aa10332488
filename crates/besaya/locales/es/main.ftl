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
module-opendata-text = Una API JSON documentada con OpenAPI y datos abiertos con licencia CC BY 4.0: clasificaciones CNAE y municipios de Cantabria.

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
