"""The grant agreement: the input, its rules against the decision, its clause library (wording.yaml) and what the template sees."""
