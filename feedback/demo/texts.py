"""What contacts write under their score and what managers note they did, in the product's languages (en, ru, lt).

Comments are in the contact's language, actions in the manager's. Placeholders: {manager} (the
account manager's first name), {order} (the order's number), {contact} (a first name in English,
the full name otherwise).
"""

# Comments by what was asked and the band of the score.
NPS_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "promoter": {
        "en": (
            "Reliable deliveries and {manager} always answers the same day.",
            "Good prices, and problems get solved without us chasing anyone.",
            "We have recommended you to two partner companies already.",
            "Consistent quality, the orders arrive when promised.",
            "Flexible when our production plan changes at short notice.",
        ),
        "ru": (
            "Надёжные поставки, а {manager} всегда отвечает в тот же день.",
            "Хорошие цены, и проблемы решаются без лишних напоминаний.",
            "Мы уже порекомендовали вас двум партнёрам.",
            "Стабильное качество, заказы приходят в срок.",
        ),
        "lt": (
            "Patikimi pristatymai, o {manager} visada atsako tą pačią dieną.",
            "Geros kainos, problemos sprendžiamos be priminimų.",
            "Jau rekomendavome jus dviem partneriams.",
            "Pastovi kokybė, užsakymai atvyksta laiku.",
        ),
    },
    "passive": {
        "en": (
            "Fine overall, but delivery dates slip now and then.",
            "Good service; prices went up more than we expected this year.",
            "No complaints, though the online order status could be clearer.",
            "Solid supplier. Faster answers on quotes would help.",
        ),
        "ru": (
            "В целом хорошо, но сроки поставки иногда сдвигаются.",
            "Обслуживание хорошее, но цены в этом году выросли сильнее, чем мы ожидали.",
            "Претензий нет, хотелось бы быстрее получать коммерческие предложения.",
        ),
        "lt": (
            "Apskritai gerai, bet pristatymo terminai kartais pasislenka.",
            "Aptarnavimas geras, tačiau kainos šiemet išaugo daugiau nei tikėjomės.",
            "Priekaištų nėra, norėtųsi greičiau gauti pasiūlymus.",
        ),
    },
    "detractor": {
        "en": (
            "Three late deliveries in a row. We are looking at other suppliers.",
            "Hard to reach anyone when something goes wrong.",
            "Invoices keep showing the wrong prices and each fix takes weeks.",
            "Quality has dropped since spring: torn film, weak tape.",
            "Too expensive for what we get, and deliveries are not reliable.",
        ),
        "ru": (
            "Три поставки подряд с опозданием. Рассматриваем других поставщиков.",
            "Когда что-то идёт не так, ни до кого не дозвониться.",
            "В счетах постоянно неверные цены, исправление занимает недели.",
            "Качество упало с весны: рвётся плёнка, плохо клеит лента.",
        ),
        "lt": (
            "Trys pristatymai iš eilės vėlavo. Ieškome kitų tiekėjų.",
            "Kai kas nors nepavyksta, niekaip neįmanoma prisiskambinti.",
            "Sąskaitose nuolat klaidingos kainos, taisymas užtrunka savaites.",
            "Nuo pavasario prastesnė kokybė: plyšta plėvelė, nelimpa juosta.",
        ),
    },
}

