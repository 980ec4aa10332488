# pact-members (en)
