## office-work: interactions, tasks with reminders, the private calendar feed
office-err-missing_value = This is required.
office-err-unknown_kind = Not a valid kind: { $value }.
office-err-invalid_datetime = Not a valid date and time: { $value } (use YYYY-MM-DD HH:MM).
office-err-not_on_team = { $value } does not work on this project: add them to the team first.
office-event-interaction = { $kind ->
    [meeting] Meeting
    [call] Call
    [visit] Visit
    [email] E-mail
   *[other] Interaction
} logged: “{ $subject }”.
office-event-interaction_updated = Interaction changed: “{ $subject }”.
office-event-interaction_deleted = Interaction deleted: “{ $subject }”.
office-event-task_created = New task: “{ $title }”, due { $due_on }.
office-event-task_updated = Task changed: “{ $title }”, due { $due_on }.
office-event-task_done = Task done: “{ $title }”.
office-event-task_reopened = Task reopened: “{ $title }”.
office-event-task_deleted = Task deleted: “{ $title }”.
office-event-task_reminded = { $when ->
    [overdue] Reminder to { $to }: the task “{ $title }” is overdue.
   *[other] Reminder to { $to }: the task “{ $title }” is due tomorrow.
}
office-work-kind-meeting = Meeting
office-work-kind-call = Call
office-work-kind-visit = Visit
office-work-kind-email = E-mail
office-work-kind-other = Other
office-work-month-1 = January
office-work-month-2 = February
office-work-month-3 = March
office-work-month-4 = April
office-work-month-5 = May
office-work-month-6 = June
office-work-month-7 = July
office-work-month-8 = August
office-work-month-9 = September
office-work-month-10 = October
office-work-month-11 = November
office-work-month-12 = December
office-work-date = { $day } { $month } { $year }
office-work-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
office-work-activity-title = Activity of { $project }
office-work-restricted = Only the project's owner, its team and the administration see its interactions and tasks.
office-work-open-tasks = Open tasks
office-work-no-open-tasks = No open tasks.
office-work-done-tasks = Done tasks
office-work-done-on = Done on
office-work-new-task = Add a task
office-work-add-task = Add the task
office-work-mark-done = Mark as done
office-work-reopen = Reopen
office-work-overdue = Overdue
office-work-actions = Actions
office-work-task-conflict = Someone else changed this task meanwhile. Check how it stands now and try again.
office-work-f-title = Task
office-work-f-due_on = Due date
office-work-f-owner_id = Owner
office-work-f-notes = Notes
office-work-f-kind = Kind
office-work-f-occurred_at = Date and time
office-work-f-duration_minutes = Duration (minutes)
office-work-f-subject = Subject
office-work-f-people = Participants
office-work-f-location = Place
office-work-hint-date = Format YYYY-MM-DD, for example 2026-12-31.
office-work-hint-when = Madrid time. Format YYYY-MM-DD HH:MM, for example 2026-12-01 10:30.
office-work-interactions = Interactions
office-work-new-interaction = Log an interaction
office-work-log-interaction = Log the interaction
office-work-no-interactions = No interactions logged yet.
office-work-logged-by = Logged by { $name }
office-work-my-tasks = My open tasks
office-work-my-tasks-none = You have no open tasks.
office-work-my-tasks-count = { $count ->
    [one] 1 open task
   *[other] { $count } open tasks
}{ $overdue ->
    [0] .
   *[other] , { $overdue } overdue.
}
office-work-project = Project
office-work-calendar-link = See your tasks, meetings and procedure due dates in your calendar
office-work-account-calendar = Private calendar (tasks, meetings and due dates)
office-work-breadcrumb = Breadcrumb
office-work-calendar-title = Private calendar
office-work-calendar-intro = Subscribe from your calendar application (Outlook, Google Calendar, Apple Calendar…) to a private address that gathers your open tasks, the meetings and visits of your projects and the day the legal term of each running procedure you follow ends. Internal notes are left out.
office-work-calendar-feed = Your calendar address
office-work-calendar-none = You have no calendar address yet.
office-work-calendar-since = You have a calendar address made on { $date }.
office-work-calendar-private = Anyone who knows the address sees your calendar. If you think someone else knows it, replace it with a new one or revoke it.
office-work-calendar-create = Create the address
office-work-calendar-replace = Replace with a new address
office-work-calendar-revoke = Revoke the address
office-work-calendar-new = Copy this address now: it will not be shown again. The previous one, if any, no longer works.
office-work-calendar-address = Calendar address
office-work-calendar-howto = In your calendar application, choose “Add calendar from URL” (or “Subscribe”) and paste the address.
office-work-ics-name = Besaya · { $name }
office-work-ics-task = Task: { $title } ({ $project })
office-work-ics-interaction = { $kind }: { $subject } ({ $project })
office-work-ics-people = Participants: { $people }
flash-work-interaction-saved = Interaction logged.
flash-work-task-saved = Task added.
flash-work-task-done = Task marked as done.
flash-work-task-reopened = Task reopened.
flash-work-calendar-revoked = Calendar address revoked: it no longer works.
mail-task-due-subject = Task due tomorrow: { $title }
mail-task-due-text = The task “{ $title }” of the project { $project } is due tomorrow, { $due }.
mail-task-overdue-subject = Overdue task: { $title }
mail-task-overdue-text = The task “{ $title }” of the project { $project } was due on { $due } and is still open.
mail-task-action = Open the project
mail-task-why = You receive this reminder because you own the task. When it is done, mark it as done on the platform.
