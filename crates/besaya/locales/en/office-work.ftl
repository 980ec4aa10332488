## office-work
