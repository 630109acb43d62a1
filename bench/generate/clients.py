"""Clients (tiers, statuses, churn), their tags and contacts.

Most clients were there before the two years of history; the rest arrive over them. A few
churn or go quiet, and each account gets a weight (busier VIP and key accounts, a long tail of
small ones) that later steps use to place interactions, orders and complaints.
"""

import math
import unicodedata

from clients.models import Client, Industry, Source, Status, Tag, Tier
from contacts.models import Channel, Contact

from . import texts
from .clock import DAY
from .world import ClientInfo, World, cumulative, weighted_table

TIERS = weighted_table(((Tier.STANDARD, 75), (Tier.KEY, 19), (Tier.VIP, 6)))
TIER_WEIGHT = {Tier.STANDARD: 1.0, Tier.KEY: 3.0, Tier.VIP: 8.0}
TIER_DISCOUNT = {Tier.STANDARD: 0, Tier.KEY: 500, Tier.VIP: 1000}  # hundredths of a percent
STATUSES = weighted_table(((Status.ACTIVE, 75), (Status.PROSPECT, 8), (Status.INACTIVE, 9), (Status.CHURNED, 8)))
COUNTRIES = weighted_table(texts.COUNTRIES)
CHANNELS = weighted_table(((Channel.EMAIL, 55), (Channel.PHONE, 35), (Channel.MESSENGER, 7), (Channel.IN_PERSON, 3)))
LANGUAGES = {
    "LT": weighted_table((("lt", 6), ("en", 3), ("ru", 1))),
    "LV": weighted_table((("en", 6), ("ru", 4))),
    "EE": weighted_table((("en", 6), ("ru", 4))),
    "KZ": weighted_table((("ru", 8), ("en", 2))),
    "GE": weighted_table((("ru", 8), ("en", 2))),
    "AM": weighted_table((("ru", 8), ("en", 2))),
}
CURRENCY = {"PL": "PLN", "SE": "SEK", "KZ": "USD", "GE": "USD", "AM": "USD"}
CHURN_REASONS = ("Moved to a competitor", "Closed the business", "Price", "Service problems", "Merged")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _lifetime(world: World, status: str, created: int) -> tuple[str, int, int, int | None]:
    """(status, activity start, activity end, churn date) for a client, consistent with each other."""
    rng, now = world.rng, world.now
    start = max(created, world.start)
    if now - created < 60 * DAY:
        return (Status.PROSPECT if rng.random() < 0.7 else Status.ACTIVE), start, now, None
    if status == Status.CHURNED:
        earliest = max(world.start, created + 240 * DAY)
        if earliest < now - 14 * DAY:
            churned = rng.randint(earliest, now - 7 * DAY)
            return status, start, churned, world.calendar.day(churned)
        status = Status.INACTIVE
    if status == Status.INACTIVE:
        end = now - rng.randint(120, 300) * DAY
        if end > start + 60 * DAY:
            return status, start, end, None
        status = Status.ACTIVE
    return status, start, now, None


