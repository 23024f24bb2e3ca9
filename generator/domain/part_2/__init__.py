"""Part 2, the confidential facts and advice: its input, rules and what its template sees; never in a published document."""
