"""The public job board: published postings of verified employers, filtered and paginated.

Which posting the public may see is decided by one domain predicate,
:meth:`recruit.employers.models.Posting.is_active`. The board needs the same rule as SQL
to count and paginate tens of thousands of postings, so :func:`visible_clause` is its SQL
form; every posting shown is also checked with ``is_active`` itself, and
``tests/board/test_board_visibility.py`` proves the two agree for every posting status,
employer status and deadline (a new status added to the predicate fails that test until
the clause follows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.matchmaking import services as matching
from recruit.timeutil import today_local, utcnow
from recruit.universities.models import University
from recruit.validation import CITIES, DEGREES, INDUSTRIES

PER_PAGE = 20
#: Longest keyword string considered; words beyond the fifth are ignored.
MAX_QUERY = 60
MAX_WORDS = 5
#: Largest monthly salary a filter accepts (yuan); larger values are treated as this.
MAX_SALARY = 1_000_000
SORTS = ("new", "match")


def visible_clause(today: date | None = None):
    """The board's postings: :meth:`Posting.public_clause`, the one visibility rule (needs
    ``Posting`` joined to ``Employer``)."""
    return Posting.public_clause(today)


def visible_query(today: date | None = None) -> sa.Select:
    return sa.select(Posting).join(Employer, Employer.id == Posting.employer_id).where(visible_clause(today))


def count_visible() -> int:
    """How many postings the board shows without filters (the home page's "N 个在招岗位")."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Posting.id))
            .join(Employer, Employer.id == Posting.employer_id)
            .where(visible_clause())
        )
        or 0
    )


def public_posting(posting_id: int) -> Posting | None:
    """The posting if the public may see it (:meth:`Posting.is_active`), else None."""
    posting = db.session.get(Posting, posting_id)
    if posting is None or not posting.is_active():
        return None
    return posting


# ------------------------------------------------------------------ filters
def _clean_text(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()[:MAX_QUERY]


def _int_arg(value: str | None) -> int | None:
    text = _clean_text(value)
    if not text.isdigit() or len(text) > 9:
        return None if not text.isdigit() else MAX_SALARY
    return min(int(text), MAX_SALARY)


@dataclass
class BoardFilters:
    """The board's query string, validated: unknown values are dropped, never an error."""

    q: str = ""
    city: str = ""
    industry: str = ""
    degree: str = ""
    salary: int | None = None
    university: int | None = None
    sort: str = "new"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "BoardFilters":
        city = _clean_text(args.get("city"))
        industry = _clean_text(args.get("industry"))
        degree = _clean_text(args.get("degree"))
        sort = _clean_text(args.get("sort"))
        uni = _int_arg(args.get("university"))
        page = _int_arg(args.get("page")) or 1
        return cls(
            q=_clean_text(args.get("q")),
            city=city if city in CITIES else "",
            industry=industry if industry in INDUSTRIES else "",
            degree=degree if degree in DEGREES else "",
            salary=_int_arg(args.get("salary")),
            university=uni if uni and uni < MAX_SALARY else None,
            sort=sort if sort in SORTS else "new",
            page=max(min(page, 100_000), 1),
        )

    @property
    def words(self) -> list[str]:
        return self.q.split()[:MAX_WORDS]

    def args(self, **override) -> dict:
        """The non-empty filters as query-string arguments (for links)."""
        values = dict(
            q=self.q,
            city=self.city,
            industry=self.industry,
            degree=self.degree,
            salary=self.salary,
            university=self.university,
            sort=self.sort if self.sort != "new" else "",
        )
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None)}


def _like(word: str) -> str:
    escaped = word.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _word_clause(word: str):
    """The word in the title, the employer's name, the description or the majors.

    Latin letters match in any case (java finds Java); a word without them (Chinese) uses a
    plain LIKE, several times cheaper than ILIKE on PostgreSQL and the same result.
    """
    pattern = _like(word)
    majors_text = sa.cast(Posting.majors, sa.Text)
    # JSON text may hold the majors as \\uXXXX escapes (json.dumps' default): match both forms.
    ascii_pattern = _like(json.dumps(word)[1:-1])
    has_case = any(c.isascii() and c.isalpha() for c in word)

    def match(column, pat):
        return column.ilike(pat, escape="!") if has_case else column.like(pat, escape="!")

    clauses = [
        match(Posting.title, pattern),
        match(Employer.name, pattern),
        match(Posting.description, pattern),
        match(majors_text, pattern),
    ]
    if ascii_pattern != pattern:
        clauses.append(majors_text.like(ascii_pattern, escape="!"))
    return sa.or_(*clauses)


