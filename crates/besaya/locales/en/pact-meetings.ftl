# pact-meetings (en)
