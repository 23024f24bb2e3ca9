"""What a batch reports: each input's result, and the whole run's (rendered, unchanged, failed,
pruned, PDFs), as the command line prints it and --json gives it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.build.manifest_entry import Entry


@dataclass(frozen=True, slots=True)
class OutputChange:
    """One output of a batch and what happened to its text."""

    path: str
    summary: str


@dataclass(frozen=True, slots=True)
class InputResult:
    """What became of one input: its outputs, or the error that stopped it."""

    source: str
    key: str
    status: str  # rendered | unchanged | failed
    outputs: tuple[OutputChange, ...] = ()
    error: str | None = None
    entries: tuple[tuple[str, Entry], ...] = ()
    warnings: tuple[str, ...] = ()  # what its checks warn of (file:line:col: field: warning: …)
    template: str | None = None  # the template whose fault failed it, when it failed for one


@dataclass(frozen=True)
class ReportLine:
    """One line of a batch's report: on stderr if it is an error; `per_output` unless it is about the
    run as a whole (those are said with --json too, whose summary already lists the outputs)."""

    text: str
    error: bool = False
    per_output: bool = True


@dataclass
class BatchReport:
    rendered: list[InputResult] = field(default_factory=list)
    unchanged: list[InputResult] = field(default_factory=list)
    failed: list[InputResult] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # orphaned files --prune left: changed since grantdocs wrote them
    orphaned: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)  # PDFs written (with --pdf), relative to the output folder
    pdf_failed: list[tuple[str, str]] = field(default_factory=list)  # (.docx, why) that got no PDF
    pdf_error: str | None = None  # why no PDF could be written at all (LibreOffice missing)
    manifest_error: str | None = None  # why the manifest could not be saved (a full disk): the next run redoes the work
    interrupted: str | None = None  # the signal (SIGINT, SIGTERM) that stopped the batch before it finished
    not_started: int = 0  # inputs the stop left for the next run
    seconds: float = 0.0

    def lines(self, *, dry_run: bool, pdf: bool) -> list[ReportLine]:
        """The batch as a person reads it: what changed, failed, was orphaned, removed or kept,
        the PDFs, a summary, then anything that went wrong beyond the outputs."""
        verb = "would change" if dry_run else "changed"
        said = [ReportLine(f"{verb}: {c.path}: {c.summary}") for r in self.rendered for c in r.outputs]
        said += [ReportLine(w, error=True) for r in self.rendered for w in r.warnings]
        said += self._failures()
        said += [
            ReportLine(f"orphaned: {n} (no input makes it any more; --prune removes it)") for n in self.orphaned if n not in self.removed
        ]
        said += [ReportLine(f"removed: {n}") for n in self.removed]
        said += [ReportLine(f"kept: {n} (changed since grantdocs wrote it, so --prune leaves it)") for n in self.kept]
        said += [ReportLine(f"pdf: {n}") for n in self.pdfs]
        said += [ReportLine(f"failed pdf: {n}: {why}", error=True) for n, why in self.pdf_failed]
        said.append(
            ReportLine(
                f"{'dry run: ' if dry_run else ''}rendered {len(self.rendered)}, unchanged {len(self.unchanged)}, "
                f"failed {len(self.failed)}, removed {len(self.removed)}"
                + (f", {len(self.pdfs)} PDFs" if pdf and not dry_run else "")
                + f" in {self.seconds:.2f} s"
            )
        )
        if self.pdf_error:  # the .docx files were written, the PDFs not
            said.append(ReportLine(self.pdf_error, error=True, per_output=False))
        if self.manifest_error:
            said.append(ReportLine(f"{self.manifest_error}; the next batch will check its outputs again", error=True, per_output=False))
        if self.interrupted:
            said.append(
                ReportLine(
                    f"interrupted ({self.interrupted}): {self.not_started} inputs not started; "
                    "every document written is whole: run the same command again to finish",
                    error=True,
                    per_output=False,
                )
            )
        return said

    def _failures(self) -> list[ReportLine]:
        """Each failure once: a broken template's once, with the inputs it blocked, not once an input."""
        said: list[ReportLine] = []
        blocked: dict[tuple[str, str], list[str]] = {}
        for result in self.failed:
            if result.template is not None and result.error is not None:
                blocked.setdefault((result.template, result.error), []).append(result.source)
            else:
                said.append(ReportLine(f"failed: {result.error}", error=True))
        for (_, error), sources in blocked.items():
            count = f"{len(sources)} input{'s' if len(sources) != 1 else ''}"
            said.append(ReportLine(f"failed: {error}\n  blocks {count}: {', '.join(sources)}", error=True))
        return said

    def as_dict(self) -> dict[str, object]:
        return {
            "rendered": len(self.rendered),
            "unchanged": len(self.unchanged),
            "failed": len(self.failed),
            "removed": len(self.removed),
            "seconds": round(self.seconds, 3),
            "changes": [{"output": o.path, "summary": o.summary} for r in self.rendered for o in r.outputs],
            "failures": [{"input": r.source, "error": r.error, "template": r.template} for r in self.failed],
            "warnings": [w for r in self.rendered for w in r.warnings],
            "orphaned": self.orphaned,
            "removed_outputs": self.removed,
            "kept_outputs": self.kept,
            "pdfs": self.pdfs,
            "pdf_failures": [{"output": name, "error": why} for name, why in self.pdf_failed]
            + ([{"output": None, "error": self.pdf_error}] if self.pdf_error else []),
            "manifest_error": self.manifest_error,
            "interrupted": self.interrupted,
        }
