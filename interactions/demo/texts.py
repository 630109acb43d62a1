"""What the demo managers write: topics of past interactions and the texts of calls, meetings and follow-ups.

Everything comes in the three languages of the product (en, ru, lt); the seeder picks one per entry.
"""

from dataclasses import dataclass

from ..models import Kind, Outcome

# The phases of a client's life that weigh the topics (see `history.HistoryWriter`).
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

# Follow-ups of a client's bad patch (contacts.demo.decline) that nobody got to in time.
DECLINE_FOLLOW_UPS = {
    "en": (
        "Chase the renewal decision",
        "Call back about the price review",
        "Send the revised offer",
        "Book a review meeting with the buyer",
    ),
    "ru": (
        "Узнать решение о продлении договора",
        "Перезвонить по пересмотру цен",
        "Отправить пересмотренное предложение",
        "Назначить встречу с закупщиком",
    ),
    "lt": (
        "Sužinoti sprendimą dėl sutarties pratęsimo",
        "Perskambinti dėl kainų peržiūros",
        "Išsiųsti patikslintą pasiūlymą",
        "Suderinti susitikimą su pirkėju",
    ),
}
