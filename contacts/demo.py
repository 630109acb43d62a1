"""The demo seeder of staff, teams, clients and contacts (registered as "clients" in apps.py).

It lives in `contacts` because it writes contacts; the import layers let `contacts`
use `clients` and `accounts`, never the other way round. Apps above (interactions and
later orders, complaints, feedback) seed their own data after it, on these clients.

Everything is drawn from `random.Random(rng_seed)` one client after another, so the
first N clients are the same whatever `--clients` says: `seed_demo --clients 30`
followed by `seed_demo` adds the other 270. Rows are matched, never overwritten: users
by e-mail, teams by name, clients by registration code. A second run creates nothing,
and whatever someone changed in the demo data since (a password, a client's tier)
stays as it is.

Clients and contacts go through the services, so their history names a user: the
owner of each client is the one who "created" it. Their `created_at` is then moved
back to a plausible day (the field is `auto_now_add`, so only an update can set it).
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import color_style
from django.utils import timezone

from accounts.models import Role, Team, User
from clients.models import Client, Industry, Source, Status, Tier
from clients.services import create_client
from contacts.models import Channel, Contact
from contacts.services import create_contact
from core.demo import DEMO_PASSWORD, DEMO_SEED
from core.exceptions import ApplicationError

__all__ = ["DEMO_PASSWORD", "build_plan", "demo_client_codes", "seed"]


# --- Staff ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    email: str
    full_name: str
    role: str
    team: str | None
    language: str
    time_zone: str
    owner_weight: int  # share of the demo clients this person owns


STAFF = (
    StaffSpec("admin@demo.crm", "Aistė Jankauskienė", Role.ADMIN, None, "en", "Europe/Vilnius", 0),
    StaffSpec("lead.north@demo.crm", "Tomas Kazlauskas", Role.TEAM_LEAD, "North", "lt", "Europe/Vilnius", 5),
    StaffSpec("manager1@demo.crm", "Laura Bērziņa", Role.MANAGER, "North", "en", "Europe/Riga", 15),
    StaffSpec("manager2@demo.crm", "Mindaugas Petrauskas", Role.MANAGER, "North", "lt", "Europe/Vilnius", 15),
    StaffSpec("manager3@demo.crm", "Kristjan Tamm", Role.MANAGER, "North", "en", "Europe/Tallinn", 15),
    StaffSpec("lead.south@demo.crm", "Katarzyna Nowak", Role.TEAM_LEAD, "South", "en", "Europe/Warsaw", 5),
    StaffSpec("manager4@demo.crm", "Jelena Sokolova", Role.MANAGER, "South", "ru", "Europe/Vilnius", 15),
    StaffSpec("manager5@demo.crm", "Dmitrij Ivanov", Role.MANAGER, "South", "ru", "Europe/Riga", 15),
    StaffSpec("manager6@demo.crm", "Rūta Žukauskaitė", Role.MANAGER, "South", "lt", "Europe/Vilnius", 15),
)
TEAM_LEADS = {"North": "lead.north@demo.crm", "South": "lead.south@demo.crm"}


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


# --- The plan: pure data drawn from the random generator ---------------------------------------------------


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


def build_plan(count: int, *, seed: int = DEMO_SEED, today: date | None = None) -> list[ClientSpec]:
    """The first `count` demo clients with their contacts (the same for the same seed and day)."""
    planner = Planner(random.Random(seed), today or timezone.localdate())
    owners = tuple((s.email, s.owner_weight) for s in STAFF if s.owner_weight)
    return [planner.next_client(owners) for _ in range(count)]


# --- Writing -------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    users: int = 0
    teams: int = 0
    clients: int = 0
    contacts: int = 0
    notices: list[str] = field(default_factory=list)


def _chunks(items: list[str], size: int = 500):
    """Keeps `__in` lists under SQLite's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clients_with_codes(codes: list[str]) -> list[Client]:
    return [client for chunk in _chunks(codes) for client in Client.objects.filter(registration_code__in=chunk)]


