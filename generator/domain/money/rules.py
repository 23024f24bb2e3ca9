"""Rules over a decision's money: its sums add up, money out stays within money in, the
recommendations point at sums that exist and state them, and every sum written in the text
stands for a typed figure (or is noted as standing for none).

The same rules serve the form, the report, Part 2 and the agreements: each sum is typed once,
under `money` or on a recommendation, and everything printed is checked against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel

from generator.domain.common.dates import financial_years, short_date
from generator.domain.common.findings import Finding, Loc, suggestion
from generator.domain.common.money import PENNY, mentions, pounds
from generator.domain.common.text import TextTable
from generator.domain.costs.model import CostTables, check_costs
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import Recommendation, RecommendationItem
from generator.domain.money.figures import (
    ROOT,
    Outgoing,
    approved,
    keyed,
    outgoing,
    referenced,
    sums,
    total_of,
    years_add_up,
)
from generator.domain.money.model import Allocation, GrantOut, Income, MoneyFlows

NOTED: Loc = ROOT + ("noted_sums",)


def check_money(decision: Decision, *, invalid: AbstractSet[str] = frozenset()) -> list[Finding]:
    """Every rule the decision's money breaks, errors and warnings alike; empty when it reconciles.
    `invalid` names sections left out for problems of their own: with `money` among them, what
    points at a sum cannot be checked; with any, what a text's sum stands for may be missing."""
    flows = decision.money
    findings: list[Finding] = []
    if flows is not None:
        findings += [*_check_keys(flows), *_check_years(flows), *_check_allocations(flows), *_check_contracts(flows)]
        findings += [*_check_sources(flows), *_check_within(flows), *_check_splits(flows)]
    if "money" not in invalid:
        findings += _check_pointers(decision)
        findings += _check_grant_accepted(decision)
    if not invalid:
        findings += check_text_sums(decision)
    return findings


# ---------------------------------------------------------------- the sums themselves


def _check_keys(flows: MoneyFlows) -> list[Finding]:
    first: dict[str, Loc] = {}
    findings = []
    for item in keyed(flows):
        if item.key in first:
            findings.append(
                Finding(
                    item.loc + ("key",),
                    f"{item.key!r} names another sum already: give each sum its own key",
                    related=first[item.key] + ("key",),
                )
            )
        else:
            first[item.key] = item.loc
    return findings


def _check_years(flows: MoneyFlows) -> list[Finding]:
    """A sum given both in total and by year: the years add up to the total."""
    return [finding for loc, item in _yearly(flows) for finding in years_add_up(loc, item.amount, item.by_year)]


def _yearly(flows: MoneyFlows) -> Iterator[tuple[Loc, Any]]:
    for part in ("funding", "grants", "allocations"):
        for i, item in enumerate(getattr(flows, part)):
            yield ROOT + (part, i), item


def _check_allocations(flows: MoneyFlows) -> list[Finding]:
    """'3 grants of £30,000 each' is £90,000."""
    findings = []
    for i, a in enumerate(flows.allocations):
        if a.grants is not None and a.each is not None and a.grants * a.each != a.total:
            loc = ROOT + ("allocations", i)
            findings.append(
                Finding(
                    loc + ("each",),
                    f"{a.grants} grants of {pounds(a.each)} make {pounds(a.grants * a.each)}, not {pounds(a.total)}",
                    related=loc + ("amount",) if a.amount is not None else loc + ("by_year",),
                )
            )
    return findings


def _check_contracts(flows: MoneyFlows) -> list[Finding]:
    """A contract's maximum value is its value with every extension taken."""
    findings = []
    for i, c in enumerate(flows.contracts):
        loc = ROOT + ("contracts", i)
        if c.maximum_value is None:
            if c.extensions:
                findings.append(
                    Finding(
                        loc + ("maximum_value",),
                        "required: the contract may be extended, so state the most it can cost",
                        related=loc + ("extensions",),
                    )
                )
            continue
        if c.maximum_value < c.value:
            findings.append(
                Finding(
                    loc + ("maximum_value",),
                    f"is {pounds(c.maximum_value)}, less than the value {pounds(c.value)}",
                    related=loc + ("value",),
                )
            )
        elif c.maximum_value > c.value and not c.extensions:
            findings.append(
                Finding(
                    loc + ("maximum_value",),
                    f"is more than the value {pounds(c.value)}, but no extension is given: add `extensions`",
                    related=loc + ("value",),
                )
            )
        values = [e.value for e in c.extensions]
        if c.extensions and all(v is not None for v in values):
            with_all = c.value + sum((v for v in values if v is not None), Decimal(0))
            if with_all != c.maximum_value:
                added = " + ".join(pounds(v) for v in [c.value, *values] if v is not None)
                findings.append(
                    Finding(
                        loc + ("maximum_value",),
                        f"is {pounds(c.maximum_value)}, but the value and extensions add up to {pounds(with_all)} ({added})",
                        related=loc + ("extensions",),
                    )
                )
    return findings


