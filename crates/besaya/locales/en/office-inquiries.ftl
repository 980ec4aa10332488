## office-inquiries
