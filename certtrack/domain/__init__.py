"""Business rules of certtrack: pure Python, no Flask or database."""
