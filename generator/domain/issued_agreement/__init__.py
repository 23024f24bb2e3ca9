"""The grant agreements MOPAC issues, as funder, to the recipients of the grants a decision approves."""
