# pact-commitments (en)
