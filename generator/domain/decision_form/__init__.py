"""The DMPC decision form: the officer's input, its rules, its standard wording (form versions, wording/*.yaml) and what the template sees."""
