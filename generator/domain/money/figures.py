"""The sums a decision types, by key, as the recommendations and the checks of its text read them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from generator.domain.common.findings import Finding, Loc
from generator.domain.common.money import pounds
from generator.domain.decision_form.model import Recommendation, RecommendationItem
from generator.domain.money.model import Allocation, Contract, GrantOut, Income, MoneyFlows

ROOT: Loc = ("money",)


@dataclass(frozen=True)
class Sum:
    """One typed sum with a key: its total, its years, the other figures text may name it by
    (a contract's maximum value, the sum of each of n grants), and what is typed, which a
    sub-item words."""

    key: str
    loc: Loc
    total: Decimal
    by_year: Mapping[str, Decimal]
    typed: Income | GrantOut | Allocation | Contract
    parts: frozenset[Decimal] = field(default=frozenset())

    @property
    def figures(self) -> frozenset[Decimal]:
        return frozenset({self.total, *self.by_year.values(), *self.parts})

    @property
    def wording(self) -> str:
        """How a sub-item words it, worded when asked: each rule that reads a figure works out the
        sums, and only a sub-item without text of its own reads a wording."""
        return _WORDING[type(self.typed)](self.typed)


def sums(flows: MoneyFlows | None) -> dict[str, Sum]:
    """Every keyed sum under `money`; where a key is used twice, the first (the rules report the second)."""
    found: dict[str, Sum] = {}
    for item in _keyed(flows):
        if item.key not in found:
            found[item.key] = item
    return found


def keyed(flows: MoneyFlows | None) -> list[Sum]:
    """Every keyed sum under `money`, in order, duplicates and all."""
    return list(_keyed(flows))


def _keyed(flows: MoneyFlows | None) -> Iterator[Sum]:
    if flows is None:
        return
    for i, income in enumerate(flows.funding):
        yield _income(ROOT + ("funding", i), income)
    for i, grant in enumerate(flows.grants):
        yield _grant(ROOT + ("grants", i), grant)
    for i, allocation in enumerate(flows.allocations):
        yield _allocation(ROOT + ("allocations", i), allocation)
    for i, contract in enumerate(flows.contracts):
        yield _contract(ROOT + ("contracts", i), contract)


def _years(by_year: Mapping[str, Decimal] | None) -> str:
    if not by_year:
        return ""
    if len(by_year) == 1:
        return f" in {next(iter(by_year))}"
    return " (" + "; ".join(f"{year}: {pounds(value)}" for year, value in by_year.items()) + ")"


def _income(loc: Loc, income: Income) -> Sum:
    return Sum(income.key, loc, income.total, dict(income.by_year or {}), income)


def _income_wording(income: Income) -> str:
    wording = f"{pounds(income.total)} from {income.source}{_years(income.by_year)}"
    if income.kind == "bid":
        wording += ", should the bid be successful"
    return wording


def _grant(loc: Loc, grant: GrantOut) -> Sum:
    return Sum(grant.key, loc, grant.total, dict(grant.by_year or {}), grant)


def _grant_wording(grant: GrantOut) -> str:
    return f"{pounds(grant.total)} to {grant.recipient}{_years(grant.by_year)}"


def _allocation(loc: Loc, allocation: Allocation) -> Sum:
    parts = frozenset({allocation.each} if allocation.each is not None else ())
    return Sum(allocation.key, loc, allocation.total, dict(allocation.by_year or {}), allocation, parts)


def _allocation_wording(allocation: Allocation) -> str:
    each = ""
    if allocation.grants is not None and allocation.each is not None:
        each = f", as {allocation.grants} grant{'s' if allocation.grants > 1 else ''} of {pounds(allocation.each)}"
        each += " each" if allocation.grants > 1 else ""
    return f"up to {pounds(allocation.total)} for {allocation.purpose}{_years(allocation.by_year)}{each}"


def _contract(loc: Loc, contract: Contract) -> Sum:
    parts = {e.value for e in contract.extensions if e.value is not None}
    if contract.maximum_value is not None:
        parts.add(contract.maximum_value)
    return Sum(contract.key, loc, contract.value, {}, contract, frozenset(parts))


def _contract_wording(contract: Contract) -> str:
    who = f" with {contract.supplier}" if contract.supplier else ""
    wording = f"a contract for {contract.purpose}{who} for {contract.term} at a value of {pounds(contract.value)}"
    if contract.extensions:
        options = " and ".join(e.term for e in contract.extensions)
        wording += f", with the option to extend for {options}"
    if contract.maximum_value is not None:
        wording += f", to a maximum value of {pounds(contract.maximum_value)}"
    return wording


# How a sub-item words a sum, by the type of what is typed.
_WORDING: dict[type, Callable[[Any], str]] = {
    Income: _income_wording,
    GrantOut: _grant_wording,
    Allocation: _allocation_wording,
    Contract: _contract_wording,
}


class Outgoing(NamedTuple):
    """One sum of money out: where it is typed, its key, what pays for it, its total and years."""

    loc: Loc
    key: str
    source: str | None
    total: Decimal
    by_year: Mapping[str, Decimal]


def outgoing(flows: MoneyFlows) -> Iterator[Outgoing]:
    """Every sum of money out: grants, allocations and contracts, a contract at the value of its
    initial term (what the decision commits; an extension is an option, not yet money out)."""
    for i, g in enumerate(flows.grants):
        yield Outgoing(ROOT + ("grants", i), g.key, g.funded_by, g.total, g.by_year or {})
    for i, a in enumerate(flows.allocations):
        yield Outgoing(ROOT + ("allocations", i), a.key, a.funded_by, a.total, a.by_year or {})
    for i, c in enumerate(flows.contracts):
        yield Outgoing(ROOT + ("contracts", i), c.key, c.funded_by, c.value, {})


def years_add_up(loc: Loc, amount: Decimal | None, by_year: Mapping[str, Decimal] | None) -> list[Finding]:
    """A sum given in total and by year: its years must make the total (the finding at `amount`)."""
    if amount is None or not by_year:
        return []
    total = sum(by_year.values(), Decimal(0))
    if total == amount:
        return []
    years = " + ".join(f"{pounds(v)} ({y})" for y, v in by_year.items())
    return [
        Finding(loc + ("amount",), f"is {pounds(amount)}, but its years add up to {pounds(total)}: {years}", related=loc + ("by_year",))
    ]


def referenced(keys: list[str] | None, known: Mapping[str, Sum]) -> list[Sum] | None:
    """The sums `keys` name, or None when there are none or one is unknown (the rules report it)."""
    if not keys or any(k not in known for k in keys):
        return None
    return [known[k] for k in keys]


class Totalled(Protocol):
    """Anything with a total: a sum, a source of money, a grant, money out."""

    @property
    def total(self) -> Decimal: ...


def total_of(items: Iterable[Totalled]) -> Decimal:
    """The items' totals added up."""
    return sum((s.total for s in items), Decimal(0))


def approved(item: Recommendation | RecommendationItem, known: Mapping[str, Sum]) -> Decimal | None:
    """The sum a recommendation or sub-item approves: its amount, or the total of the sums it points at."""
    if item.amount is not None:
        return item.amount
    pointed = referenced(item.money, known)
    return total_of(pointed) if pointed is not None else None


def worded(keys: list[str], known: Mapping[str, Sum]) -> str:
    """A sub-item worded from the sums it points at: '£250,000.00 to British Transport Police and …'."""
    phrases = [known[k].wording for k in keys if k in known]
    if len(phrases) > 1:
        return ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return phrases[0] if phrases else ""


def worded_recommendations(recommendations: list[Recommendation], known: Mapping[str, Sum]) -> list[Recommendation]:
    """The recommendations as printed: each sub-item left without text worded from its sums, and
    punctuated as a list in a sentence is ('…;', '…; and', '….')."""

    def word(item: RecommendationItem, n: int, count: int) -> RecommendationItem:
        if item.text is not None:
            return item
        end = "." if n == count - 1 else "; and" if n == count - 2 else ";"
        return item.model_copy(update={"text": worded(item.money or [], known) + end})

    def words(rec: Recommendation) -> Recommendation:
        items = [word(item, n, len(rec.sub_items)) for n, item in enumerate(rec.sub_items)]
        if all(new is old for new, old in zip(items, rec.sub_items, strict=True)):
            return rec  # every sub-item has its own text: printed as it is, with no copy to make
        return rec.model_copy(update={"sub_items": items})

    return [words(rec) for rec in recommendations]
