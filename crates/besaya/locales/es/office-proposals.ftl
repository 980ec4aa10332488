## office-proposals
# Site proposals: the office's tab, the investor's tab, events, e-mails.
office-prop-staff-title = Emplazamientos · { $project }
office-prop-portal-title = Emplazamientos propuestos · { $project }
office-prop-office = Oficina
office-prop-portal = Mis proyectos
office-prop-read-only = Puede consultar esta pestaña, pero no proponer ni retirar emplazamientos: no está asignado a este proyecto confidencial.
office-prop-requirements = Requisitos del proyecto
office-prop-requirements-none = Este proyecto todavía no tiene requisitos de emplazamiento, así que no hay nada con lo que comparar el catálogo.
office-prop-requirements-invalid = Los requisitos guardados de este proyecto no son válidos (por ejemplo, un municipio o un código CNAE que ya no existe). Corríjalos para ver los emplazamientos que encajan.
office-prop-requirements-state = Indicar los requisitos del proyecto
office-prop-requirements-edit = Cambiar los requisitos
office-prop-required = obligatorio
office-prop-wanted-present = Sí
office-prop-proposed = Emplazamientos propuestos
office-prop-proposed-none = Todavía no se ha propuesto ningún emplazamiento al inversor.
office-prop-proposed-on = Propuesto el { $date } por { $by }
office-prop-proposed-on-date = Propuesto el { $date }
office-prop-withdrawn-on = Retirado el { $date }
office-prop-unpublished = Ya no está en el catálogo público
office-prop-fit = Frente a los requisitos
office-prop-fit-eliminated = No cumple algún requisito obligatorio
office-prop-note = Nota para el inversor
office-prop-note-for = Nota para el inversor sobre { $site } (opcional)
office-prop-note-hint = El inversor la verá junto al emplazamiento y en el correo que le avisa. Como máximo 2000 caracteres.
office-prop-feedback = Opinión del inversor
office-prop-feedback-none = Sin respuesta todavía
office-prop-feedback-interested = Le interesa
office-prop-feedback-visit_requested = Quiere visitarlo
office-prop-feedback-not_interested = No le interesa
office-prop-withdraw = Retirar { $site }
office-prop-ranked = Emplazamientos que encajan con los requisitos
office-prop-ranked-hint = Primero los que cumplen todo lo obligatorio y después los que podrían cumplirlo pero les falta algún dato; se muestran solo emplazamientos publicados, los únicos que el inversor puede abrir.
office-prop-already = Ya propuesto
office-prop-propose = Proponer { $site }
office-prop-other = Proponer otro emplazamiento
office-prop-other-hint = Cualquier emplazamiento publicado, también uno que no cumpla algún requisito obligatorio, si la Oficina lo considera oportuno.
office-prop-other-none = Todos los emplazamientos publicados ya están propuestos.
office-prop-other-site = Emplazamiento
office-prop-other-site-hint = Escriba su referencia (por ejemplo, RQ-P08) o elíjalo de la lista que aparece al escribir.
office-prop-propose-other = Proponer el emplazamiento
office-prop-conflict-title = Cambios de otra persona
office-prop-conflict = Otra persona ha cambiado esta propuesta mientras tanto. Revise la lista actualizada y vuelva a intentarlo.
office-prop-already-withdrawn = Esta propuesta ya estaba retirada.
office-prop-conflict-feedback = Su opinión sobre este emplazamiento ha cambiado desde que abrió la página (quizá desde otro dispositivo o por la Oficina). Revise lo que consta ahora y vuelva a enviarla.
office-prop-gone = La Oficina ha retirado esta propuesta; ya no hace falta su opinión.
office-prop-portal-heading = Emplazamientos que le propone la Oficina
office-prop-portal-none = La Oficina todavía no le ha propuesto ningún emplazamiento. Le avisaremos por correo cuando lo haga.
office-prop-portal-lead = Díganos qué le parece cada emplazamiento: si le interesa, si quiere visitarlo o si no le interesa. Puede cambiar su respuesta cuando quiera.
office-prop-open-site = Ver la ficha completa de { $site }
office-prop-open-sheet = Ficha para imprimir de { $site }
office-prop-office-note = Nota de la Oficina
office-prop-your-feedback = Su respuesta
office-prop-feedback-legend = ¿Qué le parece { $site }?
office-prop-comment = Comentario (opcional)
office-prop-comment-hint = Por ejemplo, qué le falta o qué días le vendría bien la visita. Como máximo 2000 caracteres.
office-prop-feedback-send = Enviar mi opinión sobre { $site }
office-prop-feedback-change = Cambiar mi opinión sobre { $site }
flash-office-site-proposed = Emplazamiento propuesto. Hemos avisado por correo al inversor.
flash-office-proposal-withdrawn = Propuesta retirada. El inversor ya no la ve.
flash-office-feedback-saved = Gracias. Hemos guardado su opinión y avisado a la Oficina.
office-err-site_required = Elija un emplazamiento.
office-err-unknown_site = No existe ese emplazamiento: { $value }.
office-err-site_not_published = «{ $value }» no está publicado: el inversor no podría abrir su ficha. Publíquelo antes de proponerlo.
office-err-already_proposed = «{ $value }» ya está propuesto a este proyecto.
office-err-feedback_required = Elija una respuesta: le interesa, quiere visitarlo o no le interesa.
office-err-invalid_feedback = Respuesta no válida: { $value } (interested, visit_requested o not_interested).
office-event-proposal = Emplazamiento propuesto: «{ $site }».
office-event-proposal_withdrawn = Propuesta retirada: «{ $site }».
office-event-feedback = Opinión del inversor sobre «{ $site }»: { $feedback ->
        [interested] le interesa
        [visit_requested] quiere visitarlo
       *[not_interested] no le interesa
    }.
mail-office-site-proposed-subject = Un emplazamiento para su proyecto «{ $project }»
mail-office-site-proposed-text = La Oficina Comarcal del Besaya le propone el emplazamiento «{ $site }» para su proyecto «{ $project }».
mail-office-site-proposed-note = Nota de la Oficina: { $note }
mail-office-site-proposed-action = Ver los emplazamientos propuestos
mail-office-site-proposed-after = En la misma página puede decirnos si le interesa, si quiere visitarlo o si no le interesa.
mail-office-site-feedback-subject = «{ $project }»: opinión sobre { $site }
mail-office-site-feedback-text = { $by } ha respondido sobre el emplazamiento «{ $site }» del proyecto «{ $project }»: { $feedback ->
        [interested] le interesa
        [visit_requested] quiere visitarlo
       *[not_interested] no le interesa
    }.
mail-office-site-feedback-comment = Comentario: { $comment }
mail-office-site-feedback-action = Ver las propuestas del proyecto
