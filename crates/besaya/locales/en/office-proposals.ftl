## office-proposals