def _check_sources(flows: MoneyFlows) -> list[Finding]:
    """`funded_by` and `conditional_on` name money in; `conditional_on` names a bid."""
    incoming = {f.key: f for f in flows.funding}
    known = sorted(incoming)
    findings = []
    for out in outgoing(flows):
        if out.source is not None and out.source not in incoming:
            findings.append(Finding(out.loc + ("funded_by",), f"no money in is keyed {out.source!r}{suggestion(out.source, known)}"))
    for i, f in enumerate(flows.funding):
        loc = ROOT + ("funding", i, "conditional_on")
        if f.conditional_on is None:
            continue
        bid = incoming.get(f.conditional_on)
        if bid is None:
            findings.append(Finding(loc, f"no money in is keyed {f.conditional_on!r}{suggestion(f.conditional_on, known)}"))
        elif bid.kind != "bid":
            findings.append(
                Finding(
                    loc,
                    f"{f.conditional_on!r} is {bid.kind}, not a bid: only a bid's success is uncertain",
                    related=ROOT + ("funding", flows.funding.index(bid), "kind"),
                )
            )
    keys = sorted({k.key for k in keyed(flows)})
    for i, s in enumerate(flows.splits):
        if s.of not in keys:
            findings.append(Finding(ROOT + ("splits", i, "of"), f"no sum is keyed {s.of!r}{suggestion(s.of, keys)}"))
    return findings


def _check_within(flows: MoneyFlows) -> list[Finding]:
    """Money out within money in, for each source and in all, each year and in total; unless the
    decision names what funds the rest."""
    if flows.rest_funded_by is not None or not flows.funding:
        return []
    findings = []
    paid_out = list(outgoing(flows))
    for i, f in enumerate(flows.funding):
        paid = [o for o in paid_out if o.source == f.key]
        if paid:
            findings += _within(ROOT + ("funding", i), f"{f.key!r} ({f.source})", f.total, f.by_year or {}, paid)
    findings += _within(
        ROOT + ("funding",),
        "the money in",
        total_of(flows.funding),
        _year_totals(f.by_year or {} for f in flows.funding),
        paid_out,
    )
    return findings


