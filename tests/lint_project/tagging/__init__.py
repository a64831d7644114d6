"""Python values on self, Keras wrappers: evidence, not guesses."""
