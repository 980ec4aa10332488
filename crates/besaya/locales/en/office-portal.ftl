## office-portal
