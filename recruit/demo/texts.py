"""Vocabularies and sentence pieces for the demo data (``flask --app wsgi demo load``).

The data lives in JSON files in ``recruit/demo/data/`` (``universities``, ``graduates``,
``employers``, ``postings``, ``fairs``); each file's ``_about`` explains its lists. Everything
there is invented for demonstration: the universities are real Guizhou schools (their names,
cities and typical majors are public, §4), but the employers, people, numbers and texts are made
up. Postings and graduate statements are composed from several alternative pieces so that the
matching engine sees natural, varied Chinese rather than one template.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


_universities = _load("universities")
#: Dicts with code, name, city, graduates_count, degree weights, majors and venues.
UNIVERSITIES: list[dict] = _universities["UNIVERSITIES"]
ORGANIZER_NAMES: dict[str, str] = _universities["ORGANIZER_NAMES"]

_graduates = _load("graduates")
MAJOR_PROFILE: dict[str, str] = _graduates["MAJOR_PROFILE"]
PROFILES: dict[str, dict] = _graduates["PROFILES"]
GENERIC_EXPERIENCES: list[str] = _graduates["GENERIC_EXPERIENCES"]
STATEMENT_OPENINGS: list[str] = _graduates["STATEMENT_OPENINGS"]
STATEMENT_OPENINGS_PAST: list[str] = _graduates["STATEMENT_OPENINGS_PAST"]
STATEMENT_WISHES: list[str] = _graduates["STATEMENT_WISHES"]
STATEMENT_TRAITS: list[str] = _graduates["STATEMENT_TRAITS"]
SURNAMES: str = _graduates["SURNAMES"]
GIVEN_CHARS: str = _graduates["GIVEN_CHARS"]
HOMETOWNS: list[str] = _graduates["HOMETOWNS"]

_employers = _load("employers")
CITY_DIVISION: dict[str, str] = _employers["CITY_DIVISION"]
BRANDS: list[str] = _employers["BRANDS"]
EMPLOYER_KINDS: dict[str, list[list]] = _employers["EMPLOYER_KINDS"]
EMPLOYER_MIX: dict[str, int] = _employers["EMPLOYER_MIX"]
CITY_PREFIX: dict[str, str] = _employers["CITY_PREFIX"]
REJECT_REASONS: list[str] = _employers["REJECT_REASONS"]

_postings = _load("postings")
OCCUPATIONS: dict[str, dict] = _postings["OCCUPATIONS"]
INDUSTRY_OCCUPATIONS: dict[str, list[str]] = _postings["INDUSTRY_OCCUPATIONS"]
COMPANY_SENTENCES: list[str] = _postings["COMPANY_SENTENCES"]
GENERIC_NEEDS: list[str] = _postings["GENERIC_NEEDS"]
BENEFITS: list[str] = _postings["BENEFITS"]

_fairs = _load("fairs")
SPECIAL_THEMES: list[list[str]] = _fairs["SPECIAL_THEMES"]
SPECIAL_DESCRIPTIONS: list[str] = _fairs["SPECIAL_DESCRIPTIONS"]
LARGE_DESCRIPTIONS: list[str] = _fairs["LARGE_DESCRIPTIONS"]
CANCEL_REASONS: list[str] = _fairs["CANCEL_REASONS"]
REGISTRATION_NOTES: list[str] = _fairs["REGISTRATION_NOTES"]
REGISTRATION_REJECT_REASONS: list[str] = _fairs["REGISTRATION_REJECT_REASONS"]
