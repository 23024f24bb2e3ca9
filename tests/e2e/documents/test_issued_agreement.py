"""The grant agreements MOPAC issues: one per recipient from one input, each with the recipient's
sums by year, its payment profile, MOPAC's clauses for grants out and its offer letter; and every
rule that keeps them in line with the decision, with an input that breaks it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.build.generate import generate
from generator.docx.read import document_lines
from tests.conftest import EXAMPLES, WriteInput
from tests.support.problems import assert_one, problems_of

LCPF = EXAMPLES / "pcd-421-lcpf.yaml"


@pytest.fixture(scope="module")
def agreements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    built = generate(LCPF, out_dir=tmp_path_factory.mktemp("lcpf"))
    return {p.name: document_lines(p) for p in built.outputs if "-grant-agreement-" in p.name}


def _money(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def _rows(lines: list[str], header: str) -> list[list[str]]:
    """The body rows of the table whose header row is `header`."""
    start = lines.index(header) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_one_agreement_per_recipient_named_for_it(agreements: dict[str, list[str]]) -> None:
    assert sorted(agreements) == [
        f"pcd-421-lcpf-grant-agreement-{key}.docx" for key in ("barking-and-dagenham", "barnet", "camden", "croydon")
    ]


@pytest.mark.parametrize("key", ["barking-and-dagenham", "barnet", "camden", "croydon"])
def test_each_agreement_holds_its_recipients_grant_by_year(agreements: dict[str, list[str]], key: str) -> None:
    """The sums printed are the decision's: the breakdown is the grant's years, the claims add up
    to each year's grant, and the offer letter and the key details state the same total."""
    grant = next(g for g in yaml.safe_load(LCPF.read_text(encoding="utf-8"))["money"]["grants"] if g["key"] == key)
    years = {year: Decimal(str(value)) for year, value in grant["by_year"].items()}
    total = sum(years.values(), Decimal(0))
    lines = agreements[f"pcd-421-lcpf-grant-agreement-{key}.docx"]
    breakdown = _rows(lines, "|h| Financial Year | Amount |")
    assert breakdown[:-1] == [[f"Financial Year {y}", f"£{v:,.2f}"] for y, v in years.items()]
    assert breakdown[-1] == ["Total (Maximum Sum)", f"£{total:,.2f}"]
    claims = _rows(lines, "|h| Claim | Claim Period | Period ends | Amount |")
    assert len(claims) == 9, "quarterly over two years, and the total"
    by_year: dict[str, Decimal] = {}
    for _, _, ends, amount in claims[:-1]:
        _, month, year = map(int, ends.split("/"))
        start = year if month >= 4 else year - 1
        label = f"{start}/{(start + 1) % 100:02d}"
        by_year[label] = by_year.get(label, Decimal(0)) + _money(amount)
    assert by_year == years
    assert _money(claims[-1][-1]) == total
    assert f"| Maximum Sum | £{total:,.2f} |" in lines
    letter = next(line for line in lines if line.startswith("[Normal] I am pleased to offer"))
    assert f"a grant of up to £{total:,.2f}" in letter
    assert all(f"£{v:,.2f} in {y}" in letter for y, v in years.items())


def test_an_agreement_is_mopacs_to_the_recipient_with_the_clauses_of_a_grant_out(agreements: dict[str, list[str]]) -> None:
    lines = agreements["pcd-421-lcpf-grant-agreement-croydon.docx"]
    assert "[Heading 1] Offer of grant: London Crime Prevention Fund 2019/20 and 2020/21" in lines
    assert lines.index("[Heading 1] Offer of grant: London Crime Prevention Fund 2019/20 and 2020/21") < lines.index(
        "[Heading 1] GRANT AGREEMENT"
    )
    assert any(
        line.startswith("[Party] THE MAYOR'S OFFICE FOR POLICING AND CRIME of 169 Union Street") and "(the “Authority”)" in line
        for line in lines
    )
    assert any(line.startswith("[Party] THE LONDON BOROUGH OF CROYDON of Bernard Weatherill House") for line in lines)
    headings = [line for line in lines if line.startswith("[Heading 3]")]
    assert "[Heading 3] Funding after the first Financial Year" in headings, "a two-year grant"
    conditions = lines[lines.index("[Heading 3] Additional conditions") + 1 :][:4]
    assert conditions[0] == "[Clause Text] The Grant is also paid on the conditions below."
    assert conditions[3].startswith("[Clause Item] The Grant Recipient shall give the Authority, by 30 June 2019"), "Croydon's own"
    barnet = agreements["pcd-421-lcpf-grant-agreement-barnet.docx"]
    assert not any("Violence Reduction programme" in line for line in barnet), "a recipient's condition is its own"
    assert any("shall not be used to replace funding the Grant Recipient already provides" in line for line in lines)


