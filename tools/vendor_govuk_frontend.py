"""Vendor GOV.UK Frontend's compiled CSS and JavaScript into generator/web/static/govuk-frontend/.

    npm pack govuk-frontend@6.6.0            # the version govuk-frontend-jinja 4.x follows
    .venv/bin/python tools/vendor_govuk_frontend.py govuk-frontend-6.6.0.tgz

The web app serves these files itself (no CDN; set-up stays the README's two commands, which need
no Node). MOPAC is not a GOV.UK service, so the GDS Transport font (licensed for GOV.UK only) is
not shipped: its @font-face rules are taken out of the stylesheet, and it is taken out of every
font stack, which leaves the Arial that follows it (so a machine that has the font installed does
not use it either). Nothing else is changed.
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "generator" / "web" / "static" / "govuk-frontend"
FILES = {
    "package/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
    "package/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
}
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
_GDS_IN_STACK = re.compile(r"font-family:\s*[\"']?GDS Transport[\"']?,\s*")
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S+")


# The npm package declares "license": "MIT" and ships no licence file; this is the repository's.
MIT = """GOV.UK Frontend {version} (govuk-frontend on the npm registry), vendored by tools/vendor_govuk_frontend.py.

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def without_gds_transport(css: str) -> str:
    """The stylesheet without the GDS Transport font: no @font-face, and out of each font stack."""
    return _GDS_IN_STACK.sub("font-family:", _FONT_FACE.sub("", css))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    with tarfile.open(argv[0]) as tar:
        version = re.search(r'"version":\s*"([^"]+)"', tar.extractfile("package/package.json").read().decode()).group(1)  # type: ignore[union-attr]
        TARGET.mkdir(parents=True, exist_ok=True)
        for member, name in FILES.items():
            text = tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
            text = without_gds_transport(_SOURCE_MAP.sub("", text))
            (TARGET / name).write_text(text, encoding="utf-8")
    (TARGET / "LICENSE.txt").write_text(MIT.format(version=version), encoding="utf-8")
    (TARGET / "VERSION").write_text(version + "\n", encoding="utf-8")
    print(f"GOV.UK Frontend {version} vendored into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
