"""A rendered document shown in the browser: its .docx converted to simple, semantic HTML by
mammoth (headings, paragraphs, lists and tables as Word's styles mark them), so that the preview
is of the very document that downloads, not a second rendering of its context."""

from __future__ import annotations

import io

import mammoth

# Word's styles of grantdocs' templates, onto the GOV.UK typography classes.
_STYLE_MAP = """
p[style-name='Heading 1'] => h2.govuk-heading-l:fresh
p[style-name='Heading 2'] => h3.govuk-heading-m:fresh
p[style-name='Heading 3'] => h4.govuk-heading-s:fresh
p[style-name='Protective Marking'] => p.grantdocs-marking:fresh
"""


def docx_to_html(data: bytes) -> str:
    """The document's body as HTML: no scripts, no styles, no external resources, images inline."""
    result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP)
    return str(result.value)
