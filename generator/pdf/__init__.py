"""Word documents → accessible PDFs, through LibreOffice headless. The only package that runs it.

Starting LibreOffice costs far more than converting a document, so documents go through it many
at a time, and a process that converts more than once (a batch, the web app) keeps a LibreOffice
running per parallel job and hands it each batch of documents (`office`, `offices`); each one
starts from a copy of a profile prepared once (`profile`), and a batch's documents are shared
among the jobs by what they cost to convert (`workload`). Every LibreOffice has a private user
profile, so parallel converters (and a LibreOffice the user has open) never collide.

The PDFs are tagged (structure tree for screen readers), flagged PDF/UA, show the document's
title rather than its file name, keep the document language (en-GB, from the .docx) and embed
every font. The templates use Arial, which LibreOffice replaces by the metric-compatible
Liberation Sans (fonts-liberation2), so line breaks and pages come out as in Word, on any machine.

Each PDF is written next to its .docx as `<same name>.pdf`, converted in a temp folder first
and then written with a rename: a reader never sees half a PDF.
"""

from generator.pdf.conversion import MIN_PER_PROCESS, PdfError, PdfReport, convert_many, convert_to_pdf, pdf_path
from generator.pdf.libreoffice import (
    EXPORT_OPTIONS,
    INSTALL,
    PACKAGES,
    PdfUnavailable,
    filter_spec,
    require_libreoffice,
    soffice,
)
from generator.pdf.office import Office
from generator.pdf.offices import close_offices, start_offices

__all__ = [
    "EXPORT_OPTIONS",
    "INSTALL",
    "MIN_PER_PROCESS",
    "PACKAGES",
    "Office",
    "PdfError",
    "PdfReport",
    "PdfUnavailable",
    "close_offices",
    "convert_many",
    "convert_to_pdf",
    "filter_spec",
    "pdf_path",
    "require_libreoffice",
    "soffice",
    "start_offices",
]
