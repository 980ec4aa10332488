## office-dashboard
