"""The report's cost tables: summaries, staffing, bids; exact figures, computed totals, and what the templates print."""
