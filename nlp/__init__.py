"""journeybot's note classifier. The bot imports only `nlp.classify` (and `nlp.cli`,
`nlp.stop_words`)."""
