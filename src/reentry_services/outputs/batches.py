"""How many rows the writers handle at once."""

ROWS = 10_000  # a batch of rows: bounds the memory a writer holds at once at any size