ORDER_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "happy": {
        "en": (
            "Everything arrived on time and well packed.",
            "Quick delivery, thank you.",
            "All as ordered, the driver called ahead.",
            "Smooth as always.",
        ),
        "ru": ("Всё пришло вовремя и хорошо упаковано.", "Быстрая доставка, спасибо.", "Всё как заказывали."),
        "lt": ("Viskas atvyko laiku ir gerai supakuota.", "Greitas pristatymas, ačiū.", "Viskas kaip užsakyta."),
    },
    "neutral": {
        "en": (
            "Arrived, but the delivery note was missing.",
            "OK, though one pallet was wrapped loosely.",
            "Fine, but nobody told us the truck would come in the afternoon.",
        ),
        "ru": ("Пришло, но без накладной.", "Нормально, хотя одна паллета была плохо обмотана."),
        "lt": ("Atvyko, bet be važtaraščio.", "Gerai, nors vienas padėklas buvo prastai apvyniotas."),
    },
    "unhappy": {
        "en": (
            "Part of {order} was damaged and nobody called us back.",
            "Wrong items again in {order}.",
            "The delivery came without any warning and we had no one to unload it.",
        ),
        "ru": ("Часть заказа {order} повреждена, и нам никто не перезвонил.", "Опять не те позиции в {order}."),
        "lt": ("Dalis užsakymo {order} pažeista, niekas mums neperskambino.", "Vėl ne tos prekės užsakyme {order}."),
    },
    "late": {
        "en": (
            "{order} came late and our line stood still for half a day.",
            "Late again. We need the promised dates to hold.",
            "The goods are fine but arrived days after the promised date.",
        ),
        "ru": ("Заказ {order} опоздал, линия простояла полдня.", "Снова опоздание. Нам нужны надёжные сроки."),
        "lt": ("Užsakymas {order} vėlavo, linija stovėjo pusę dienos.", "Vėl vėlavo. Mums reikia patikimų terminų."),
    },
}

COMPLAINT_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "happy": {
        "en": (
            "Solved quickly, and {manager} kept us informed all the way.",
            "Fair compensation, thank you for the fast reaction.",
            "Good handling, we hope it does not happen again.",
        ),
        "ru": (
            "Решили быстро, {manager} держал(а) нас в курсе.",
            "Справедливая компенсация, спасибо за оперативность.",
        ),
        "lt": ("Išspręsta greitai, {manager} mus nuolat informavo.", "Teisinga kompensacija, ačiū už greitą reakciją."),
    },
    "neutral": {
        "en": ("Resolved in the end, but it took several reminders.", "OK, though the credit note is still missing."),
        "ru": ("В итоге решили, но пришлось несколько раз напоминать.",),
        "lt": ("Galiausiai išspręsta, bet teko kelis kartus priminti.",),
    },
    "unhappy": {
        "en": (
            "It took far too long and we had to chase you every day.",
            "The compensation does not cover our costs.",
            "Nobody explained what went wrong or how you will prevent it.",
        ),
        "ru": ("Слишком долго, приходилось напоминать каждый день.", "Компенсация не покрывает наши расходы."),
        "lt": ("Užtruko per ilgai, teko priminti kasdien.", "Kompensacija nepadengia mūsų išlaidų."),
    },
}

# What the manager did about a low score (in the manager's language).
ACTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "Called {contact}: apologised for the delays and agreed a 5 % credit on the next order.",
        "Met {contact} on site, walked through the last orders; deliveries now go by the express carrier.",
        "Called {contact}. The invoice error is corrected and the price list in the system is fixed.",
        "Talked to {contact}; replaced the damaged goods free of charge and changed the pallet wrapping.",
        "Called {contact}, agreed a weekly call for the next two months to keep the orders on track.",
    ),
    "ru": (
        "Звонок ({contact}): извинились за задержки, договорились о скидке 5 % на следующий заказ.",
        "Встреча на месте ({contact}): разобрали последние заказы, поставки теперь идут экспресс-перевозчиком.",
        "Звонок ({contact}): ошибку в счёте исправили, прайс в системе обновлён.",
        "Звонок ({contact}): повреждённый товар заменили бесплатно, изменили упаковку паллет.",
    ),
    "lt": (
        "Skambutis ({contact}): atsiprašėme už vėlavimus, sutarėme 5 % nuolaidą kitam užsakymui.",
        "Susitikimas vietoje ({contact}): peržiūrėjome paskutinius užsakymus, pristatymai dabar per skubų vežėją.",
        "Skambutis ({contact}): sąskaitos klaida ištaisyta, kainoraštis sistemoje atnaujintas.",
        "Skambutis ({contact}): pažeistas prekes pakeitėme nemokamai, pakeitėme padėklų vyniojimą.",
    ),
}
