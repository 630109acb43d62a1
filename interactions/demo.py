"""The demo seeder of interactions, follow-ups and reminders (registered as "interactions" in apps.py).

It runs after the clients seeder and gives each demo client a year of history, logged by
its account manager with the client's own contacts:
- how often depends on the tier (VIP 2-4 a month, key 1-2, standard 0.2-0.8), prospects
  are being courted, inactive clients hear little;
- churned clients thin out over their last four months and go silent 1-3 months before the
  churn date, with more complaints and competitor talk on the way (the shape a churn-risk
  backtest needs);
- 10-15 % of the active clients are deliberately going cold (last contact older than their
  tier's cadence), every other active or prospect client was contacted within it;
- each manager gets an agenda around the time of seeding: overdue follow-ups, some due later
  today (in the manager's time zone), some this week, meetings later today and soon; the
  README's demo user (manager1) gets a full day, the others a lighter one.

Rows are written with `bulk_create` (no history records: nobody edited them) and their
timestamps moved to when they "happened". Reminders follow the rules of
`services.reminders` (one per open follow-up and per planned meeting or visit, at its time
minus the person's lead time), except that one whose time is already past is stored as
sent: starting the app must not e-mail a hundred stale reminders.

Times are relative to `timezone.now()`; the structure comes from random generators seeded
per client (by registration code) and per manager (by e-mail), so adding clients later
never changes the history of the earlier ones. A client that has any interaction is left
alone, which makes a second run add nothing.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.

import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status, Tier
from contacts.demo import demo_client_codes
from contacts.models import Contact

from .models import (
    Direction,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionStatus,
    Kind,
    Outcome,
    Reminder,
    ReminderStatus,
)
from .selectors import get_cadence_days

SHOWCASE_USER = "manager1@demo.crm"  # the README's sign-in: their "My day" must look alive
HISTORY_DAYS = 365
WORKING_DAYS_PER_MONTH = 21.7
MONTHLY_RATE = {Tier.VIP: (2.0, 4.0), Tier.KEY: (1.0, 2.0), Tier.STANDARD: (0.2, 0.8)}  # active clients
PROSPECT_RATE = (0.8, 1.6)
INACTIVE_RATE = (0.05, 0.2)
THINNING_DAYS = 120  # a churning client fades out over its last four months
COLD_SHARE = (0.10, 0.15)
RUSSIAN_MARKETS = ("KZ", "GE", "AM")
TIER_WEIGHT = {Tier.VIP: 3, Tier.KEY: 2, Tier.STANDARD: 1}

PROSPECT, REGULAR, DECLINING = "prospect", "regular", "declining"


# --- What managers write -------------------------------------------------------------------------------------
# Placeholders: {contact} (a first name in English, the full name otherwise, always in the
# nominative: Russian and Lithuanian names decline), {qty} 5-40, {pct} 3-15, {days} 2-10, {weeks} 2-6.


@dataclass(frozen=True)
class Topic:
    weights: dict[str, int]  # phase → weight
    kinds: tuple[tuple[str, int], ...]
    inbound: float  # chance that the client started it
    outcomes: tuple[tuple[str, int], ...]
    texts: dict[str, tuple[tuple[str, str], ...]]  # language → (subject, notes) variants
    follow_up: dict[str, str] | None = None  # language → title of the follow-up it may lead to


TOPICS = (
    Topic(
        {REGULAR: 12, DECLINING: 4},
        ((Kind.CALL, 1),),
        0.0,
        ((Outcome.REACHED, 6), (Outcome.NEXT_STEP, 2)),
        {
            "en": (
                ("Regular check-in", "Called {contact} for the monthly check-in. All fine on their side; next order "
                 "expected in about {weeks} weeks."),
                ("Checking in", "Called {contact}: sales are steady, no changes to the usual volumes."),
            ),
            "ru": (("Плановый звонок", "Созвонились. {contact}: всё в порядке, следующий заказ ожидают примерно "
                    "через {weeks} нед."),),
            "lt": (("Planinis skambutis", "Paskambinau. {contact}: viskas gerai, kito užsakymo tikisi maždaug po "
                    "{weeks} sav."),),
        },
    ),
    Topic(
        {REGULAR: 12, DECLINING: 3},
        ((Kind.EMAIL, 6), (Kind.CHAT, 4)),
        1.0,
        ((Outcome.REACHED, 5), (Outcome.NEXT_STEP, 2)),
        {
            "en": (
                ("Repeat order", "{contact} sent the repeat order: {qty} pallets, same mix as last time. Confirmed the "
                 "delivery date."),
                ("Order for next week", "{contact} asked to add {qty} pallets to next week's delivery."),
            ),
            "ru": (("Повторный заказ", "Пришёл повторный заказ ({contact}): {qty} паллет, как в прошлый раз. "
                    "Подтвердили дату поставки."),),
            "lt": (("Pakartotinis užsakymas", "{contact} atsiuntė pakartotinį užsakymą: {qty} pal., kaip ir "
                    "praėjusį kartą. Patvirtinome pristatymo datą."),),
        },
        {"en": "Confirm the delivery date", "ru": "Подтвердить дату поставки", "lt": "Patvirtinti pristatymo datą"},
    ),
    Topic(
        {REGULAR: 7, PROSPECT: 2, DECLINING: 3},
        ((Kind.EMAIL, 8), (Kind.CALL, 2)),
        0.1,
        ((Outcome.REACHED, 3), (Outcome.NEXT_STEP, 2), ("", 3)),
        {
            "en": (("Price list for next quarter", "Sent the new price list: {pct}% up on average on the core range. "
                    "{contact} will review it with finance."),),
            "ru": (("Прайс-лист на следующий квартал", "Отправили новый прайс-лист: в среднем +{pct}% по основному "
                    "ассортименту. {contact} согласует с финансовым отделом."),),
            "lt": (("Kito ketvirčio kainoraštis", "Išsiunčiau naują kainoraštį: pagrindinio asortimento kainos "
                    "vidutiniškai +{pct}%. {contact} aptars su finansų skyriumi."),),
        },
        {"en": "Call about the new price list", "ru": "Обсудить новый прайс-лист", "lt": "Aptarti naują kainoraštį"},
    ),
    Topic(
        {REGULAR: 5, DECLINING: 8},
        ((Kind.CALL, 5), (Kind.EMAIL, 3), (Kind.CHAT, 2)),
        1.0,
        ((Outcome.ISSUE_RAISED, 6), (Outcome.REACHED, 2)),
        {
            "en": (
                ("Late delivery", "{contact}: the last delivery came {days} days late and they had to move "
                 "production. Promised to check with logistics."),
                ("Damaged goods in the last delivery", "{contact} reports {qty} damaged boxes, photos by e-mail. "
                 "Agreed on a credit note."),
            ),
            "ru": (
                ("Задержка поставки", "{contact}: последняя поставка опоздала на {days} дн. Обещали разобраться с "
                 "логистикой."),
                ("Повреждённый товар", "{contact} сообщает о {qty} повреждённых коробках, фото по почте. "
                 "Договорились о кредит-ноте."),
            ),
            "lt": (
                ("Vėluojantis pristatymas", "{contact}: paskutinis pristatymas vėlavo {days} d. Pažadėjau "
                 "pasitikslinti su logistika."),
                ("Pažeistos prekės", "{contact} praneša apie {qty} pažeistas dėžes, nuotraukos el. paštu. Sutarėme dėl "
                 "kreditinės sąskaitos."),
            ),
        },
        {"en": "Check the delivery issue with logistics", "ru": "Разобраться с логистикой по поставке",
         "lt": "Išsiaiškinti su logistika dėl pristatymo"},
    ),
    Topic(
        {REGULAR: 3, DECLINING: 1},
        ((Kind.EMAIL, 1),),
        1.0,
        ((Outcome.REACHED, 4), ("", 2)),
        {
            "en": (("Invoice question", "{contact} asked for a copy of the last invoice with a corrected VAT line. "
                    "Sent the same day."),),
            "ru": (("Вопрос по счёту", "{contact} просит копию последнего счёта с исправленной строкой НДС. "
                    "Отправили в тот же день."),),
            "lt": (("Klausimas dėl sąskaitos", "{contact} paprašė paskutinės sąskaitos kopijos su pataisyta PVM "
                    "eilute. Išsiunčiau tą pačią dieną."),),
        },
    ),
    Topic(
        {REGULAR: 2, DECLINING: 3},
        ((Kind.EMAIL, 6), (Kind.CALL, 4)),
        0.0,
        ((Outcome.REACHED, 3), (Outcome.NEXT_STEP, 2), (Outcome.ISSUE_RAISED, 1)),
        {
            "en": (("Payment reminder", "Reminded {contact} about the overdue invoice; payment promised within {days} "
                    "days."),),
            "ru": (("Напоминание об оплате", "Напомнили о просроченном счёте. {contact}: оплатят в течение {days} "
                    "дн."),),
            "lt": (("Priminimas apie apmokėjimą", "Priminiau apie vėluojančią sąskaitą. {contact}: apmokės per "
                    "{days} d."),),
        },
        {"en": "Check that the invoice was paid", "ru": "Проверить оплату счёта",
         "lt": "Patikrinti, ar sąskaita apmokėta"},
    ),
    Topic(
        {REGULAR: 6, DECLINING: 2},
        ((Kind.MEETING, 6), (Kind.VISIT, 4)),
        0.0,
        ((Outcome.NEXT_STEP, 5), (Outcome.REACHED, 3)),
        {
            "en": (
                ("Quarterly business review", "Reviewed volumes, service level and open issues with {contact}. They "
                 "plan to widen the range by {pct}% next quarter."),
                ("Account review", "Met {contact} and the buying team; agreed on a joint forecast for the next {weeks} "
                 "months."),
            ),
            "ru": (("Квартальная встреча", "Обсудили объёмы, уровень сервиса и открытые вопросы (со стороны "
                    "клиента — {contact}). В следующем квартале планируют расширить ассортимент на {pct}%."),),
            "lt": (("Ketvirčio aptarimas", "Aptarėme apimtis, aptarnavimo lygį ir atvirus klausimus (iš kliento "
                    "pusės – {contact}). Kitą ketvirtį planuoja plėsti asortimentą {pct}%."),),
        },
        {"en": "Send the meeting summary and next steps", "ru": "Отправить итоги встречи",
         "lt": "Išsiųsti susitikimo santrauką"},
    ),
    Topic(
        {REGULAR: 3, DECLINING: 2},
        ((Kind.MEETING, 5), (Kind.CALL, 3)),
        0.1,
        ((Outcome.NEXT_STEP, 4), (Outcome.REACHED, 2)),
        {
            "en": (("Contract renewal", "Discussed the renewal with {contact}: they want fixed prices for 12 months "
                    "and 60-day payment terms."),),
            "ru": (("Продление договора", "Обсудили продление договора. {contact}: хотят фиксированные цены на 12 "
                    "месяцев и отсрочку платежа."),),
            "lt": (("Sutarties pratęsimas", "Aptarėme sutarties pratęsimą. {contact}: nori fiksuotų kainų 12 mėn. ir "
                    "atidėto mokėjimo."),),
        },
        {"en": "Send the draft contract", "ru": "Отправить проект договора", "lt": "Išsiųsti sutarties projektą"},
    ),
    Topic(
        {REGULAR: 3, PROSPECT: 4},
        ((Kind.VISIT, 6), (Kind.MEETING, 4)),
        0.0,
        ((Outcome.NEXT_STEP, 3), (Outcome.REACHED, 2)),
        {
            "en": (("New product samples", "Brought samples of the new range; {contact} will test them and come back "
                    "in {weeks} weeks."),),
            "ru": (("Образцы новой продукции", "Привезли образцы новой линейки. {contact} протестирует и ответит "
                    "через {weeks} нед."),),
            "lt": (("Naujų produktų pavyzdžiai", "Atvežiau naujo asortimento pavyzdžius. {contact} išbandys ir "
                    "atsakys po {weeks} sav."),),
        },
        {"en": "Ask for feedback on the samples", "ru": "Узнать отзыв об образцах",
         "lt": "Paklausti atsiliepimų apie pavyzdžius"},
    ),
    Topic(
        {REGULAR: 3, DECLINING: 4},
        ((Kind.CALL, 6), (Kind.EMAIL, 4)),
        1.0,
        ((Outcome.NEXT_STEP, 3), (Outcome.ISSUE_RAISED, 2)),
        {
            "en": (("Volume discount request", "{contact} asks for a {pct}% discount for committing to a yearly "
                    "volume. Will prepare an offer."),),
            "ru": (("Запрос скидки за объём", "{contact} просит скидку {pct}% при годовом объёме. Подготовим "
                    "предложение."),),
            "lt": (("Prašymas dėl nuolaidos už kiekį", "{contact} prašo {pct}% nuolaidos už metinį kiekį. Paruošiu "
                    "pasiūlymą."),),
        },
        {"en": "Prepare a volume discount offer", "ru": "Подготовить предложение по скидке",
         "lt": "Paruošti nuolaidos pasiūlymą"},
    ),
    Topic(
        {REGULAR: 4},
        ((Kind.CHAT, 6), (Kind.CALL, 4)),
        1.0,
        ((Outcome.REACHED, 5),),
        {
            "en": (("Stock availability", "{contact} asked whether we have {qty} units in stock for next week. "
                    "Confirmed."),),
            "ru": (("Наличие на складе", "{contact} уточняет наличие {qty} ед. на следующую неделю. Подтвердили."),),
            "lt": (("Prekių likučiai", "{contact} klausė, ar turime {qty} vnt. kitai savaitei. Patvirtinau."),),
        },
    ),
    Topic(
        {PROSPECT: 6},
        ((Kind.CALL, 7), (Kind.MEETING, 3)),
        0.2,
        ((Outcome.REACHED, 3), (Outcome.NEXT_STEP, 3)),
        {
            "en": (("Introductory call", "First call with {contact}: they buy from two suppliers today and are unhappy "
                    "with lead times. Interested in a trial order."),),
            "ru": (("Знакомство", "Первый разговор, {contact}: сейчас работают с двумя поставщиками, недовольны "
                    "сроками. Интересует пробный заказ."),),
            "lt": (("Pirmasis pokalbis", "Pirmas pokalbis, {contact}: dabar perka iš dviejų tiekėjų, nepatenkinti "
                    "terminais. Domina bandomasis užsakymas."),),
        },
        {"en": "Send the company presentation", "ru": "Отправить презентацию компании",
         "lt": "Išsiųsti įmonės pristatymą"},
    ),
    Topic(
        {PROSPECT: 5, REGULAR: 2},
        ((Kind.EMAIL, 1),),
        0.0,
        ((Outcome.NEXT_STEP, 3), ("", 2)),
        {
            "en": (("Quote sent", "Sent a quote for {qty} pallets with delivery in {days} days. {contact} expects to "
                    "decide by the end of the month."),),
            "ru": (("Отправлено коммерческое предложение", "Отправили КП на {qty} паллет с поставкой за {days} дн. "
                    "{contact} обещает решение до конца месяца."),),
            "lt": (("Išsiųstas komercinis pasiūlymas", "Išsiunčiau pasiūlymą {qty} pal., pristatymas per {days} d. "
                    "{contact} žada apsispręsti iki mėnesio pabaigos."),),
        },
        {"en": "Follow up on the quote", "ru": "Уточнить решение по КП", "lt": "Pasiteirauti dėl pasiūlymo"},
    ),
    Topic(
        {PROSPECT: 3},
        ((Kind.MEETING, 6), (Kind.VISIT, 4)),
        0.0,
        ((Outcome.NEXT_STEP, 4), (Outcome.REACHED, 1)),
        {
            "en": (("Presentation of our range", "Presented the range and our delivery set-up; {contact} asked for "
                    "references from similar customers."),),
            "ru": (("Презентация ассортимента", "Представили ассортимент и логистику. {contact} просит отзывы "
                    "похожих клиентов."),),
            "lt": (("Asortimento pristatymas", "Pristatėme asortimentą ir logistiką. {contact} prašo panašių "
                    "klientų rekomendacijų."),),
        },
        {"en": "Send references from similar customers", "ru": "Отправить отзывы клиентов",
         "lt": "Išsiųsti panašių klientų rekomendacijas"},
    ),
    Topic(
        {DECLINING: 7, REGULAR: 1},
        ((Kind.CALL, 6), (Kind.EMAIL, 3), (Kind.MEETING, 1)),
        0.5,
        ((Outcome.ISSUE_RAISED, 3), (Outcome.NOT_INTERESTED, 2)),
        {
            "en": (
                ("Competitor offer", "{contact} mentioned a competitor offering prices {pct}% lower and asked us to "
                 "match. Escalated to the sales director."),
                ("Price concerns", "{contact} says our prices are no longer competitive; they are running a tender."),
            ),
            "ru": (("Предложение конкурента", "{contact}: конкурент предлагает цены на {pct}% ниже, просят выровнять. "
                    "Передали коммерческому директору."),),
            "lt": (("Konkurento pasiūlymas", "{contact}: konkurentas siūlo {pct}% mažesnes kainas, prašo "
                    "suvienodinti. Perdaviau komercijos direktoriui."),),
        },
        {"en": "Prepare a counter-offer", "ru": "Подготовить встречное предложение",
         "lt": "Paruošti atsakomąjį pasiūlymą"},
    ),
    Topic(
        {DECLINING: 5},
        ((Kind.EMAIL, 5), (Kind.CALL, 5)),
        0.6,
        ((Outcome.NOT_INTERESTED, 4), (Outcome.REACHED, 1)),
        {
            "en": (("Volumes going down", "{contact} says they are cutting orders for now; no new order planned this "
                    "month."),),
            "ru": (("Снижение объёмов", "{contact}: пока сокращают закупки, в этом месяце заказа не будет."),),
            "lt": (("Mažėja apimtys", "{contact}: kol kas mažina užsakymus, šį mėnesį užsakymo nebus."),),
        },
        {"en": "Call back about next month's plans", "ru": "Перезвонить по планам на следующий месяц",
         "lt": "Perskambinti dėl kito mėnesio planų"},
    ),
    Topic(
        {REGULAR: 2},
        ((Kind.OTHER, 1),),
        0.0,
        (("", 1),),
        {
            "en": (
                ("Account note", "Updated the invoicing details after the client's e-mail."),
                ("Account note", "Credit limit raised after the finance review."),
            ),
            "ru": (("Заметка", "Обновили реквизиты для счетов по письму клиента."),),
            "lt": (("Pastaba", "Atnaujinau sąskaitų rekvizitus pagal kliento laišką."),),
        },
    ),
)  # fmt: skip

CALL_ATTEMPTS = {  # an outbound call that did not get through: (outcome, subject, notes)
    "en": ((Outcome.NO_ANSWER, "Call attempt", "No answer; will try again tomorrow."),
           (Outcome.LEFT_MESSAGE, "Call attempt", "Left a voicemail for {contact} asking to call back.")),
    "ru": ((Outcome.NO_ANSWER, "Звонок", "Не дозвонились, перезвоним завтра."),
           (Outcome.LEFT_MESSAGE, "Звонок", "Оставили голосовое сообщение, ждём обратного звонка ({contact}).")),
    "lt": ((Outcome.NO_ANSWER, "Skambutis", "Neatsiliepė, paskambinsiu rytoj."),
           (Outcome.LEFT_MESSAGE, "Skambutis", "Palikau balso žinutę, laukiu atsakymo ({contact}).")),
}  # fmt: skip
CALL_BACK = {"en": "Call back", "ru": "Перезвонить", "lt": "Perskambinti"}
CANCELLED_NOTE = {
    "en": "Cancelled by the client; to be rescheduled.",
    "ru": "Клиент отменил встречу, перенесём.",
    "lt": "Klientas atšaukė, perkelsime.",
}
MEETING_SUMMARY = {
    "en": ("Meeting summary", "Sent {contact} the summary and the agreed next steps."),
    "ru": ("Итоги встречи", "Отправили итоги встречи и согласованные шаги ({contact})."),
    "lt": ("Susitikimo santrauka", "Išsiunčiau susitikimo santrauką ir sutartus žingsnius ({contact})."),
}
PLANNED_MEETINGS = {  # (subject, notes) of a meeting or visit still ahead
    "en": (("Quarterly business review", "Agenda: volumes for next quarter, service level, open claims."),
           ("Contract renewal", "Bring the draft contract and the new price list."),
           ("Site visit", "Visit the warehouse; check how our pallets are stored."),
           ("Presentation of the new range", "Bring samples and the spring catalogue.")),
    "ru": (("Квартальная встреча", "Повестка: объёмы на квартал, уровень сервиса, открытые претензии."),
           ("Продление договора", "Взять проект договора и новый прайс-лист."),
           ("Визит на склад", "Посмотреть, как хранятся наши паллеты.")),
    "lt": (("Ketvirčio aptarimas", "Darbotvarkė: ketvirčio apimtys, aptarnavimo lygis, atviros pretenzijos."),
           ("Sutarties pratęsimas", "Pasiimti sutarties projektą ir naują kainoraštį."),
           ("Vizitas į sandėlį", "Pažiūrėti, kaip laikomos mūsų paletės.")),
}  # fmt: skip
PLANNED_CALL = {
    "en": ("Call about the forecast", "Agree the order forecast for next month."),
    "ru": ("Звонок по прогнозу", "Согласовать прогноз заказов на следующий месяц."),
    "lt": ("Skambutis dėl prognozės", "Suderinti kito mėnesio užsakymų prognozę."),
}
AGENDA_TITLES = {  # open follow-ups that do not come from a logged interaction
    "en": ("Call about the new price list", "Send the draft contract", "Follow up on the quote",
           "Check that the invoice was paid", "Prepare the quarterly review", "Confirm the delivery date",
           "Ask for feedback on the samples", "Call back about next month's plans"),
    "ru": ("Обсудить новый прайс-лист", "Отправить проект договора", "Уточнить решение по КП",
           "Проверить оплату счёта", "Подготовить квартальную встречу", "Подтвердить дату поставки"),
    "lt": ("Aptarti naują kainoraštį", "Išsiųsti sutarties projektą", "Pasiteirauti dėl pasiūlymo",
           "Patikrinti, ar sąskaita apmokėta", "Pasiruošti ketvirčio aptarimui", "Patvirtinti pristatymo datą"),
}  # fmt: skip
NO_CONTACT = {"en": "the client", "ru": "Клиент", "lt": "Klientas"}


def _weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- Time: working hours in the manager's time zone ----------------------------------------------------------


def _at(day: date, minutes: int, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz).astimezone(UTC)


def _weekday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _weekday_forward(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _work_minutes(rng: random.Random, start: int = 8 * 60 + 30, end: int = 18 * 60, step: int = 5) -> int:
    return rng.randrange(start, end, step)


# --- Who is seeded -----------------------------------------------------------------------------------------


@dataclass
class Target:
    """A demo client that gets a history in this run, with what the generator needs about it."""

    client: Client
    manager: User
    tz: zoneinfo.ZoneInfo
    contacts: list[Contact]  # primary first
    languages: tuple[tuple[str, int], ...]
    cold: bool = False
    last: Interaction | None = None  # latest completed interaction
    last_topic: Topic | None = None
    titles: set[str] = field(default_factory=set)  # open follow-up titles, never twice on one client


def _time_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _languages(client: Client, manager: User, contacts: list[Contact]) -> tuple[tuple[str, int], ...]:
    """Notes are in English, or in Russian or Lithuanian where manager and client share it."""
    country = client.country.code if client.country else ""
    spoken = {contact.language for contact in contacts}
    if manager.language == "ru" and (country in RUSSIAN_MARKETS or "ru" in spoken):
        return (("ru", 8), ("en", 2))
    if country in RUSSIAN_MARKETS:
        return (("ru", 4), ("en", 6))
    if country == "LT" and manager.language == "lt":
        return (("lt", 7), ("en", 3))
    if "lt" in spoken:
        return (("lt", 2), ("en", 8))
    if "ru" in spoken:
        return (("ru", 2), ("en", 8))
    return (("en", 1),)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _targets(codes: list[str]) -> tuple[list[Client], list[Target]]:
    """All demo clients (in plan order), and those to seed: with a manager and no interaction yet."""
    found: dict[str, Client] = {}
    for chunk in _chunks(codes):
        for client in Client.objects.filter(registration_code__in=chunk).select_related("account_manager"):
            found[client.registration_code] = client
    clients = [found[code] for code in codes if code in found]
    ids = [client.pk for client in clients]
    seeded: set[int] = set()
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for chunk in _chunks(ids):
        seeded.update(Interaction.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
        for contact in Contact.objects.filter(client_id__in=chunk).order_by("-is_primary", "pk"):
            contacts[contact.client_id].append(contact)
    targets = []
    for client in clients:
        manager = client.account_manager
        if client.pk in seeded or manager is None:
            continue
        own = contacts[client.pk]
        targets.append(Target(client, manager, _time_zone(manager), own, _languages(client, manager, own)))
    return clients, targets


# --- Writing rows in memory; `Batch.save()` stores them in a few queries --------------------------------------


@dataclass
class Batch:
    now: datetime
    interactions: list[Interaction] = field(default_factory=list)
    links: list[tuple[Interaction, list[Contact]]] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    stamps: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)  # id(row) → created, updated

    def add_interaction(self, interaction: Interaction, contacts: list[Contact], *, logged_at: datetime) -> None:
        self.interactions.append(interaction)
        self.links.append((interaction, contacts))
        self.stamps[id(interaction)] = (logged_at, logged_at)

    def add_follow_up(self, follow_up: FollowUp, *, created_at: datetime, updated_at: datetime) -> None:
        self.follow_ups.append(follow_up)
        self.stamps[id(follow_up)] = (created_at, updated_at)

    def save(self) -> int:
        """Insert everything; returns how many reminders were created."""
        Interaction.objects.bulk_create(self.interactions, batch_size=500)
        Through = Interaction.contacts.through
        Through.objects.bulk_create(
            [Through(interaction_id=i.pk, contact_id=c.pk) for i, contacts in self.links for c in contacts],
            batch_size=500,
        )
        FollowUp.objects.bulk_create(self.follow_ups, batch_size=500)
        # auto_now_add/auto_now stamped everything "now"; an entry was logged when it happened.
        for rows, model in ((self.interactions, Interaction), (self.follow_ups, FollowUp)):
            for row in rows:
                row.created_at, row.updated_at = self.stamps[id(row)]
            model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
        reminders = self._reminders()
        Reminder.objects.bulk_create(reminders, batch_size=500)
        return len(reminders)

    def _reminders(self) -> list[Reminder]:
        """As `services.reminders` would have made them; the ones already due count as sent."""
        subjects = [
            (f.assignee, f.due_at, {"follow_up": f}) for f in self.follow_ups if f.status == FollowUpStatus.OPEN
        ]
        subjects += [
            (i.logged_by, i.occurred_at, {"interaction": i})
            for i in self.interactions
            if i.status == InteractionStatus.SCHEDULED and i.kind in (Kind.MEETING, Kind.VISIT)
        ]
        reminders = []
        for recipient, when, subject in subjects:
            remind_at = when - timedelta(minutes=recipient.reminder_lead_minutes or 0)
            past = remind_at <= self.now
            reminders.append(
                Reminder(
                    recipient=recipient,
                    remind_at=remind_at,
                    next_attempt_at=remind_at,
                    status=ReminderStatus.SENT if past else ReminderStatus.PENDING,
                    attempts=1 if past else 0,
                    sent_at=remind_at if past else None,
                    **subject,
                )
            )
        return reminders


# --- One client's history ----------------------------------------------------------------------------------


class HistoryWriter:
    """Draws one client's interactions and past follow-ups from the client's own generator."""

    def __init__(self, target: Target, rng: random.Random, batch: Batch):
        self.target = target
        self.rng = rng
        self.batch = batch
        self.now = batch.now

    def language(self) -> str:
        return _weighted(self.rng, self.target.languages)

    def contacts_for(self, kind: str) -> list[Contact]:
        rng, contacts = self.rng, self.target.contacts
        if not contacts or kind == Kind.OTHER:
            return []
        if kind in (Kind.MEETING, Kind.VISIT):
            deciders = [c for c in contacts if c.is_decision_maker] or contacts[:1]
            chosen = {rng.choice(deciders).pk: None}
            others = [c for c in contacts if c.pk not in chosen]
            for contact in rng.sample(others, min(len(others), rng.choice((0, 0, 1, 1, 2)))):
                chosen[contact.pk] = None
            return [c for c in contacts if c.pk in chosen]
        return [contacts[0] if rng.random() < 0.55 else rng.choice(contacts)]

    def fill(self, text: str, language: str, contacts: list[Contact]) -> str:
        rng = self.rng
        if contacts:
            name = contacts[0].full_name
            who = name.split()[0] if language == "en" else name
        else:
            who = NO_CONTACT[language]
        text = text.format(
            contact=who,
            qty=rng.randint(5, 40),
            pct=rng.randint(3, 15),
            days=rng.randint(2, 10),
            weeks=rng.randint(2, 6),
        )
        return text[0].upper() + text[1:]

    def duration(self, kind: str) -> int | None:
        rng = self.rng
        if kind == Kind.CALL:
            return rng.randint(3, 25)
        if kind == Kind.MEETING:
            return rng.choice((30, 45, 60, 60, 90))
        if kind == Kind.VISIT:
            return rng.choice((60, 90, 120, 180))
        return None

    def interaction(self, day: date, phase: str) -> None:
        """One past entry on this (working) day, sometimes with its follow-up or a summary e-mail."""
        rng, target = self.rng, self.target
        topic = _weighted(rng, [(t, t.weights.get(phase, 0)) for t in TOPICS if t.weights.get(phase)])
        kind = _weighted(rng, topic.kinds)
        direction = Direction.INBOUND if rng.random() < topic.inbound else Direction.OUTBOUND
        language = self.language()
        contacts = self.contacts_for(kind)
        subject, notes = rng.choice(topic.texts[language])
        outcome = _weighted(rng, topic.outcomes)
        status = InteractionStatus.COMPLETED
        follow_up_title = topic.follow_up[language] if topic.follow_up else ""
        if kind == Kind.CALL and direction == Direction.OUTBOUND and rng.random() < 0.15:
            outcome, subject, notes = rng.choice(CALL_ATTEMPTS[language])
            follow_up_title = CALL_BACK[language]
        elif kind in (Kind.MEETING, Kind.VISIT) and rng.random() < 0.06:
            status, outcome, notes, follow_up_title = InteractionStatus.CANCELLED, "", CANCELLED_NOTE[language], ""
        occurred_at = _at(day, _work_minutes(rng), target.tz)
        duration = self.duration(kind) if status == InteractionStatus.COMPLETED else None
        entry = Interaction(
            client=target.client,
            kind=kind,
            direction=direction,
            status=status,
            occurred_at=occurred_at,
            duration_minutes=duration,
            subject=self.fill(subject, language, contacts),
            notes=self.fill(notes, language, contacts),
            outcome=outcome,
            logged_by=target.manager,
        )
        logged_at = min(occurred_at + timedelta(minutes=(duration or 0) + rng.randint(2, 90)), self.now)
        self.batch.add_interaction(entry, contacts, logged_at=logged_at)
        if status != InteractionStatus.COMPLETED:
            return
        target.last, target.last_topic = entry, topic
        if kind in (Kind.MEETING, Kind.VISIT) and rng.random() < 0.3:
            self.summary_email(entry, language, contacts)
        if follow_up_title and outcome in (
            Outcome.NEXT_STEP, Outcome.ISSUE_RAISED, Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE
        ) and rng.random() < 0.5:  # fmt: skip
            self.past_follow_up(entry, follow_up_title, day)

    def summary_email(self, meeting: Interaction, language: str, contacts: list[Contact]) -> None:
        subject, notes = MEETING_SUMMARY[language]
        sent_at = meeting.occurred_at + timedelta(minutes=(meeting.duration_minutes or 60) + self.rng.randint(20, 120))
        if sent_at >= self.now:
            return
        email = Interaction(
            client=meeting.client,
            kind=Kind.EMAIL,
            direction=Direction.OUTBOUND,
            status=InteractionStatus.COMPLETED,
            occurred_at=sent_at,
            subject=subject,
            notes=self.fill(notes, language, contacts),
            outcome=Outcome.NEXT_STEP,
            logged_by=meeting.logged_by,
        )
        self.batch.add_interaction(email, contacts, logged_at=sent_at)

    def past_follow_up(self, origin: Interaction, title: str, day: date) -> None:
        """A follow-up that came due in the past: done (sometimes late) or, now and then, cancelled."""
        rng = self.rng
        due_day = _weekday_forward(day + timedelta(days=rng.randint(1, 7)))
        due_at = _at(due_day, rng.choice((10, 11, 14, 15, 16)) * 60, self.target.tz)
        if due_at >= self.now - timedelta(days=1):
            return  # still ahead or just due: the agenda decides what is open
        created_at = min(origin.occurred_at + timedelta(minutes=rng.randint(5, 60)), due_at)
        done = rng.random() < 0.92
        closed_at = due_at + timedelta(hours=rng.uniform(-20, 48))
        closed_at = max(min(closed_at, self.now - timedelta(hours=1)), created_at + timedelta(minutes=30))
        follow_up = FollowUp(
            client=origin.client,
            title=title,
            due_at=due_at,
            assignee=self.target.manager,
            interaction=origin,
            status=FollowUpStatus.DONE if done else FollowUpStatus.CANCELLED,
            completed_at=closed_at if done else None,
            created_by=self.target.manager,
        )
        self.batch.add_follow_up(follow_up, created_at=created_at, updated_at=closed_at)

    def history(self, cadence: dict[str, int]) -> None:
        """The client's past, shaped by its status (see the module docstring)."""
        rng, client, target = self.rng, self.target.client, self.target
        today = timezone.localtime(self.now, target.tz).date()
        created = timezone.localtime(client.created_at, target.tz).date() + timedelta(days=1)
        start = max(created, today - timedelta(days=HISTORY_DAYS))
        end = today - timedelta(days=1)  # the past only: today belongs to the agenda
        last_day = None  # a contact forced on this day, with nothing after it
        phase = REGULAR
        fade_from = None
        if client.status == Status.CHURNED and client.churned_on:
            end = client.churned_on - timedelta(days=rng.randint(30, 90))
            start = max(created, end - timedelta(days=HISTORY_DAYS))
            fade_from = end - timedelta(days=THINNING_DAYS)
            rate = rng.uniform(*MONTHLY_RATE.get(client.tier, MONTHLY_RATE[Tier.STANDARD]))
        elif client.status == Status.INACTIVE:
            rate = rng.uniform(*INACTIVE_RATE)
        else:
            if client.status == Status.PROSPECT:
                phase, rate = PROSPECT, rng.uniform(*PROSPECT_RATE)
            else:
                rate = rng.uniform(*MONTHLY_RATE.get(client.tier, MONTHLY_RATE[Tier.STANDARD]))
            days = cadence.get(client.tier, 90)
            if target.cold:  # last heard of well over a cadence ago (_pick_cold made sure the client is that old)
                gap = rng.randint(int(days * 1.2) + 2, int(days * 2.5) + 2)
            else:  # within 70 % of the cadence, so a weekend in between cannot tip it over
                gap = min(rng.randint(max(1, days // 20), max(1, int(days * 0.7))), max(1, (today - start).days))
            last_day = max(start, _weekday_back(today - timedelta(days=gap)))
            end = last_day - timedelta(days=1)
        chance = rate / WORKING_DAYS_PER_MONTH
        day, made = start, 0
        while day <= end:
            if day.weekday() < 5:
                factor, day_phase = 1.0, phase
                if fade_from is not None and day >= fade_from:
                    left = (end - day).days / THINNING_DAYS
                    factor, day_phase = 0.25 + 0.75 * left, DECLINING if rng.random() < 0.6 else REGULAR
                if rng.random() < chance * factor:
                    self.interaction(day, day_phase)
                    made += 1
            day += timedelta(days=1)
        if last_day is not None:
            self.interaction(last_day, phase)
        elif fade_from is not None:  # the churned client's last word, 1-3 months before it left
            self.interaction(_weekday_back(end), DECLINING)
        elif not made and start <= end:  # every demo client has at least one entry
            self.interaction(_weekday_back(start + (end - start) * rng.random()), phase)


def _pick_cold(targets: list[Target], rng: random.Random, cadence: dict[str, int], now: datetime, *, showcase: bool):
    """10-15 % of a manager's active clients go cold; only those old enough to have been contacted long ago."""
    active = [t for t in targets if t.client.status == Status.ACTIVE]
    feasible = [t for t in active if (now - t.client.created_at).days > cadence.get(t.client.tier, 90) * 1.3 + 10]
    count = round(len(active) * rng.uniform(*COLD_SHARE))
    if showcase:
        count = max(count, 2)
    for target in rng.sample(feasible, min(count, len(feasible))):
        target.cold = True


# --- A manager's agenda around now ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaSize:
    overdue: tuple[int, int]
    today: tuple[int, int]
    this_week: tuple[int, int]
    later: tuple[int, int]
    meetings_today: tuple[int, int]
    meetings_ahead: tuple[int, int]


SHOWCASE_AGENDA = AgendaSize((2, 4), (2, 3), (4, 8), (3, 6), (1, 2), (3, 5))
LIGHT_AGENDA = AgendaSize((0, 2), (0, 2), (1, 4), (1, 4), (0, 1), (1, 3))


class AgendaWriter:
    """Open follow-ups and planned meetings of one manager, placed around now in their time zone."""

    def __init__(self, manager: User, targets: list[Target], rng: random.Random, batch: Batch):
        self.manager, self.rng, self.batch, self.now = manager, rng, batch, batch.now
        self.tz = _time_zone(manager)
        self.local_now = timezone.localtime(self.now, self.tz)
        self.today = self.local_now.date()
        self.end_of_day = datetime.combine(self.today + timedelta(days=1), time(), tzinfo=self.tz).astimezone(UTC)
        self.targets = [t for t in targets if t.client.status in (Status.ACTIVE, Status.PROSPECT)]

    def client(self) -> Target:
        return self.rng.choices(self.targets, weights=[TIER_WEIGHT.get(t.client.tier, 1) for t in self.targets])[0]

    def later_today(self) -> datetime:
        """A time between now and the end of the manager's day, in working hours while there are some left."""
        opens, close = _at(self.today, 8 * 60 + 30, self.tz), _at(self.today, 18 * 60, self.tz)
        end = close if self.now + timedelta(minutes=45) < close else self.end_of_day - timedelta(seconds=1)
        start = self.now + min(timedelta(minutes=15), (end - self.now) / 4)
        if start < opens < end:  # seeded before the working day: the day's items come during it
            start = opens
        moment = start + (end - start) * self.rng.uniform(0.05, 1)
        rounded = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        return rounded if rounded > self.now + timedelta(minutes=5) else moment

    def working_day(self, first: int, last: int) -> date:
        """A weekday `first`..`last` days from today (forward) or back (negative numbers)."""
        days = [self.today + timedelta(days=n) for n in range(first, last + 1)]
        return self.rng.choice([d for d in days if d.weekday() < 5] or days)

    def follow_up(self, target: Target, due_at: datetime) -> None:
        rng = self.rng
        language = _weighted(rng, target.languages)
        origin, title = None, ""
        recent = target.last is not None and target.last.occurred_at > self.now - timedelta(days=30)
        if recent and target.last_topic and target.last_topic.follow_up and rng.random() < 0.6:
            origin, title = target.last, target.last_topic.follow_up[language]
        if not title or title in target.titles:
            unused = [t for t in AGENDA_TITLES[language] if t not in target.titles] or list(AGENDA_TITLES[language])
            origin, title = None, rng.choice(unused)
        target.titles.add(title)
        created_at = origin.occurred_at if origin else self.now - timedelta(days=rng.randint(1, 10))
        created_at = min(created_at + timedelta(minutes=rng.randint(5, 60)), self.now, due_at)
        follow_up = FollowUp(
            client=target.client,
            title=title,
            due_at=due_at,
            assignee=self.manager,
            interaction=origin,
            status=FollowUpStatus.OPEN,
            created_by=self.manager,
        )
        self.batch.add_follow_up(follow_up, created_at=created_at, updated_at=created_at)

    def meeting(self, target: Target, when: datetime, *, call: bool = False) -> None:
        rng = self.rng
        language = _weighted(rng, target.languages)
        writer = HistoryWriter(target, rng, self.batch)
        if call:
            kind, (subject, notes) = Kind.CALL, PLANNED_CALL[language]
        else:
            kind, (subject, notes) = (
                rng.choice((Kind.MEETING, Kind.MEETING, Kind.VISIT)),
                rng.choice(PLANNED_MEETINGS[language]),
            )
        planned = Interaction(
            client=target.client,
            kind=kind,
            direction=Direction.OUTBOUND,
            status=InteractionStatus.SCHEDULED,
            occurred_at=when,
            duration_minutes=15 if call else rng.choice((60, 60, 90)),
            subject=subject,
            notes=notes,
            logged_by=self.manager,
        )
        logged_at = min(self.now - timedelta(days=rng.randint(0, 12), minutes=rng.randint(5, 600)), when)
        self.batch.add_interaction(planned, writer.contacts_for(kind), logged_at=logged_at)

    def write(self, size: AgendaSize) -> None:
        if not self.targets:
            return
        rng, tz = self.rng, self.tz
        for _ in range(rng.randint(*size.overdue)):
            due_at = _at(self.working_day(-10, 0), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz)
            if due_at > self.now - timedelta(minutes=30):
                due_at = _at(self.working_day(-10, -1), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz)
            self.follow_up(self.client(), due_at)
        for _ in range(rng.randint(*size.today)):
            self.follow_up(self.client(), self.later_today())
        for _ in range(rng.randint(*size.this_week)):
            self.follow_up(self.client(), _at(self.working_day(1, 7), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz))
        for _ in range(rng.randint(*size.later)):
            self.follow_up(self.client(), _at(self.working_day(9, 30), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz))
        for _ in range(rng.randint(*size.meetings_today)):
            self.meeting(self.client(), self.later_today())
        for _ in range(rng.randint(*size.meetings_ahead)):
            when = _at(self.working_day(1, 21), _work_minutes(rng, 9 * 60, 16 * 60, 30), tz)
            self.meeting(self.client(), when, call=rng.random() < 0.2)


# --- The seeder --------------------------------------------------------------------------------------------


def _count_on(clients: list[Client]) -> tuple[int, int, int]:
    ids = [client.pk for client in clients]
    interactions = follow_ups = reminders = 0
    for chunk in _chunks(ids):
        interactions += Interaction.objects.filter(client_id__in=chunk).count()
        follow_ups += FollowUp.objects.filter(client_id__in=chunk).count()
        reminders += Reminder.objects.filter(follow_up__client_id__in=chunk).count()
        reminders += Reminder.objects.filter(interaction__client_id__in=chunk).count()
    return interactions, follow_ups, reminders


def seed(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: a year of interactions and follow-ups for every demo client that has none, and today's agenda."""
    clients_all, targets = _targets(demo_client_codes(rng_seed=rng_seed, clients=clients))
    if clients_all and not targets:
        interactions, follow_ups, _reminders = _count_on(clients_all)
        return f"{interactions} interactions and {follow_ups} follow-ups already seeded"
    batch = Batch(now=timezone.now())
    cadence = get_cadence_days()
    by_manager: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        by_manager[target.manager.pk].append(target)
    managers = sorted({t.manager.pk: t.manager for t in targets}.values(), key=lambda user: user.email)
    manager_rngs = {m.pk: random.Random(f"{rng_seed}:agenda:{m.email}") for m in managers}
    for manager in managers:
        _pick_cold(
            by_manager[manager.pk],
            manager_rngs[manager.pk],
            cadence,
            batch.now,
            showcase=manager.email == SHOWCASE_USER,
        )
    for target in targets:
        rng = random.Random(f"{rng_seed}:history:{target.client.registration_code}")
        HistoryWriter(target, rng, batch).history(cadence)
    busy = set(
        FollowUp.objects.filter(assignee__in=managers, status=FollowUpStatus.OPEN).values_list("assignee_id", flat=True)
    )
    for manager in managers:
        if manager.pk not in busy:  # a manager who has open follow-ups already has an agenda
            size = SHOWCASE_AGENDA if manager.email == SHOWCASE_USER else LIGHT_AGENDA
            AgendaWriter(manager, by_manager[manager.pk], manager_rngs[manager.pk], batch).write(size)
    new_reminders = batch.save()
    interactions, follow_ups, reminders = _count_on(clients_all)
    return (
        f"{interactions} interactions ({len(batch.interactions)} new), "
        f"{follow_ups} follow-ups ({len(batch.follow_ups)} new), {reminders} reminders ({new_reminders} new)"
    )
