"""What clients complain about and what managers answer, in the three languages of the product (en, ru, lt).

Placeholders: {order} (the order's number), {contact} (a first name in English, the full name
otherwise), {days} 1-5, {qty} 2-12. Categories and root causes are named by their English
name, as the migration created them.
"""

LANGUAGES = ("en", "ru", "lt")
LATE_ARRIVED = "Late delivery, arrived"  # texts of the "Late delivery" category once the goods came

# (subject, description) variants per category and language.
COMPLAINTS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "Late delivery": {  # received while the order is still on its way
        "en": (
            (
                "Order {order} has not arrived",
                "The delivery of {order} was promised for yesterday and nothing came. "
                "Our production line is waiting for it; please tell us when it will arrive.",
            ),
            ("Where is order {order}?", "No delivery and no tracking update for {order}. We need a firm date today."),
        ),
        "ru": (
            (
                "Заказ {order} не доставлен",
                "Поставку по заказу {order} обещали вчера, но ничего не пришло. "
                "Производство ждёт, сообщите, когда будет доставка.",
            ),
        ),
        "lt": (
            (
                "Užsakymas {order} neatvyko",
                "Užsakymą {order} žadėjote pristatyti vakar, bet nieko negavome. "
                "Gamyba laukia – praneškite, kada atvyks.",
            ),
        ),
    },
    LATE_ARRIVED: {  # received once the late order came
        "en": (
            (
                "Delivery {order} late again",
                "{order} arrived {days} days after the promised date. This is the second "
                "time this quarter; we had to reschedule a shift.",
            ),
            (
                "Late delivery of {order}",
                "{order} came {days} days late and our customer's order slipped with it. We expect compensation.",
            ),
        ),
        "ru": (
            (
                "Опять опоздание: {order}",
                "Заказ {order} пришёл на {days} дн. позже обещанного. Уже второй раз в этом квартале.",
            ),
        ),
        "lt": (
            (
                "Vėl vėluoja: {order}",
                "Užsakymas {order} atvyko {days} d. vėliau nei žadėta. Jau antrą kartą šį ketvirtį.",
            ),
        ),
    },
    "Damaged goods": {
        "en": (
            (
                "Damaged pallets in {order}",
                "{qty} cartons in {order} arrived crushed, the stretch film torn. Photos attached to the e-mail.",
            ),
            ("Broken goods on delivery", "Part of {order} is unusable: the boxes were wet and collapsed on unloading."),
        ),
        "ru": (
            (
                "Повреждённые паллеты в {order}",
                "{qty} коробок из заказа {order} пришли смятыми, плёнка порвана. Фото отправили по почте.",
            ),
        ),
        "lt": (
            (
                "Pažeisti padėklai {order}",
                "{qty} dėžės iš užsakymo {order} atvyko sutraiškytos, plėvelė suplėšyta. "
                "Nuotraukas atsiuntėme el. paštu.",
            ),
        ),
    },
    "Wrong or missing items": {
        "en": (
            (
                "Items missing from {order}",
                "{qty} cartons of the ordered tape are missing from {order}; the delivery note lists them as shipped.",
            ),
            ("Wrong size delivered", "We ordered 600×400 boxes and received 400×300 in {order}. Please exchange."),
        ),
        "ru": (
            (
                "Недостача в заказе {order}",
                "В заказе {order} не хватает {qty} коробок ленты, хотя в накладной они указаны.",
            ),
            ("Прислали не тот размер", "Заказывали коробки 600×400, а в {order} пришли 400×300. Просим заменить."),
        ),
        "lt": (
            (
                "Trūksta prekių {order}",
                "Užsakyme {order} trūksta {qty} dėžių juostos, nors važtaraštyje jos nurodytos.",
            ),
        ),
    },
    "Product quality": {
        "en": (
            (
                "Tape does not stick",
                "The tape from {order} does not hold on our cartons below 10 °C. The previous batches were fine.",
            ),
            (
                "Film tears on the wrapper",
                "The stretch film from {order} tears on our wrapping machine every few pallets.",
            ),
        ),
        "ru": (
            (
                "Лента не клеится",
                "Лента из заказа {order} не держится на коробках при температуре ниже 10 °C. "
                "Предыдущие партии были в порядке.",
            ),
        ),
        "lt": (("Juosta nelimpa", "Juosta iš užsakymo {order} nelaiko ant dėžių, kai temperatūra žemesnė nei 10 °C."),),
    },
    "Invoice or price": {
        "en": (
            (
                "Invoice for {order} does not match",
                "The invoice for {order} shows the old price list, without our agreed discount.",
            ),
            ("Charged twice for delivery", "The delivery fee appears twice on the invoice for {order}."),
        ),
        "ru": (("Счёт по {order} не совпадает", "В счёте по заказу {order} старые цены, без согласованной скидки."),),
        "lt": (
            ("Sąskaita už {order} nesutampa", "Sąskaitoje už užsakymą {order} senos kainos, be sutartos nuolaidos."),
        ),
    },
    "Service and communication": {
        "en": (
            (
                "Nobody called back",
                "{contact} asked for a call back about the new price list twice last week and heard nothing.",
            ),
            ("No delivery notice", "The driver came without the usual notice the day before; nobody could unload."),
        ),
        "ru": (("Не перезвонили", "{contact} дважды просил перезвонить по новому прайс-листу, ответа не было."),),
        "lt": (
            ("Niekas neperskambino", "{contact} du kartus prašė perskambinti dėl naujo kainoraščio, atsakymo nebuvo."),
        ),
    },
    "Other": {
        "en": (
            (
                "Certificates missing",
                "The conformity certificates for the last deliveries are missing from the "
                "portal; our auditor needs them this week.",
            ),
        ),
        "ru": (
            (
                "Нет сертификатов",
                "На портале нет сертификатов соответствия по последним поставкам, аудитору они нужны на этой неделе.",
            ),
        ),
        "lt": (
            (
                "Trūksta sertifikatų",
                "Portale nėra paskutinių pristatymų atitikties sertifikatų, auditoriui jų reikia šią savaitę.",
            ),
        ),
    },
}

