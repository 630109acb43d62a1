"""The plan of the demo clients and their contacts: pure data drawn from the random generator, client by client."""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
from django.core.management.base import CommandError

from clients.models import Industry, Source, Status, Tier
from contacts.models import Channel

from .vocabulary import (
    CHIEF,
    CHURN_REASONS,
    CONTACTS_PER_TIER,
    CYRILLIC,
    GERMAN_UMLAUTS,
    HEAD,
    INDUSTRY_WEIGHTS,
    LATIN_EXTRA,
    MARKETS,
    NOTES,
    POSITIONS,
    SOURCE_WEIGHTS,
    STAFF_LEVEL,
    STATUS_BLOCK,
    TIER_BLOCK,
    TOP,
    Market,
    _digits,
)


def ascii_slug(text: str, *, german: bool = False, keep: str = "") -> str:
    """'Rīgas Būve' → 'rigasbuve', 'Алатау Строй' → 'alataustroy' (keeping the characters in `keep`)."""
    out = []
    for char in text.lower():
        if german and char in GERMAN_UMLAUTS:
            out.append(GERMAN_UMLAUTS[char])
        elif char in CYRILLIC:
            out.append(CYRILLIC[char])
        elif char in LATIN_EXTRA:
            out.append(LATIN_EXTRA[char])
        else:
            out.append(unicodedata.normalize("NFKD", char))
    return "".join(c for c in "".join(out) if (c.isascii() and c.isalnum()) or c in keep)


@dataclass
class ContactSpec:
    full_name: str
    position: str
    email: str
    phone: str
    language: str
    preferred_channel: str
    is_decision_maker: bool
    survey_opt_out: bool


@dataclass
class ClientSpec:
    name: str
    registration_code: str
    tier: str
    status: str
    churned_on: date | None
    churn_reason: str
    industry: str
    country: str
    city: str
    address: str
    website: str
    owner: str  # staff e-mail
    source: str
    referred_by: str | None  # registration code of an earlier client
    tags: list[str]
    notes: str
    contacts: list[ContactSpec] = field(default_factory=list)


def _weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


