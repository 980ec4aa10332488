# pact-commitments (es)
