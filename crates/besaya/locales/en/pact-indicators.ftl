# pact-indicators (en)