class Planner:
    """Draws clients one by one; the i-th client never depends on how many follow."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.codes: set[str] = set()
        self.domains: set[str] = set()
        self.phones: set[str] = set()
        self.clients: list[ClientSpec] = []
        self.tier_block: list[str] = []
        self.status_block: list[str] = []

    def _next_from_block(self, pending: list[str], block: tuple[str, ...]) -> str:
        if not pending:
            pending.extend(block)
            self.rng.shuffle(pending)
        return pending.pop()

    def _registration_code(self, market: Market) -> str:
        while True:
            code = market.registration_code(self.rng)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _name_and_domain(self, market: Market, industry: str) -> tuple[str, str]:
        for attempt in range(1000):
            core_name = f"{self.rng.choice(market.roots)} {self.rng.choice(market.words[industry])}"
            if attempt >= 30:  # the combinations of this market and industry are used up
                core_name = f"{core_name} {attempt - 28}"
            domain = f"{ascii_slug(core_name, german=market.tld == 'de')}.{market.tld}"
            if domain not in self.domains:
                self.domains.add(domain)
                return _weighted(self.rng, market.forms).format(core_name), domain
        raise CommandError(f"Ran out of company names for {market.country}.")

    def _phone(self, market: Market) -> str:
        for _ in range(100):
            prefix, digits = self.rng.choice(market.phones)
            number = prefix + _digits(self.rng, digits)
            if number not in self.phones and phonenumbers.is_valid_number(phonenumbers.parse(number)):
                self.phones.add(number)
                return number
        raise CommandError(f"Could not draw a valid phone number for {market.country}.")

    def _tags(self, market: Market, tier: str, status: str, industry: str) -> list[str]:
        rng, tags = self.rng, []
        if market.country in ("LT", "LV", "EE") and rng.random() < 0.5:
            tags.append("baltic")
        if market.country != "LT" and rng.random() < 0.6:
            tags.append("export")
        if rng.random() < (0.5 if industry in (Industry.WHOLESALE, Industry.RETAIL) else 0.05):
            tags.append("distributor")
        if rng.random() < (0.7 if status == Status.PROSPECT else 0.03):
            tags.append("pilot")
        if rng.random() < (0.3 if industry in (Industry.CONSTRUCTION, Industry.ENERGY, Industry.HEALTHCARE) else 0.08):
            tags.append("tender")
        if rng.random() < (0.3 if tier in (Tier.VIP, Tier.KEY) else 0.05):
            tags.append("partner")
        return tags[:3]

    def _contacts(self, market: Market, tier: str, domain: str) -> list[ContactSpec]:
        rng = self.rng
        contacts, surnames, emails, titles, levels = [], set(), set(), set(), set()
        for index in range(_weighted(rng, CONTACTS_PER_TIER[tier])):
            people = _weighted(rng, market.people)
            female = rng.random() < 0.5
            first = rng.choice(people.female if female else people.male)
            # No two people of one client share a surname (or a position, or a second chief).
            last_forms = rng.choice([s for s in people.surnames if s[0] not in surnames])
            surnames.add(last_forms[0])
            last = last_forms[1 if female else 0]
            positions = [
                p for p in POSITIONS[people.positions] if p[0] not in titles and not (CHIEF in levels and p[2] == CHIEF)
            ]
            if index == 0 and rng.random() < 0.7:  # the primary contact is usually a director or a head
                positions = [p for p in positions if p[2] != STAFF_LEVEL]
            male_title, female_title, level = rng.choice(positions)
            titles.add(male_title)
            levels.add(level)
            decides = level in (CHIEF, TOP) or rng.random() < (0.5 if level == HEAD else 0.05)
            german = market.tld == "de"
            first_ascii, last_ascii = ascii_slug(first, german=german), ascii_slug(last, german=german)
            local = _weighted(
                rng, ((f"{first_ascii}.{last_ascii}", 6), (f"{first_ascii[0]}.{last_ascii}", 3), (first_ascii, 1))
            )
            email, n = f"{local}@{domain}", 1
            while email in emails:
                n += 1
                email = f"{local}{n}@{domain}"
            emails.add(email)
            channels = (
                ((Channel.EMAIL, 40), (Channel.PHONE, 25), (Channel.MESSENGER, 30), (Channel.IN_PERSON, 5))
                if people.language == "ru"
                else ((Channel.EMAIL, 55), (Channel.PHONE, 30), (Channel.MESSENGER, 10), (Channel.IN_PERSON, 5))
            )
            contacts.append(
                ContactSpec(
                    full_name=f"{first} {last}",
                    position=female_title if female else male_title,
                    email=email,
                    phone=self._phone(market),
                    language=people.language,
                    preferred_channel=_weighted(rng, channels),
                    is_decision_maker=decides,
                    survey_opt_out=rng.random() < 0.04,
                )
            )
        return contacts

    def next_client(self, owners: tuple[tuple[str, int], ...]) -> ClientSpec:
        rng = self.rng
        market = _weighted(rng, ((m, m.weight) for m in MARKETS))
        tier = self._next_from_block(self.tier_block, TIER_BLOCK)
        status = self._next_from_block(self.status_block, STATUS_BLOCK)
        industry = _weighted(rng, INDUSTRY_WEIGHTS)
        name, domain = self._name_and_domain(market, industry)
        source = _weighted(rng, SOURCE_WEIGHTS)
        referred_by = None
        if source == Source.REFERRAL:
            referrers = [c for c in self.clients if c.status == Status.ACTIVE]
            if referrers:
                referred_by = rng.choice(referrers).registration_code
            else:
                source = Source.OTHER
        churned = status == Status.CHURNED
        spec = ClientSpec(
            name=name,
            registration_code=self._registration_code(market),
            tier=tier,
            status=status,
            churned_on=self.today - timedelta(days=rng.randint(7, 400)) if churned else None,
            churn_reason=rng.choice(CHURN_REASONS) if churned else "",
            industry=industry,
            country=market.country,
            city=_weighted(rng, market.cities),
            address=f"{rng.choice(market.streets)} {rng.randint(1, 120)}",
            website=f"https://www.{domain}/" if rng.random() < 0.9 else "",
            owner=_weighted(rng, owners),
            source=source,
            referred_by=referred_by,
            tags=self._tags(market, tier, status, industry),
            notes=rng.choice(NOTES) if rng.random() < 0.25 else "",
        )
        spec.contacts = self._contacts(market, tier, domain)
        self.clients.append(spec)
        return spec