def seed_staff(created: Counts) -> dict[str, User]:
    teams = {}
    for name in TEAM_LEADS:
        teams[name], is_new = Team.objects.get_or_create(name=name)
        created.teams += is_new
    users, password = {}, None
    for spec in STAFF:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)  # one hash for all: demo users only
            user = User.objects.create(
                email=spec.email,
                password=password,
                full_name=spec.full_name,
                role=spec.role,
                team=teams[spec.team] if spec.team else None,
                language=spec.language,
                time_zone=spec.time_zone,
            )
            created.users += 1
        users[spec.email] = user
    demo_ids = {user.pk for user in users.values()}
    for name, lead_email in TEAM_LEADS.items():
        team = teams[name]
        # A team of the same name may predate the demo; the README promises the demo lead leads it.
        # A lead changed to another demo user since the last run is kept.
        if team.lead_id not in demo_ids:
            if team.lead_id is not None:
                created.notices.append(f"Team {name}: lead {team.lead.email} replaced by {lead_email}.")
            team.lead = users[lead_email]
            team.save(update_fields=["lead"])
    return users


def seed_clients(plan: list[ClientSpec], users: dict[str, User], created: Counts) -> dict[str, Client]:
    """The plan's clients by registration code, creating the missing ones with their contacts."""
    by_code = {c.registration_code: c for c in _clients_with_codes([s.registration_code for s in plan])}
    for spec in plan:
        if spec.registration_code in by_code:
            continue
        owner = users[spec.owner]
        try:
            client = create_client(
                actor=owner,
                tags=spec.tags,
                name=spec.name,
                registration_code=spec.registration_code,
                tier=spec.tier,
                status=spec.status,
                churned_on=spec.churned_on,
                churn_reason=spec.churn_reason,
                industry=spec.industry,
                country=spec.country,
                city=spec.city,
                address=spec.address,
                website=spec.website,
                account_manager=owner,
                source=spec.source,
                referred_by=by_code.get(spec.referred_by) if spec.referred_by else None,
                notes=spec.notes,
            )
            for index, contact in enumerate(spec.contacts):
                create_contact(actor=owner, client=client, is_primary=index == 0, **vars(contact))
        except ApplicationError as error:
            raise CommandError(f"{spec.name} ({spec.registration_code}) for {owner.email}: {error}") from error
        by_code[spec.registration_code] = client
        created.clients += 1
        created.contacts += len(spec.contacts)
    return by_code


def planned_created_at(client: Client, *, rng_seed: int, now: datetime) -> datetime:
    """When a demo client "was added": 2 months to 4 years ago, a prospect within the last 10 months,
    a churned client at least 8 months before it left (so it has a history that thins out first)."""
    rng = random.Random(f"{rng_seed}:created:{client.registration_code}")
    latest = now - timedelta(days=61)
    earliest = now - timedelta(days=4 * 365)
    if client.status == Status.PROSPECT:
        earliest = now - timedelta(days=300)
    if client.churned_on is not None:
        churned_at = datetime.combine(client.churned_on, datetime.min.time(), tzinfo=UTC)
        latest = min(latest, churned_at - timedelta(days=240))
        earliest = min(earliest, latest - timedelta(days=30))  # a churn date someone moved far back
    return earliest + timedelta(seconds=int(rng.random() * (latest - earliest).total_seconds()))


def backdate_clients(clients: list[Client], *, rng_seed: int, now: datetime) -> None:
    """Move each client (and its contacts) back to its planned `created_at`, unless it is older already.

    Clients created by an earlier version of the seeder, which did not backdate, get their date too.
    The day moves with `now`, so an already backdated client is never moved again.
    """
    for client in clients:
        created_at = planned_created_at(client, rng_seed=rng_seed, now=now)
        if client.created_at > created_at:
            Client.objects.filter(pk=client.pk).update(created_at=created_at)
            Contact.objects.filter(client=client, created_at__gt=created_at).update(created_at=created_at)
            client.created_at = created_at


def demo_client_codes(*, rng_seed: int, clients: int) -> list[str]:
    """Registration codes of the first `clients` demo clients: how the seeders above this one find them."""
    return [spec.registration_code for spec in build_plan(clients, seed=rng_seed)]


def seed(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: demo staff, teams, the first `clients` demo clients and their contacts (idempotent)."""
    plan = build_plan(clients, seed=rng_seed)
    created = Counts()
    users = seed_staff(created)
    by_code = seed_clients(plan, users, created)
    backdate_clients(list(by_code.values()), rng_seed=rng_seed, now=timezone.now())
    codes = [spec.registration_code for spec in plan]
    total_contacts = sum(
        Contact.objects.filter(client__registration_code__in=chunk).count() for chunk in _chunks(codes)
    )
    style = color_style()
    for notice in created.notices:
        stdout.write(style.WARNING(notice))
    return (
        f"{len(users)} users ({created.users} new), {len(TEAM_LEADS)} teams ({created.teams} new), "
        f"{len(plan)} clients ({created.clients} new), {total_contacts} contacts ({created.contacts} new)"
    )