def _year_totals(years: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Sums by financial year added up, year by year."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for by_year in years:
        for year, value in by_year.items():
            totals[year] += value
    return dict(totals)


def _within(
    loc: Loc,
    what: str,
    total: Decimal,
    by_year: Mapping[str, Decimal],
    paid: list[Outgoing],
) -> list[Finding]:
    rest = "; if something else pays for the rest, say what under money.rest_funded_by"
    findings = []
    spent = total_of(paid)
    if spent > total:
        keys = ", ".join(f"{p.key} {pounds(p.total)}" for p in paid)
        findings.append(
            Finding(
                loc, f"money out from {what} comes to {pounds(spent)} ({keys}), more than its {pounds(total)}{rest}", related=paid[-1].loc
            )
        )
    if by_year:
        for year, spent_in_year in sorted(_year_totals(p.by_year for p in paid).items()):
            available = by_year.get(year)
            first = next(p for p in paid if year in p.by_year)
            if available is None:
                findings.append(
                    Finding(
                        first.loc + ("by_year", year),
                        f"{pounds(spent_in_year)} is paid out in {year}, but {what} has no money for {year}{rest}",
                        related=loc,
                    )
                )
            elif spent_in_year > available:
                findings.append(
                    Finding(
                        loc,
                        f"money out from {what} in {year} comes to {pounds(spent_in_year)}, more than its {pounds(available)} for {year}{rest}",
                        related=first.loc + ("by_year", year),
                    )
                )
    return findings


def _check_splits(flows: MoneyFlows) -> list[Finding]:
    """Streams share 100% of their sum; a stream's stated amount is its share, to the penny."""
    known = sums(flows)
    findings = []
    for i, split in enumerate(flows.splits):
        loc = ROOT + ("splits", i)
        percent = sum((s.percent for s in split.streams), Decimal(0))
        if percent != 100:
            findings.append(Finding(loc + ("streams",), f"the streams' shares add up to {percent.normalize():f}%, not 100%"))
        whole = known.get(split.of)
        if whole is None:
            continue
        for j, stream in enumerate(split.streams):
            share = (whole.total * stream.percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
            if stream.amount is not None and stream.amount != share:
                findings.append(
                    Finding(
                        loc + ("streams", j, "amount"),
                        f"is {pounds(stream.amount)}, but {stream.percent.normalize():f}% of {pounds(whole.total)} is {pounds(share)}",
                        related=whole.loc,
                    )
                )
    return findings


def _check_grant_accepted(decision: Decision) -> list[Finding]:
    """The report's grant (and so the agreement MOPAC signs for it) is the grants typed as money in."""
    grant = decision.report.grant if decision.report is not None else None
    grants = [(i, f) for i, f in enumerate(decision.money.funding) if f.kind == "grant"] if decision.money is not None else []
    if grant is None or not grants:
        return []
    total = total_of(f for _, f in grants)
    findings = []
    if total != grant.amount:
        added = " + ".join(f"{pounds(f.total)} ({f.key})" for _, f in grants)
        findings.append(
            Finding(
                ("report", "grant", "amount"),
                f"is {pounds(grant.amount)}, but the grants typed as money in come to {pounds(total)}: {added}",
                related=ROOT + ("funding", grants[0][0]),
            )
        )
    period = financial_years(grant.start, grant.end)
    for i, f in grants:
        for year in f.by_year or {}:
            if int(year[:4]) not in period:
                findings.append(
                    Finding(
                        ROOT + ("funding", i, "by_year", year),
                        f"is outside the grant's funding period, {short_date(grant.start)} to {short_date(grant.end)}",
                        related=("report", "grant", "start"),
                    )
                )
    return findings


# ---------------------------------------------------------------- recommendations


def _check_pointers(decision: Decision) -> list[Finding]:
    """A recommendation or sub-item points at sums that exist, and a sum it also types is theirs."""
    known = sums(decision.money)
    names = sorted(known)
    findings: list[Finding] = []
    for loc, rec in decision.recommendations():
        items: list[tuple[Loc, Recommendation | RecommendationItem]] = [(loc, rec)]
        items += [(loc + ("sub_items", i), item) for i, item in enumerate(rec.sub_items)]
        for where, item in items:
            for k, key in enumerate(item.money or []):
                if key not in known:
                    what = (
                        "there is no `money` section"
                        if decision.money is None
                        else f"no sum under `money` is keyed {key!r}{suggestion(key, names)}"
                    )
                    findings.append(Finding(where + ("money", k), what))
            pointed = referenced(item.money, known)
            if pointed is not None and item.amount is not None and total_of(pointed) != item.amount:
                added = " + ".join(f"{pounds(s.total)} ({s.key})" for s in pointed)
                findings.append(
                    Finding(
                        where + ("amount",),
                        f"is {pounds(item.amount)}, but the sums it points at come to {pounds(total_of(pointed))}: {added}",
                        related=pointed[0].loc,
                    )
                )
    return findings


# ---------------------------------------------------------------- sums in text


def check_text_sums(decision: Decision) -> list[Finding]:
    """Warn of every sum written in the text that matches no typed figure, and of every noted
    sum that no text writes; a sum noted under money.noted_sums is silenced on purpose."""
    found = survey(decision)
    figures = typed_figures(decision, found)
    noted = decision.money.noted_sums if decision.money is not None else []
    noted_values = [next(iter(mentions(n.sum)), None) for n in noted]
    findings = [
        Finding(NOTED + (i, "sum"), f"{n.sum!r} is not a sum of money: write it as the text does, e.g. '£72m'")
        for i, (n, v) in enumerate(zip(noted, noted_values, strict=True))
        if v is None
    ]
    heard: set[int] = set()
    for loc, text in found.texts:
        for mention in mentions(text):
            # A figure written exactly is found at once; only a rounded one is tried against each.
            if mention.value in figures or any(mention.names(f) for f in figures):
                continue
            matched = [i for i, v in enumerate(noted_values) if v is not None and v.value == mention.value]
            if matched:
                heard.update(matched)
                continue
            findings.append(
                Finding(
                    loc,
                    f"{mention.written} matches no sum typed in this input: type it (under money, or as a recommendation's amount) "
                    "or note what it is under money.noted_sums",
                    warning=True,
                )
            )
    for loc, table in found.tables:
        for (row, column), value in table.sums.items():
            if value not in figures:
                findings.append(
                    Finding(
                        loc + ("rows", row, column),
                        f"{pounds(value)} in the table {table.title!r} matches no sum typed in this input: type it under money, "
                        "or note what it is under money.noted_sums",
                        warning=True,
                    )
                )
    findings += [
        Finding(NOTED + (i,), f"{n.sum} is noted, but no text writes it: remove the note", warning=True)
        for i, (n, v) in enumerate(zip(noted, noted_values, strict=True))
        if v is not None and i not in heard
    ]
    return findings


def typed_figures(decision: Decision, found: Survey) -> set[Decimal]:
    """Every figure the text may name: each typed amount, each sum's total and its years, the
    totals across sums (all grants in a year, all money out), what each recommendation approves,
    every figure in a cost table, and the total rows of the tables of words `found` in it."""
    figures = set(found.amounts)  # noted sums are text: they type no figure
    known = sums(decision.money)
    for s in known.values():
        figures |= s.figures
    flows = decision.money
    if flows is not None:
        groups: list[list[Income] | list[GrantOut] | list[Allocation]] = [flows.funding, flows.grants, flows.allocations]
        for items in groups:
            if items:
                figures.add(total_of(items))
                figures |= set(_year_totals(i.by_year or {} for i in items).values())
        out = list(outgoing(flows))
        figures.add(total_of(out))
        figures |= set(_year_totals(o.by_year for o in out).values())
        for split in flows.splits:
            whole = known.get(split.of)
            if whole is not None:
                figures |= {(whole.total * s.percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP) for s in split.streams}
    for _, rec in decision.recommendations():
        said: list[Recommendation | RecommendationItem] = [rec, *rec.sub_items]
        for item in said:
            value = approved(item, known)
            if value is not None:
                figures.add(value)
    for costs in _cost_tables(decision):
        figures |= _table_figures(costs)
    for _, table in found.tables:  # a total row is computed, so the text may name it
        if table.total is not None:
            figures |= set(table.totals().values())
    return figures


def _cost_tables(decision: Decision) -> Iterator[CostTables]:
    for owner in (
        decision.decision_form and decision.decision_form.appendix_costs,
        decision.report and decision.report.costs,
        decision.part_2 and decision.part_2.costs,
    ):
        if owner and not check_costs(owner):
            yield owner


def _table_figures(costs: CostTables) -> set[Decimal]:
    """Every figure a cost table prints, as the reader reads it (1.701 in a £m table is £1,701,000)."""
    figures = set()
    tables: list[Any] = [*costs.summaries, *costs.staffing, *costs.bids]
    for table in tables:
        scale = Decimal(1_000_000) if getattr(table, "unit", "£") == "£m" else Decimal(1)
        # Each cell read once: a table prints many twice or more (blanks, zeros, a total that is
        # its one line's), and a figure is a set's member however often it is printed.
        for cell in {cell for row in costs.view(table.title).rows for cell in row.cells}:
            try:
                figures.add(abs(Decimal(cell.replace(",", "").replace("£", "").strip())) * scale)
            except ArithmeticError:  # a blank or an FTE column's words
                continue
    return figures


# Fields whose text is not prose a reader takes figures from: keys, ids, titles of tables, web addresses.
_NOT_PROSE = {"key", "from_table", "table", "footnote", "url", "form", "email", "telephone", "of", "funded_by", "conditional_on", "money"}


class Survey(NamedTuple):
    """What check_text_sums reads of a decision, gathered in one walk of it: a decision holds
    thousands of values, and a walk for each of the three took three times as long."""

    texts: list[tuple[Loc, str]]
    """Every piece of prose with where it is, in the input's order: neither the `_NOT_PROSE` fields
    nor money.noted_sums, nor a table of words' money cells (sums, checked as typed figures)."""
    tables: list[tuple[Loc, TextTable]]
    """Every table of words with where it is, in the input's order; none inside a mapping or a table."""
    amounts: set[Decimal]
    """Every Decimal typed anywhere, in prose fields or not, in mappings and tables."""


def survey(decision: Decision) -> Survey:
    """The decision's prose, tables of words and typed Decimals, from one walk."""
    found = Survey([], [], set())
    _visit_model(found, (), decision, prose=True, tables=True)
    return found


# The walk: depth first, in the input's order (the findings' order), each value handed to the
# visitor for its type with where it is, whether its text is prose and whether its tables of words
# are looked for. Recursion, not generators, so that nothing is passed up through the levels above
# (a decision is a dozen levels deep at most); one visitor per type, so that a value is told apart
# by one look-up (isinstance on a pydantic model runs its metaclass's Python code).
Visitor = Callable[[Survey, Loc, Any, bool, bool], None]


def _visit_model(found: Survey, loc: Loc, model: BaseModel, prose: bool, tables: bool) -> None:
    # A model's __dict__ is its fields' values in their order (as pydantic fills it, no extra key
    # allowed; the tests check it over the examples), read without a look-up of each by name.
    for name, value in model.__dict__.items():
        if value is None or (type(value) is list and not value):
            continue  # nothing to take, and two thirds of a decision's values: not handed on
        here = loc + (name,)
        taken = prose and name not in _NOT_PROSE and here != NOTED
        if type(value) is str:  # most values: taken here rather than by a call to _take_text
            if taken:
                found.texts.append((here, value))
        else:
            _VISITOR_OF[type(value)](found, here, value, taken, tables)


def _visit_mapping(found: Survey, loc: Loc, mapping: Mapping[object, object], prose: bool, tables: bool) -> None:
    for key, value in mapping.items():  # no table of words is looked for in a mapping (none is typed in one)
        _VISITOR_OF[type(value)](found, loc + (str(key),), value, prose, False)


def _visit_sequence(found: Survey, loc: Loc, items: Sequence[object], prose: bool, tables: bool) -> None:
    for i, value in enumerate(items):
        _VISITOR_OF[type(value)](found, loc + (i,), value, prose, tables)


def _visit_table(found: Survey, loc: Loc, table: TextTable, prose: bool, tables: bool) -> None:
    """A table of words: itself, its prose (title, header, the cells outside its money columns)
    and, as in any model, whatever Decimal it may type."""
    if tables:
        found.tables.append((loc, table))
    if prose:
        money = set(table.money_columns_at)
        found.texts.append((loc + ("title",), table.title))
        found.texts.extend((loc + ("header", i), heading) for i, heading in enumerate(table.header))
        found.texts.extend((loc + ("rows", r, c), cell) for r, row in enumerate(table.rows) for c, cell in enumerate(row) if c not in money)
    _visit_model(found, loc, table, prose=False, tables=False)


def _take_text(found: Survey, loc: Loc, text: str, prose: bool, tables: bool) -> None:
    if prose:
        found.texts.append((loc, text))


def _take_amount(found: Survey, loc: Loc, amount: Decimal, prose: bool, tables: bool) -> None:
    found.amounts.add(amount)


def _skip(found: Survey, loc: Loc, value: Any, prose: bool, tables: bool) -> None:
    """A number, a date, None: nothing to take."""


# Each kind of value with its visitor, in the order they are told apart: a table of words is a
# model read in its own way.
_VISITORS: list[tuple[type | tuple[type, ...], Visitor]] = [
    (str, _take_text),
    (Decimal, _take_amount),
    (TextTable, _visit_table),
    (BaseModel, _visit_model),
    (dict, _visit_mapping),
    ((list, tuple), _visit_sequence),
]


class _Visitors(dict[type, Visitor]):
    """The visitor for values of each type, found on the type's first look-up (a dict's own
    look-up after that, with no call of Python code)."""

    def __missing__(self, cls: type) -> Visitor:
        visitor = self[cls] = next((visit for kind, visit in _VISITORS if issubclass(cls, kind)), _skip)
        return visitor


_VISITOR_OF = _Visitors()