def write_clients(world: World) -> None:
    """Tags, clients ordered by creation (ids grow with time, as in production), client tags, contacts."""
    rng, sizes, now = world.rng, world.sizes, world.now
    tag_id = world.first_id(Tag)
    tags = [(tag_id + n, name) for n, name in enumerate(texts.TAGS)]
    world.loader.write(Tag, ("id", "name"), tags)

    manager_weights = cumulative([rng.lognormvariate(0, 0.3) for _ in world.managers])
    managers = rng.choices(world.managers, cum_weights=manager_weights, k=sizes.clients)
    created = []
    for _ in range(sizes.clients):
        if rng.random() < 0.7:  # there before the history starts
            created.append(world.calendar.work_moment(rng, now - 6 * 365 * DAY, world.start))
        else:
            created.append(world.calendar.work_moment(rng, world.start, now - DAY))
    created.sort()

    first_id = world.first_id(Client)
    rows, domains = [], []
    for n, (moment, manager) in enumerate(zip(created, managers, strict=True)):
        client_id = first_id + n
        tier = rng.choice(TIERS)
        status, start, end, churned_on = _lifetime(world, rng.choice(STATUSES), moment)
        country = rng.choice(COUNTRIES)
        first, second = rng.choice(texts.COMPANY_FIRST), rng.choice(texts.COMPANY_SECOND)
        name = f"{first} {second} {texts.COMPANY_FORM.get(country, 'Ltd')}"
        if rng.random() < 0.3:
            name = f"{first} {second} {client_id % 997} {texts.COMPANY_FORM.get(country, 'Ltd')}"
        domain = f"{_ascii(first + second)}{client_id}.{country.lower()}"
        domains.append(domain)
        weight = TIER_WEIGHT[tier] * rng.lognormvariate(0, 0.7) * (0.25 if status == Status.PROSPECT else 1.0)
        currency = CURRENCY.get(country, "EUR") if rng.random() < 0.8 else "EUR"
        own_discount = rng.random() < 0.15
        discount = rng.choice((0, 250, 500, 750, 1500)) if own_discount else TIER_DISCOUNT[tier]
        referred = rng.randrange(first_id, client_id) if client_id > first_id and rng.random() < 0.05 else None
        world.clients.append(
            ClientInfo(client_id, tier, status, manager, moment, start, end, weight, currency, discount)
        )
        updated = rng.randint(moment, max(moment, end))
        rows.append(
            (
                client_id, moment, updated, name,
                f"{country}{client_id:09d}" if rng.random() < 0.75 else "",
                tier, status, churned_on,
                rng.choice(CHURN_REASONS) if churned_on else "",
                rng.choice(Industry.values), country, rng.choice(texts.CITIES[country]),
                f"{rng.choice(texts.STREETS)} {rng.randint(1, 180)}",
                f"https://www.{domain}" if rng.random() < 0.6 else "",
                manager,
                Source.REFERRAL if referred else rng.choice(("", Source.WEBSITE, Source.EVENT, Source.COLD_CALL)),
                referred,
                f"{discount / 100:.2f}" if own_discount else None,
                rng.choice(texts.NOTES) if rng.random() < 0.1 else "",
                manager,
            )
        )  # fmt: skip
    world.loader.write(
        Client,
        (
            "id created_at updated_at name registration_code tier status churned_on churn_reason industry "
            "country city address website account_manager_id source referred_by_id discount_percent notes "
            "created_by_id"
        ),
        rows,
    )
    del rows

    through = Client.tags.through
    link_id = world.first_id(through)
    links = []
    for client in world.clients:
        if rng.random() < 0.3:
            for tag in rng.sample(tags, rng.randint(1, 3)):
                links.append((link_id, client.id, tag[0]))
                link_id += 1
    world.loader.write(through, ("id", "client_id", "tag_id"), links)
    _write_contacts(world, domains)


def _write_contacts(world: World, domains: list[str]) -> None:
    """One primary contact per client, the rest spread by the square root of the account's weight."""
    rng, now, clients = world.rng, world.now, world.clients
    extra = world.sizes.contacts - len(clients)
    weights = cumulative([math.sqrt(c.weight) for c in clients])
    owners = [*range(len(clients)), *rng.choices(range(len(clients)), cum_weights=weights, k=extra)]
    planned = []
    seen = set()
    for index in owners:
        client = clients[index]
        primary = index not in seen
        seen.add(index)
        if primary:
            moment = client.created + rng.randint(0, 2 * DAY)
        else:
            moment = rng.randint(min(client.created + 2 * DAY + 1, now), now)
        # the primary sorts first among a client's contacts, so its id comes first in client.contacts
        planned.append((min(moment, now), index, 0 if primary else 1))
    planned.sort()

    first_id = world.first_id(Contact)
    first_names = [(name, _ascii(name)) for name in texts.FIRST_NAMES]
    last_names = [(name, _ascii(name)) for name in texts.LAST_NAMES]

    def rows():
        for n, (moment, index, order) in enumerate(planned):
            contact_id, primary = first_id + n, order == 0
            client = clients[index]
            domain = domains[index]
            country = domain.rsplit(".", 1)[1].upper()
            (first, first_ascii), (last, last_ascii) = rng.choice(first_names), rng.choice(last_names)
            language = rng.choice(LANGUAGES.get(country, ("en",)))
            client.contacts.append(contact_id)
            client.contact_languages.append(language)
            phone = ""
            if rng.random() < 0.8:
                phone = f"{texts.PHONE_PREFIX[country]}{rng.randrange(1_000_000, 9_999_999)}"
            yield (
                contact_id, moment, moment, client.id, f"{first} {last}", rng.choice(texts.POSITIONS),
                f"{first_ascii}.{last_ascii}.{contact_id}@{domain}" if rng.random() < 0.9 else "",
                phone, rng.choice(CHANNELS), language, primary,
                primary or rng.random() < 0.2, rng.random() < 0.03,
            )  # fmt: skip

    world.loader.write(
        Contact,
        (
            "id created_at updated_at client_id full_name position email phone preferred_channel language "
            "is_primary is_decision_maker survey_opt_out"
        ),
        rows(),
    )