def _fair_clause(university_id: int):
    """The employer has an approved booth at an upcoming published fair of the university."""
    return sa.exists(
        sa.select(FairRegistration.id)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(
            FairRegistration.employer_id == Posting.employer_id,
            FairRegistration.status == "approved",
            Fair.university_id == university_id,
            Fair.status == "scheduled",
            Fair.ends_at >= utcnow(),
        )
    )


def filtered_query(f: BoardFilters) -> sa.Select:
    query = visible_query()
    for word in f.words:
        query = query.where(_word_clause(word))
    if f.city:
        query = query.where(Posting.city == f.city)
    if f.industry:
        query = query.where(Posting.industry == f.industry)
    if f.degree:
        query = query.where(Posting.min_degree.in_(DEGREES[: DEGREES.index(f.degree) + 1]))
    if f.salary:
        query = query.where(Posting.salary_max >= f.salary)
    if f.university:
        query = query.where(_fair_clause(f.university))
    return query


# ------------------------------------------------------------------ the page
@dataclass
class BoardRow:
    posting: Posting
    #: Upcoming fairs where the employer has an approved booth: [Fair].
    fairs: list
    #: The graduate's match (None for visitors or below the floor).
    match: object | None = None


@dataclass
class BoardPage:
    rows: list[BoardRow]
    total: int
    page: int
    per_page: int


def upcoming_fairs_by_employer(employer_ids) -> dict[int, list[Fair]]:
    """Upcoming published fairs where each employer has an approved booth, soonest first."""
    employer_ids = list(set(employer_ids))
    if not employer_ids:
        return {}
    rows = db.session.execute(
        sa.select(FairRegistration.employer_id, Fair)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(
            FairRegistration.employer_id.in_(employer_ids),
            FairRegistration.status == "approved",
            Fair.status == "scheduled",
            Fair.ends_at >= utcnow(),
        )
        .order_by(Fair.starts_at, Fair.id)
        .options(sa.orm.joinedload(Fair.university))
    ).all()
    out: dict[int, list[Fair]] = {}
    for employer_id, fair in rows:
        out.setdefault(employer_id, []).append(fair)
    return out


def board_page(f: BoardFilters, graduate=None) -> BoardPage:
    """One page of the board; with ``graduate``, each row carries the graduate's match."""
    query = filtered_query(f)
    if f.sort == "match" and graduate is not None and graduate.intention is not None:
        ids = list(
            db.session.scalars(
                query.with_only_columns(Posting.id).order_by(Posting.created_at.desc(), Posting.id.desc())
            )
        )
        rank = {pid: k for k, (pid, _s) in enumerate(matching.ranked_posting_ids(graduate))}
        ids.sort(key=lambda pid: rank.get(pid, len(rank)))  # stable: unmatched stay newest first
        total = len(ids)
        page_ids = ids[(f.page - 1) * PER_PAGE : f.page * PER_PAGE]
        loaded = {
            p.id: p
            for p in db.session.scalars(
                sa.select(Posting).where(Posting.id.in_(page_ids)).options(sa.orm.joinedload(Posting.employer))
            )
        }
        postings = [loaded[i] for i in page_ids if i in loaded]
    else:
        pagination = db.paginate(
            query.options(sa.orm.contains_eager(Posting.employer)).order_by(
                Posting.created_at.desc(), Posting.id.desc()
            ),
            page=f.page,
            per_page=PER_PAGE,
            error_out=False,
            max_per_page=PER_PAGE,
        )
        total = pagination.total or 0
        postings = list(pagination.items)
    today = today_local()
    postings = [p for p in postings if p.is_active(today)]
    fairs = upcoming_fairs_by_employer(p.employer_id for p in postings)
    matches = matching.match_for_postings(graduate, [p.id for p in postings]) if graduate is not None else {}
    rows = [BoardRow(posting=p, fairs=fairs.get(p.employer_id, []), match=matches.get(p.id)) for p in postings]
    return BoardPage(rows=rows, total=total, page=f.page, per_page=PER_PAGE)


def universities_with_fairs() -> list[University]:
    """Universities for the filter: those with an upcoming published fair."""
    return list(
        db.session.scalars(
            sa.select(University)
            .where(
                sa.exists(
                    sa.select(Fair.id).where(
                        Fair.university_id == University.id, Fair.status == "scheduled", Fair.ends_at >= utcnow()
                    )
                )
            )
            .order_by(University.name)
        )
    )
