"""Pure pydantic models of a decision input: no I/O, no rendering."""
