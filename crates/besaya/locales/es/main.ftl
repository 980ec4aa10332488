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
