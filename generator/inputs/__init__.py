"""YAML inputs in: read with the place of every value, within limits; everyday slips explained; validated into the domain's models, every problem at once."""
