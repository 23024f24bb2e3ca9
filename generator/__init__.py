"""grantdocs: MOPAC/MPS decision documents from one validated YAML input."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("grantdocs")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
