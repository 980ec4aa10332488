# pact-members (es)
