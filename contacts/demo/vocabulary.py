"""The demo market data: people's names and positions, and per country the company names, cities,
streets, registration codes and phone ranges; the client-level shares and notes; transliteration tables.

Data and the registration-code generators only; `plan.py` draws from it with the seeder's random generator.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from clients.models import Industry, Source, Status, Tier

# --- People: names and positions in the market's language -------------------------------------------------


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    """Surnames that do not change with gender."""
    return tuple((name, name) for name in names)


@dataclass(frozen=True)
class People:
    language: str  # Contact.language: en, ru or lt
    positions: str  # key of POSITIONS
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (male form, female form)


LITHUANIAN = People(
    "lt",
    "lt",
    ("Jonas", "Tomas", "Mantas", "Darius", "Andrius", "Paulius", "Mindaugas", "Giedrius", "Linas", "Vytautas",
     "Marius", "Rokas", "Lukas", "Justinas", "Saulius"),
    ("Rūta", "Ieva", "Laura", "Agnė", "Eglė", "Indrė", "Gintarė", "Jurgita", "Asta", "Vaida", "Monika", "Greta",
     "Kristina", "Dovilė", "Simona"),
    (("Kazlauskas", "Kazlauskienė"), ("Petrauskas", "Petrauskaitė"), ("Jankauskas", "Jankauskienė"),
     ("Stankevičius", "Stankevičienė"), ("Vasiliauskas", "Vasiliauskaitė"), ("Žukauskas", "Žukauskienė"),
     ("Butkus", "Butkutė"), ("Paulauskas", "Paulauskienė"), ("Urbonas", "Urbonaitė"),
     ("Kavaliauskas", "Kavaliauskienė"), ("Navickas", "Navickienė"), ("Rimkus", "Rimkutė"),
     ("Balčiūnas", "Balčiūnienė"), ("Šimkus", "Šimkienė"), ("Vaitkus", "Vaitkutė"), ("Mockus", "Mockienė"),
     ("Ramanauskas", "Ramanauskaitė"), ("Sakalauskas", "Sakalauskienė")),
)  # fmt: skip
LATVIAN = People(
    "en",  # the product speaks en, ru and lt; Latvian speakers get English
    "en",
    ("Jānis", "Andris", "Mārtiņš", "Edgars", "Kristaps", "Raimonds", "Artūrs", "Roberts", "Gints", "Uldis"),
    ("Anna", "Ilze", "Kristīne", "Līga", "Inese", "Laura", "Dace", "Santa", "Zane", "Evija"),
    (("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"), ("Jansons", "Jansone"),
     ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"), ("Eglītis", "Eglīte"),
     ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"), ("Kļaviņš", "Kļaviņa")),
)  # fmt: skip
ESTONIAN = People(
    "en",
    "en",
    ("Martin", "Rasmus", "Andres", "Priit", "Tanel", "Margus", "Indrek", "Kristjan", "Siim", "Mart"),
    ("Kadri", "Kristiina", "Liis", "Triin", "Maarja", "Kati", "Piret", "Anu", "Helen", "Merle"),
    _same("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Oja"),
)
POLISH = People(
    "en",
    "en",
    ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Grzegorz", "Łukasz", "Jakub", "Adam"),
    ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Aleksandra", "Ewa", "Małgorzata",
     "Karolina"),
    (("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
     ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
     ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"),
     ("Mazur", "Mazur")),
)  # fmt: skip
GERMAN = People(
    "en",
    "en",
    ("Thomas", "Michael", "Andreas", "Stefan", "Markus", "Jan", "Tobias", "Florian", "Sebastian", "Matthias"),
    ("Julia", "Katharina", "Anna", "Sabine", "Claudia", "Laura", "Lena", "Sarah", "Nicole", "Stefanie"),
    _same("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
          "Koch", "Richter"),
)  # fmt: skip
FINNISH = People(
    "en",
    "en",
    ("Mikko", "Juha", "Antti", "Jussi", "Matti", "Timo", "Ville", "Janne", "Sami", "Petri"),
    ("Anna", "Johanna", "Laura", "Maria", "Sanna", "Heidi", "Minna", "Riikka", "Elina", "Tiina"),
    _same("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
          "Järvinen", "Lehtonen", "Lehtinen"),
)  # fmt: skip
# Russian speakers in the Baltic states: names as written in their local documents.
RUSSIAN_BALTIC = People(
    "ru",
    "ru",
    ("Dmitrij", "Sergej", "Aleksandr", "Andrej", "Vladimir", "Aleksej", "Igor", "Nikolaj", "Pavel", "Jevgenij"),
    ("Jelena", "Olga", "Natalja", "Irina", "Tatjana", "Anna", "Svetlana", "Marija", "Julija", "Jekaterina"),
    (("Ivanov", "Ivanova"), ("Smirnov", "Smirnova"), ("Kuznecov", "Kuznecova"), ("Popov", "Popova"),
     ("Sokolov", "Sokolova"), ("Lebedev", "Lebedeva"), ("Kozlov", "Kozlova"), ("Novikov", "Novikova"),
     ("Morozov", "Morozova"), ("Volkov", "Volkova"), ("Pavlov", "Pavlova"), ("Fiodorov", "Fiodorova")),
)  # fmt: skip
RUSSIAN = People(
    "ru",
    "ru",
    ("Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Игорь", "Владимир", "Николай", "Павел", "Евгений"),
    ("Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Анна", "Светлана", "Мария", "Юлия", "Екатерина"),
    (("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"),
     ("Соколов", "Соколова"), ("Лебедев", "Лебедева"), ("Козлов", "Козлова"), ("Новиков", "Новикова"),
     ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Павлов", "Павлова"), ("Фёдоров", "Фёдорова")),
)  # fmt: skip
KAZAKH = People(
    "ru",
    "ru",
    ("Ержан", "Нурлан", "Асхат", "Данияр", "Канат", "Бауыржан", "Арман", "Серик", "Талгат", "Максат"),
    ("Айгерим", "Динара", "Гульнара", "Асель", "Жанар", "Сауле", "Мадина", "Алия", "Камила", "Айжан"),
    (("Нурланов", "Нурланова"), ("Сапаров", "Сапарова"), ("Ахметов", "Ахметова"), ("Жумабаев", "Жумабаева"),
     ("Касымов", "Касымова"), ("Сулейменов", "Сулейменова"), ("Искаков", "Искакова"),
     ("Абдрахманов", "Абдрахманова"), ("Байжанов", "Байжанова"), ("Оспанов", "Оспанова")),
)  # fmt: skip
GEORGIAN = People(
    "ru",
    "ru",
    ("Георгий", "Давид", "Леван", "Ираклий", "Нодар", "Зураб", "Тамаз", "Вахтанг", "Гела", "Отар"),
    ("Нино", "Тамара", "Кетеван", "Натия", "Мариам", "Эка", "Тамта", "Софико", "Нана", "Манана"),
    _same("Беридзе", "Капанадзе", "Гелашвили", "Майсурадзе", "Кварацхелия", "Ломидзе", "Церетели", "Джапаридзе",
          "Хуцишвили", "Чхеидзе"),
)  # fmt: skip
ARMENIAN = People(
    "ru",
    "ru",
    ("Арам", "Армен", "Тигран", "Давит", "Ашот", "Карен", "Гагик", "Ваге", "Самвел", "Артур"),
    ("Ани", "Анна", "Лусине", "Мариам", "Нарине", "Гаяне", "Астхик", "Сона", "Лилит", "Сирануш"),
    _same("Петросян", "Саргсян", "Арутюнян", "Григорян", "Акопян", "Мкртчян", "Овсепян", "Геворгян", "Карапетян",
          "Аветисян"),
)  # fmt: skip

CHIEF, TOP, HEAD, STAFF_LEVEL = "chief", "top", "head", "staff"  # one chief per client; chief and top decide
# (male title, female title, level)
POSITIONS = {
    "en": (
        ("CEO", "CEO", CHIEF),
        ("Managing Director", "Managing Director", CHIEF),
        ("Chief Financial Officer", "Chief Financial Officer", TOP),
        ("Head of Procurement", "Head of Procurement", HEAD),
        ("Operations Manager", "Operations Manager", HEAD),
        ("Procurement Manager", "Procurement Manager", STAFF_LEVEL),
        ("Category Manager", "Category Manager", STAFF_LEVEL),
        ("Logistics Manager", "Logistics Manager", STAFF_LEVEL),
        ("Chief Accountant", "Chief Accountant", STAFF_LEVEL),
        ("Office Manager", "Office Manager", STAFF_LEVEL),
    ),
    "lt": (
        ("Generalinis direktorius", "Generalinė direktorė", CHIEF),
        ("Direktorius", "Direktorė", CHIEF),
        ("Finansų direktorius", "Finansų direktorė", TOP),
        ("Pirkimų vadovas", "Pirkimų vadovė", HEAD),
        ("Komercijos vadovas", "Komercijos vadovė", HEAD),
        ("Pirkimų vadybininkas", "Pirkimų vadybininkė", STAFF_LEVEL),
        ("Kategorijos vadybininkas", "Kategorijos vadybininkė", STAFF_LEVEL),
        ("Logistikos vadybininkas", "Logistikos vadybininkė", STAFF_LEVEL),
        ("Vyriausiasis buhalteris", "Vyriausioji buhalterė", STAFF_LEVEL),
        ("Biuro administratorius", "Biuro administratorė", STAFF_LEVEL),
    ),
    "ru": (
        ("Генеральный директор", "Генеральный директор", CHIEF),
        ("Директор", "Директор", CHIEF),
        ("Финансовый директор", "Финансовый директор", TOP),
        ("Руководитель отдела закупок", "Руководитель отдела закупок", HEAD),
        ("Коммерческий директор", "Коммерческий директор", HEAD),
        ("Менеджер по закупкам", "Менеджер по закупкам", STAFF_LEVEL),
        ("Менеджер по логистике", "Менеджер по логистике", STAFF_LEVEL),
        ("Главный бухгалтер", "Главный бухгалтер", STAFF_LEVEL),
        ("Бухгалтер", "Бухгалтер", STAFF_LEVEL),
        ("Офис-менеджер", "Офис-менеджер", STAFF_LEVEL),
    ),
}


# --- Markets: company names, places, registration codes and phones per country ----------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _finnish_business_id(rng: random.Random) -> str:
    """Y-tunnus 1234567-8 with a valid check digit."""
    while True:
        body = str(rng.randint(1, 3)) + _digits(rng, 6)
        remainder = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:  # 1 has no check digit; such numbers are never issued
            return f"{body}-{0 if remainder == 0 else 11 - remainder}"


RU_WORDS = {
    Industry.MANUFACTURING: ("Пром", "Завод"),
    Industry.RETAIL: ("Маркет", "Ритейл"),
    Industry.WHOLESALE: ("Трейд", "Снаб"),
    Industry.LOGISTICS: ("Логистик", "Транс"),
    Industry.CONSTRUCTION: ("Строй", "СтройИнвест"),
    Industry.IT: ("Софт", "ИТ"),
    Industry.FOOD: ("Фуд", "Продукт"),
    Industry.HEALTHCARE: ("Мед", "Фарм"),
    Industry.FINANCE: ("Финанс", "Капитал"),
    Industry.ENERGY: ("Энерго", "Ойл"),
    Industry.AGRICULTURE: ("Агро", "АгроХолдинг"),
    Industry.OTHER: ("Сервис", "Групп"),
}


@dataclass(frozen=True)
class Market:
    country: str
    weight: int
    tld: str
    forms: tuple[tuple[str, int], ...]  # legal form templates, weighted
    roots: tuple[str, ...]
    words: dict[str, tuple[str, ...]]  # industry → words that follow a root
    cities: tuple[tuple[str, int], ...]
    streets: tuple[str, ...]
    people: tuple[tuple[People, int], ...]
    phones: tuple[tuple[str, int], ...]  # (E.164 prefix of a mobile range, digits that follow)
    registration_code: Callable[[random.Random], str]


MARKETS = (
    Market(
        "LT", 45, "lt",
        (("UAB {}", 9), ("AB {}", 1)),
        ("Baltijos", "Nemuno", "Neries", "Vilniaus", "Kauno", "Žemaitijos", "Aukštaitijos", "Dzūkijos", "Gintaro",
         "Ąžuolo", "Vėtrungės", "Aušros", "Šiaurės", "Vakarų", "Rytų", "Trakų", "Lietuvos", "Pajūrio"),
        {Industry.MANUFACTURING: ("gamyba", "gamykla"), Industry.RETAIL: ("prekyba", "parduotuvės"),
         Industry.WHOLESALE: ("didmena", "prekybos namai"), Industry.LOGISTICS: ("logistika", "transportas"),
         Industry.CONSTRUCTION: ("statyba", "statybos grupė"), Industry.IT: ("IT sprendimai", "duomenys"),
         Industry.FOOD: ("pieninė", "duona", "maisto produktai"), Industry.HEALTHCARE: ("vaistinė", "medicina"),
         Industry.FINANCE: ("finansai", "lizingas"), Industry.ENERGY: ("energija", "energetika"),
         Industry.AGRICULTURE: ("agro", "ūkis"), Industry.OTHER: ("paslaugos", "grupė")},
        (("Vilnius", 5), ("Kaunas", 3), ("Klaipėda", 2), ("Šiauliai", 1), ("Panevėžys", 1), ("Alytus", 1),
         ("Marijampolė", 1), ("Utena", 1)),
        ("Gedimino pr.", "Savanorių pr.", "Konstitucijos pr.", "Laisvės al.", "Ukmergės g.", "Taikos pr.",
         "Pramonės g.", "Verslo g.", "Liepų g.", "J. Basanavičiaus g."),
        ((LITHUANIAN, 85), (RUSSIAN_BALTIC, 15)),
        (("+3706", 7),),
        lambda rng: "30" + _digits(rng, 7),
    ),
    Market(
        "LV", 12, "lv",
        (("SIA {}", 9), ("AS {}", 1)),
        ("Rīgas", "Daugavas", "Gaujas", "Kurzemes", "Vidzemes", "Latgales", "Zemgales", "Baltijas", "Dzintara",
         "Ozola", "Ventas", "Jūras"),
        {Industry.MANUFACTURING: ("Ražotne", "Rūpnīca"), Industry.RETAIL: ("Tirdzniecība", "Veikali"),
         Industry.WHOLESALE: ("Vairumtirdzniecība", "Tirdzniecības nams"),
         Industry.LOGISTICS: ("Loģistika", "Transports"), Industry.CONSTRUCTION: ("Būve", "Celtnieks"),
         Industry.IT: ("IT", "Risinājumi"), Industry.FOOD: ("Pārtika", "Maiznīca"),
         Industry.HEALTHCARE: ("Aptieka", "Medicīna"), Industry.FINANCE: ("Finanses", "Līzings"),
         Industry.ENERGY: ("Enerģija", "Energo"), Industry.AGRICULTURE: ("Agro", "Lauki"),
         Industry.OTHER: ("Serviss", "Grupa")},
        (("Rīga", 5), ("Daugavpils", 1), ("Liepāja", 1), ("Jelgava", 1), ("Ventspils", 1), ("Valmiera", 1)),
        ("Brīvības iela", "Krišjāņa Valdemāra iela", "Dzirnavu iela", "Ganību dambis", "Maskavas iela",
         "Lielā iela", "Rūpniecības iela"),
        ((LATVIAN, 65), (RUSSIAN_BALTIC, 35)),
        tuple((f"+3712{d}", 6) for d in "01245679"),
        lambda rng: "4000" + _digits(rng, 7),
    ),
    Market(
        "EE", 10, "ee",
        (("{} OÜ", 8), ("AS {}", 2)),
        ("Tallinna", "Tartu", "Pärnu", "Harju", "Saare", "Viru", "Emajõe", "Balti", "Põhja", "Kalevi", "Lääne",
         "Narva"),
        {Industry.MANUFACTURING: ("Tehas", "Tootmine"), Industry.RETAIL: ("Kaubandus", "Kauplused"),
         Industry.WHOLESALE: ("Hulgi", "Kaubamaja"), Industry.LOGISTICS: ("Logistika", "Transport"),
         Industry.CONSTRUCTION: ("Ehitus", "Ehitusgrupp"), Industry.IT: ("IT", "Lahendused"),
         Industry.FOOD: ("Toit", "Pagar"), Industry.HEALTHCARE: ("Apteek", "Meditsiin"),
         Industry.FINANCE: ("Finants", "Liising"), Industry.ENERGY: ("Energia", "Elekter"),
         Industry.AGRICULTURE: ("Agro", "Põllumees"), Industry.OTHER: ("Teenindus", "Grupp")},
        (("Tallinn", 5), ("Tartu", 2), ("Pärnu", 1), ("Narva", 1), ("Viljandi", 1)),
        ("Pärnu mnt", "Narva mnt", "Tartu mnt", "Peterburi tee", "Sõpruse pst", "Tööstuse", "Riia"),
        ((ESTONIAN, 70), (RUSSIAN_BALTIC, 30)),
        (("+3725", 7),),
        lambda rng: "1" + _digits(rng, 7),
    ),
    Market(
        "PL", 10, "pl",
        (("{} Sp. z o.o.", 8), ("{} S.A.", 2)),
        ("Wisła", "Bałtyk", "Mazowsze", "Pomorze", "Tatry", "Warta", "Odra", "Sudety", "Kaszuby", "Podlasie",
         "Orzeł", "Jantar"),
        {Industry.MANUFACTURING: ("Produkcja", "Metal"), Industry.RETAIL: ("Handel", "Market"),
         Industry.WHOLESALE: ("Hurt", "Dystrybucja"), Industry.LOGISTICS: ("Logistyka", "Transport"),
         Industry.CONSTRUCTION: ("Budownictwo", "Bud"), Industry.IT: ("IT", "Systemy"),
         Industry.FOOD: ("Żywność", "Mleczarnia"), Industry.HEALTHCARE: ("Med", "Farmacja"),
         Industry.FINANCE: ("Finanse", "Leasing"), Industry.ENERGY: ("Energia", "Energetyka"),
         Industry.AGRICULTURE: ("Agro", "Rolnik"), Industry.OTHER: ("Serwis", "Grupa")},
        (("Warszawa", 4), ("Kraków", 2), ("Gdańsk", 2), ("Wrocław", 2), ("Poznań", 2), ("Łódź", 1),
         ("Białystok", 1)),
        ("ul. Marszałkowska", "ul. Puławska", "ul. Grunwaldzka", "ul. Przemysłowa", "ul. Długa",
         "al. Jerozolimskie", "ul. Portowa"),
        ((POLISH, 100),),
        tuple((f"+48{p}", 7) for p in ("50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88")),
        lambda rng: "0000" + _digits(rng, 6),  # KRS number
    ),
    Market(
        "DE", 8, "de",
        (("{} GmbH", 7), ("{} AG", 1), ("{} GmbH & Co. KG", 2)),
        ("Müller", "Schneider", "Hansa", "Nord", "Elbe", "Rhein", "Weser", "Bayern", "Alster", "Spree", "Becker",
         "Hoffmann"),
        {Industry.MANUFACTURING: ("Maschinenbau", "Fertigung"), Industry.RETAIL: ("Handel", "Markt"),
         Industry.WHOLESALE: ("Großhandel", "Vertrieb"), Industry.LOGISTICS: ("Logistik", "Spedition"),
         Industry.CONSTRUCTION: ("Bau", "Bautechnik"), Industry.IT: ("Software", "IT-Systeme"),
         Industry.FOOD: ("Lebensmittel", "Feinkost"), Industry.HEALTHCARE: ("Medizintechnik", "Pharma"),
         Industry.FINANCE: ("Finanz", "Leasing"), Industry.ENERGY: ("Energie", "Solar"),
         Industry.AGRICULTURE: ("Agrar", "Landhandel"), Industry.OTHER: ("Service", "Gruppe")},
        (("Berlin", 3), ("Hamburg", 3), ("München", 2), ("Köln", 1), ("Frankfurt am Main", 2), ("Leipzig", 1),
         ("Bremen", 1)),
        ("Hauptstraße", "Industriestraße", "Bahnhofstraße", "Hafenstraße", "Gewerbering", "Lindenallee",
         "Schillerstraße"),
        ((GERMAN, 100),),
        tuple((f"+49{p}", 8) for p in ("151", "152", "157", "176", "177", "178"))
        + tuple((f"+49{p}", 7) for p in ("160", "162", "170", "171", "172", "173", "174", "175", "179")),
        lambda rng: f"HRB {rng.randint(10000, 299999)}",
    ),
    Market(
        "FI", 5, "fi",
        (("{} Oy", 9), ("{} Oyj", 1)),
        ("Suomen", "Pohjolan", "Saimaan", "Lapin", "Hämeen", "Karjalan", "Nordic", "Kaleva", "Aalto", "Pohjois"),
        {Industry.MANUFACTURING: ("Teollisuus", "Konepaja"), Industry.RETAIL: ("Kauppa", "Myymälät"),
         Industry.WHOLESALE: ("Tukku", "Jakelu"), Industry.LOGISTICS: ("Logistiikka", "Kuljetus"),
         Industry.CONSTRUCTION: ("Rakennus", "Rakennuttajat"), Industry.IT: ("Ohjelmistot", "IT"),
         Industry.FOOD: ("Elintarvike", "Leipomo"), Industry.HEALTHCARE: ("Terveys", "Lääkintä"),
         Industry.FINANCE: ("Rahoitus", "Leasing"), Industry.ENERGY: ("Energia", "Sähkö"),
         Industry.AGRICULTURE: ("Maatalous", "Agro"), Industry.OTHER: ("Palvelut", "Yhtiöt")},
        (("Helsinki", 4), ("Espoo", 1), ("Tampere", 2), ("Turku", 1), ("Oulu", 1)),
        ("Mannerheimintie", "Hämeenkatu", "Teollisuuskatu", "Satamakatu", "Kauppakatu", "Aleksanterinkatu"),
        ((FINNISH, 100),),
        tuple((f"+358{p}", 7) for p in ("40", "41", "44", "45", "50")),
        _finnish_business_id,
    ),
    Market(
        "KZ", 5, "kz",
        (("ТОО «{}»", 9), ("АО «{}»", 1)),
        ("Алатау", "Астана", "Казына", "Жетысу", "Сарыарка", "Каспий", "Есиль", "Тенгри", "Байтерек", "Атамекен"),
        RU_WORDS,
        (("Алматы", 4), ("Астана", 3), ("Шымкент", 1), ("Караганда", 1), ("Актобе", 1)),
        ("пр. Абая", "пр. Достык", "ул. Толе би", "пр. Республики", "ул. Кенесары", "пр. Аль-Фараби"),
        ((KAZAKH, 60), (RUSSIAN, 40)),
        tuple((f"+7{p}", 7) for p in ("700", "701", "702", "705", "707", "747", "771", "775", "776", "777", "778")),
        lambda rng: f"{rng.randint(0, 23):02d}{rng.randint(1, 12):02d}4{_digits(rng, 7)}",  # BIN
    ),
    Market(
        "GE", 2, "ge",
        (("ООО «{}»", 1),),
        ("Картли", "Кавкасиони", "Мтацминда", "Колхида", "Иберия", "Арагви", "Риони", "Алазани"),
        RU_WORDS,
        (("Тбилиси", 4), ("Батуми", 2), ("Кутаиси", 1)),
        ("пр. Руставели", "пр. Агмашенебели", "ул. Чавчавадзе", "ул. Пекина", "ул. Казбеги"),
        ((GEORGIAN, 85), (RUSSIAN, 15)),
        tuple((f"+995{p}", 6) for p in ("555", "557", "558", "568", "571", "574", "577", "591", "593", "595", "599")),
        lambda rng: "4" + _digits(rng, 8),
    ),
    Market(
        "AM", 3, "am",
        (("ООО «{}»", 1),),
        ("Арарат", "Севан", "Арагац", "Ереван", "Масис", "Ани", "Зангезур", "Ширак"),
        RU_WORDS,
        (("Ереван", 5), ("Гюмри", 1), ("Ванадзор", 1)),
        ("пр. Маштоца", "ул. Абовяна", "пр. Тиграна Меца", "ул. Сарьяна", "ул. Арами"),
        ((ARMENIAN, 85), (RUSSIAN, 15)),
        tuple((f"+374{p}", 6) for p in ("77", "93", "94", "98", "99", "91", "96", "55", "41", "43", "44", "49")),
        lambda rng: "0" + _digits(rng, 7),  # tax number
    ),
)  # fmt: skip


# --- Client-level vocabularies ------------------------------------------------------------------------------

INDUSTRY_WEIGHTS = (
    (Industry.MANUFACTURING, 14), (Industry.RETAIL, 12), (Industry.WHOLESALE, 14), (Industry.LOGISTICS, 12),
    (Industry.CONSTRUCTION, 10), (Industry.IT, 7), (Industry.FOOD, 10), (Industry.HEALTHCARE, 5),
    (Industry.FINANCE, 3), (Industry.ENERGY, 4), (Industry.AGRICULTURE, 6), (Industry.OTHER, 3),
)  # fmt: skip
# Exact shares in every block of 10 (tiers) and 20 (statuses), shuffled within the block.
TIER_BLOCK = (Tier.VIP,) + (Tier.KEY,) * 2 + (Tier.STANDARD,) * 7
STATUS_BLOCK = (Status.ACTIVE,) * 14 + (Status.PROSPECT,) * 3 + (Status.INACTIVE,) * 2 + (Status.CHURNED,)
SOURCE_WEIGHTS = (
    (Source.REFERRAL, 15), (Source.EVENT, 20), (Source.WEBSITE, 25), (Source.COLD_CALL, 25), (Source.OTHER, 15),
)  # fmt: skip
CONTACTS_PER_TIER = {  # how many contacts (1-4) a client has, weighted
    Tier.VIP: ((2, 30), (3, 40), (4, 30)),
    Tier.KEY: ((1, 15), (2, 40), (3, 30), (4, 15)),
    Tier.STANDARD: ((1, 40), (2, 35), (3, 20), (4, 5)),
}
CHURN_REASONS = (
    "Switched to a cheaper local supplier.",
    "Business closed down.",
    "Procurement moved to the parent company's head office.",
    "Repeated late deliveries in the peak season.",
    "Lost the public tender to a competitor.",
    "Merged with a company that has its own supplier.",
)
NOTES = (
    "Annual contract renewal in March; prices fixed in EUR.",
    "Pays on 30-day terms; prefers one consolidated invoice a month.",
    "Orders peak before Christmas; plan stock in October.",
    "Procurement decisions go through the group's head office.",
    "Needs delivery notes in the local language.",
    "Deliveries on weekdays 8:00-14:00 only.",
    "Asked for a quote for the autumn tender.",
    "Interested in private-label products.",
)

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
LATIN_EXTRA = {"ł": "l", "ß": "ss", "ø": "o", "æ": "ae"}
GERMAN_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}