# The first reply, by e-mail or by phone: acknowledged, being looked into.
FIRST_REPLIES = {
    "email": {
        "en": (
            "Dear {contact}, thank you for letting us know and sorry for the trouble. I am checking it with our "
            "logistics team and will come back to you today.",
            "Hello {contact}, I have registered your complaint and asked the warehouse for details. You will hear "
            "from me as soon as I have them.",
        ),
        "ru": (
            "{contact}, спасибо, что сообщили, и извините за неудобства. Разбираемся с логистикой, сегодня вернусь "
            "с ответом.",
        ),
        "lt": (
            "{contact}, ačiū, kad pranešėte, atsiprašome už nepatogumus. Aiškinamės su logistika, šiandien atsakysiu.",
        ),
    },
    "call": {
        "en": ("Called {contact}: apologised, took the details and promised an answer within {days} working days.",),
        "ru": ("Созвонились ({contact}): извинились, записали подробности, ответ пообещали в течение {days} раб. дн.",),
        "lt": ("Paskambinau ({contact}): atsiprašiau, užsirašiau detales, atsakymą pažadėjau per {days} d. d.",),
    },
}

# Asking the client for what is missing: the complaint then waits for the client.
INFO_REQUESTS = {
    "en": (
        "Could you send us photos of the damaged cartons and the signed CMR? Then I can claim it with the carrier.",
        "Could you confirm the batch number printed on the rolls? I need it for the supplier.",
        "Could you tell me which delivery address and contact person we should use for the replacement?",
    ),
    "ru": (
        "Пришлите, пожалуйста, фото повреждённых коробок и подписанную CMR, чтобы предъявить претензию перевозчику.",
        "Подтвердите, пожалуйста, номер партии на рулонах: он нужен поставщику.",
    ),
    "lt": (
        "Atsiųskite, prašom, pažeistų dėžių nuotraukas ir pasirašytą CMR – pateiksime pretenziją vežėjui.",
        "Patvirtinkite, prašom, partijos numerį ant ritinių – jo reikia tiekėjui.",
    ),
}

# Internal notes on the thread.
NOTES = {
    "en": (
        "Asked logistics for the tracking history of the shipment.",
        "Warehouse confirms the picking list was changed after the order was confirmed.",
        "Supplier asked for samples; sent two rolls by courier.",
        "Checked the invoice with accounting: the discount was not applied.",
    ),
    "ru": (
        "Запросили у логистики историю отслеживания груза.",
        "Склад подтверждает, что лист комплектации изменили после подтверждения заказа.",
        "Бухгалтерия подтвердила: скидка не была применена.",
    ),
    "lt": (
        "Paprašiau logistikos siuntos sekimo istorijos.",
        "Sandėlis patvirtina, kad komplektavimo lapas pakeistas po užsakymo patvirtinimo.",
        "Buhalterija patvirtino: nuolaida nebuvo pritaikyta.",
    ),
}

