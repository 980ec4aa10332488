# pact-meetings (es)
