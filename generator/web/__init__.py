"""The web app (`grantdocs serve`): the same models, checks and documents as the command line,
in GOV.UK Design System pages an originating officer can use without writing YAML."""