# What was done, per root cause.
RESOLUTIONS = {
    "Carrier delay": {
        "en": (
            "The carrier held the shipment at its hub for {days} days. Delivered; the transport cost of this order "
            "is credited on the next invoice.",
            "Carrier delay confirmed. We switched this route to our second carrier and credited the delivery fee.",
        ),
        "ru": (
            "Перевозчик задержал груз на терминале на {days} дн. Груз доставлен, стоимость доставки зачтём "
            "в следующем счёте.",
        ),
        "lt": (
            "Vežėjas {days} d. užlaikė krovinį terminale. Pristatyta, pristatymo kainą įskaitysime kitoje sąskaitoje.",
        ),
    },
    "Warehouse picking error": {
        "en": (
            "The warehouse picked from the wrong location. The missing cartons were sent by express the next "
            "morning; picking for this client is now double-checked.",
        ),
        "ru": ("Склад ошибся ячейкой при комплектации. Недостающее отправили экспрессом на следующее утро.",),
        "lt": ("Sandėlis supainiojo vietą komplektuojant. Trūkstamas prekes išsiuntėme skubiai kitą rytą.",),
    },
    "Packaging": {
        "en": (
            "The pallets were wrapped too loosely for a two-layer load. Replaced the {qty} damaged cartons free of "
            "charge; the packing instruction is updated.",
        ),
        "ru": ("Паллеты были обмотаны слишком слабо. Заменили {qty} повреждённых коробок бесплатно.",),
        "lt": ("Padėklai buvo per silpnai apvynioti. {qty} pažeistas dėžes pakeitėme nemokamai.",),
    },
    "Supplier defect": {
        "en": (
            "The supplier confirmed a faulty adhesive batch. The whole batch is replaced and a credit note issued.",
        ),
        "ru": ("Поставщик подтвердил брак партии клея. Партию заменили, выставили кредит-ноту.",),
        "lt": ("Tiekėjas patvirtino klijų partijos broką. Visą partiją pakeitėme, išrašėme kreditinę sąskaitą.",),
    },
    "Order entry error": {
        "en": (
            "The order was entered with the wrong article. Exchanged at our cost; the client's usual articles are "
            "now saved as favourites.",
        ),
        "ru": ("Заказ оформили с неверным артикулом. Заменили за наш счёт.",),
        "lt": ("Užsakymas įvestas su netinkamu artikulu. Pakeitėme savo sąskaita.",),
    },
    "Pricing or invoicing error": {
        "en": ("The agreed discount was missing from the invoice. A corrected invoice was sent the same day.",),
        "ru": ("В счёте не было согласованной скидки. В тот же день отправили исправленный счёт.",),
        "lt": ("Sąskaitoje trūko sutartos nuolaidos. Tą pačią dieną išsiuntėme pataisytą sąskaitą.",),
    },
    "Miscommunication": {
        "en": ("Misunderstanding about the agreed terms. Clarified in a call with {contact}, confirmed in writing.",),
        "ru": ("Недопонимание по условиям. Обсудили по телефону ({contact}) и подтвердили письменно.",),
        "lt": ("Nesusikalbėta dėl sąlygų. Aptarėme telefonu ({contact}) ir patvirtinome raštu.",),
    },
    "Client-side issue": {
        "en": (
            "The cause was on the client's side (the goods were stored outdoors). Explained the storage "
            "conditions; a goodwill discount of 5 % on the next order.",
        ),
        "ru": ("Причина на стороне клиента (товар хранился на улице). Объяснили условия хранения.",),
        "lt": ("Priežastis kliento pusėje (prekės laikytos lauke). Paaiškinome laikymo sąlygas.",),
    },
}

# Why a resolved complaint came back.
REOPEN_NOTES = {
    "en": ("{contact} says the replacement has the same problem.", "The credit note has not arrived yet."),
    "ru": ("{contact}: замена пришла с той же проблемой.",),
    "lt": ("{contact}: pakaitinės prekės su ta pačia problema.",),
}

REPLY_SUBJECT = {"en": "Re: complaint {number}", "ru": "Re: жалоба {number}", "lt": "Re: skundas {number}"}
NO_CONTACT = {"en": "colleagues", "ru": "коллеги", "lt": "kolegos"}
