# pact-indicators (es)
