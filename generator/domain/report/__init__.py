"""The MPS supporting report: the officer's input, its rules, its standard wording (wording.yaml) and what the template sees."""