def test_a_one_year_grant_has_no_clause_on_later_years(write_input: WriteInput, tmp_path: Path) -> None:
    text = LCPF.read_text(encoding="utf-8").replace("  end: 2021-03-31\n", "  end: 2020-03-31\n")
    text = re.sub(r"(by_year: \{2019/20: [\d.]+), 2020/21: [\d.]+\}", r"\1}", text)
    text = text.replace("        2020/21: 13105185.00\n", "")
    text = text.replace("£26,210,370", "£13,105,185").replace(" and 2020/21 (£13,105,185)", "")
    path = write_input(text)
    built = generate(path, out_dir=tmp_path / "out", only="grant-agreement")
    lines = document_lines(next(p for p in built.outputs if p.name.endswith("-croydon.docx")))
    assert "[Heading 3] Funding after the first Financial Year" not in lines
    assert "[Heading 3] Additional conditions" in lines
    at = lines.index("[Heading 3] Additional conditions")
    assert lines[at + 1].endswith("The Grant is also paid on the conditions below."), "the library's lead-in, its items the conditions"


# --------------------------------------------------------------------------- rules


def _lcpf(old: str, new: str) -> str:
    text = LCPF.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        pytest.param(
            re.sub(r"grant_agreements:\n(  .*\n|\n)+", "", LCPF.read_text(encoding="utf-8")),
            "money.grants[0].agreement",
            "an agreement needs the terms every agreement for this decision shares: add a grant_agreements section",
            id="an agreement without the shared terms",
        ),
        pytest.param(
            _lcpf("      by_year: {2019/20: 502118.00, 2020/21: 502118.00}\n", "      by_year: {2019/20: 502118.00, 2021/22: 502118.00}\n"),
            "money.grants[0].by_year.2021/22",
            "is outside the agreements' funding period (2019/20, 2020/21)",
            id="a year outside the funding period",
        ),
        pytest.param(
            _lcpf("      by_year: {2019/20: 502118.00, 2020/21: 502118.00}\n", "      amount: 1004236.00\n"),
            "money.grants[0].amount",
            "the agreement allocates the grant to each financial year of its funding period (2019/20, 2020/21): give the grant by_year",
            id="a two-year grant not given by year",
        ),
        pytest.param(
            _lcpf(
                "        signatory: {position: Director of Community Solutions}\n",
                "        signatory: {position: Director of Community Solutions}\n"
                "        payment_profile:\n"
                "          - {period: 2019/20, date: 2020-03-31, amount: 502118.00}\n"
                "          - {period: 2020/21, date: 2021-03-31, amount: 500000.00}\n",
            ),
            "money.grants[0].agreement.payment_profile",
            "claims £500,000.00 in 2020/21, but the grant for 2020/21 is £502,118.00 (see money.grants[0].by_year.2020/21 at FILE:",
            id="a recipient's own claims that are not its grant for a year",
        ),
        pytest.param(
            _lcpf(
                "        signatory: {position: Director of Community Solutions}\n",
                "        signatory: {position: Director of Community Solutions}\n"
                "        payment_profile:\n"
                "          - {period: 2019/20, date: 2020-03-31, amount: 502118.00}\n"
                "          - {period: 2021/22, date: 2021-06-30, amount: 502118.00}\n",
            ),
            "money.grants[0].agreement.payment_profile[1].date",
            "30/06/2021 is outside the funding period 01/04/2019 to 31/03/2021",
            id="a claim after the funding period",
        ),
        pytest.param(
            _lcpf(
                "          - {party: recipient, role: Community Safety Partnership Manager",
                "          - {party: authority, role: Community Safety Partnership Manager",
            ),
            "money.grants[0].agreement.contacts[0].party",
            "is the authority, but these are the recipient's contacts: give MOPAC's under grant_agreements",
            id="MOPAC's contact given as the recipient's",
        ),
        pytest.param(
            _lcpf("  start: 2019-04-01\n", "  start: 2019-05-01\n"),
            "grant_agreements.start",
            "the funding period 01/05/2019 to 31/03/2021 is not whole financial years (1 April to 31 March), so the standard payment profile cannot divide it",
            id="a period the standard profile cannot divide",
        ),
        pytest.param(
            _lcpf("    accept_by: 2018-12-14\n", "    accept_by: 2018-10-01\n"),
            "grant_agreements.offer_letter.accept_by",
            "is 01/10/2018, not after the letter's date 22/10/2018: the offer must be open to accept",
            id="an offer that lapses before it is made",
        ),
        pytest.param(
            _lcpf("\n  conditions:\n", '\n  conditions:\n    - "Report {nonsense} quarterly."\n'),
            "grant_agreements.conditions[0]",
            "unknown placeholder {nonsense} (known: {authority}",
            id="a condition with a placeholder no clause fills (it crashed the render)",
        ),
        pytest.param(
            _lcpf("        conditions:\n", '        conditions:\n          - "As {clause:renewal} says."\n'),
            "money.grants[3].agreement.conditions[0]",
            "{clause:renewal}: no standard clause 'renewal'",
            id="a recipient's condition referring to no clause",
        ),
    ],
)
def test_each_rule_of_the_agreements_mopac_issues(write_input: WriteInput, text: str, field: str, message: str) -> None:
    assert_one(problems_of(write_input, text), field, message)


def test_shared_terms_with_no_agreement_to_issue(write_input: WriteInput) -> None:
    text = re.sub(r"      agreement:\n(        .*\n|          .*\n)+", "", LCPF.read_text(encoding="utf-8"))
    assert_one(
        problems_of(write_input, text),
        "grant_agreements",
        "no grant gets an agreement: give the recipients' grants under money.grants, each with its `agreement`",
    )
