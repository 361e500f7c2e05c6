"""Errors raised while reading user configuration; messages say where and what to fix."""


class ConfigError(Exception):
    """A settings value or config file is invalid."""


class CatalogError(ConfigError):
    """One or more catalog entries are invalid.

    ``problems`` holds one line per problem, each naming file, entry and field.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
