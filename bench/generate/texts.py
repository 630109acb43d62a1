"""Words the generator builds names and notes from: enough variety for search and sorting to behave
as on real data, no more. ASCII in e-mail addresses, the product's languages in what people type."""

COMPANY_FIRST = (
    "Baltic", "Nordic", "Amber", "Vilnius", "Kaunas", "Riga", "Tallinn", "Northern", "Green", "Blue",
    "Silver", "Granite", "Oak", "Pine", "Delta", "Alpha", "Vector", "Prime", "Central", "Coastal",
    "Eastern", "Western", "Royal", "Solid", "Smart", "Bright", "Rapid", "Union", "Metro", "Polar",
)  # fmt: skip
COMPANY_SECOND = (
    "Timber", "Logistics", "Foods", "Packaging", "Trade", "Systems", "Steel", "Agro", "Pharma", "Energy",
    "Textiles", "Motors", "Build", "Retail", "Dairy", "Glass", "Plastics", "Print", "Freight", "Software",
    "Furniture", "Electro", "Chemicals", "Paper", "Tools", "Medical", "Media", "Water", "Grain", "Metals",
)  # fmt: skip
COMPANY_FORM = {"LT": "UAB", "LV": "SIA", "EE": "OÜ", "PL": "Sp. z o.o.", "DE": "GmbH", "FI": "Oy", "SE": "AB"}
COUNTRIES = (
    ("LT", 46), ("LV", 12), ("EE", 9), ("PL", 10), ("DE", 7), ("FI", 4), ("SE", 4), ("KZ", 3), ("GE", 3), ("AM", 2),
)  # fmt: skip
CITIES = {
    "LT": ("Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus"),
    "LV": ("Riga", "Daugavpils", "Liepāja", "Jelgava"),
    "EE": ("Tallinn", "Tartu", "Pärnu"),
    "PL": ("Warsaw", "Gdańsk", "Kraków", "Poznań", "Białystok"),
    "DE": ("Berlin", "Hamburg", "Munich", "Leipzig"),
    "FI": ("Helsinki", "Espoo", "Tampere"),
    "SE": ("Stockholm", "Gothenburg", "Malmö"),
    "KZ": ("Almaty", "Astana"),
    "GE": ("Tbilisi", "Batumi"),
    "AM": ("Yerevan",),
}
PHONE_PREFIX = {
    "LT": "+3706", "LV": "+3712", "EE": "+3725", "PL": "+485", "DE": "+4915", "FI": "+35840", "SE": "+4670",
    "KZ": "+7701", "GE": "+99555", "AM": "+37491",
}  # fmt: skip
STREETS = ("Gedimino pr.", "Laisvės al.", "Brīvības iela", "Narva mnt", "Marszałkowska", "Hauptstraße", "Main St.")

FIRST_NAMES = (
    "Jonas", "Tomas", "Mantas", "Lukas", "Andrius", "Rasa", "Ieva", "Agnė", "Laura", "Eglė", "Janis", "Liga",
    "Kristjan", "Kadri", "Piotr", "Anna", "Marta", "Jan", "Katarina", "Mikko", "Aino", "Erik", "Sofia",
    "Dmitry", "Olga", "Sergey", "Natalia", "Aigerim", "Nino", "Armen",
)  # fmt: skip
LAST_NAMES = (
    "Kazlauskas", "Petraitis", "Jankauskas", "Vasiliauskas", "Berzins", "Ozols", "Tamm", "Saar", "Kowalski",
    "Nowak", "Wisniewski", "Schmidt", "Muller", "Virtanen", "Korhonen", "Andersson", "Johansson", "Ivanov",
    "Petrov", "Smirnova", "Nurlanov", "Beridze", "Petrosyan", "Kalnins", "Rebane", "Zielinski",
)  # fmt: skip
POSITIONS = ("CEO", "Procurement manager", "Buyer", "Logistics lead", "CFO", "Office manager", "Owner", "")
MANAGER_FIRST = ("Ada", "Lina", "Mantas", "Tomas", "Olga", "Rūta", "Paulius", "Greta", "Darius", "Inga", "Viktor")
MANAGER_LAST = ("Adams", "Lukas", "Owner", "Teammate", "Kozlova", "Žukė", "Grigas", "Mikalauskė", "Lee", "Berg")
TEAMS = (
    "Vilnius", "Kaunas", "Klaipėda", "Riga", "Tallinn", "Warsaw", "Gdańsk", "Helsinki", "Berlin", "Almaty",
    "Tartu", "Poznań", "Stockholm", "Šiauliai", "Tbilisi", "Yerevan",
)  # fmt: skip
TAGS = (
    "distributor", "reseller", "export", "seasonal", "tender", "framework contract", "new market", "pilot",
    "strategic", "price sensitive", "eco", "e-commerce", "public sector", "franchise", "late payer", "upsell",
    "partner", "event lead", "competitor client", "referral",
)  # fmt: skip

SUBJECTS = {
    "call": ("Price list follow-up", "Checked delivery dates", "Order status", "Quarterly check-in", "Reorder"),
    "meeting": ("Annual review", "Product demo", "Contract renewal", "Visit to the warehouse", "Budget planning"),
    "email": ("Offer sent", "Invoice question", "New catalogue", "Samples", "Terms and conditions"),
    "chat": ("Quick question on stock", "Tracking number", "Delivery window"),
    "visit": ("Site visit", "Showroom visit", "Training on site"),
    "other": ("Trade fair", "LinkedIn message", "Letter"),
}
NOTES = (
    "Asked for a better price on the next batch.",
    "Happy with the last delivery; wants the same terms.",
    "Will confirm the volume after their board meeting.\nCall again next week.",
    "Complained about packaging; promised to check with the warehouse.",
    "Interested in the new product line.",
    "Новый объём согласуют до конца месяца.",
    "Klientas prašo atnaujinto kainoraščio.",
)
FOLLOW_UP_TITLES = (
    "Send the offer", "Call back about the price", "Confirm delivery date", "Prepare the contract",
    "Check payment", "Book the annual review", "Send samples", "Ask about the tender",
)  # fmt: skip
COMPLAINT_SUBJECTS = {
    "Late delivery": ("Order arrived late", "Still waiting for the delivery", "Delivery missed the promised date"),
    "Damaged goods": ("Pallets arrived broken", "Damaged packaging", "Goods damaged in transport"),
    "Wrong or missing items": ("Missing items in the delivery", "Wrong product delivered", "Quantity short"),
    "Product quality": ("Quality below the sample", "Defective batch", "Product does not work"),
    "Invoice or price": ("Wrong price on the invoice", "Invoice issued twice", "Discount not applied"),
    "Service and communication": ("No answer to e-mails", "Rude reply from support", "Nobody called back"),
    "Other": ("General complaint", "Website order problem"),
}
REPLIES = (
    "We are sorry for the trouble and are looking into it right away.",
    "Thank you for telling us. We will come back with a solution today.",
    "Приносим извинения, уже разбираемся.",
    "Atsiprašome, jau aiškinamės situaciją.",
)
RESOLUTIONS = (
    "Replacement delivered free of charge.",
    "Credit note issued.",
    "Discount on the next order agreed.",
    "Explained the terms; the client accepted.",
)
CANCEL_REASONS = ("The client changed their mind", "Out of stock", "Duplicate order", "Budget cut")
SURVEY_COMMENTS = (
    "Fast delivery, thank you!",
    "Good service as always.",
    "The invoice was wrong again.",
    "Delivery was late.",
    "Hard to reach my manager.",
    "Всё отлично.",
    "Labai ačiū už greitą pristatymą.",
)
PRODUCT_WORDS = (
    ("Stretch film", "roll"), ("Carton box", "pcs"), ("Pallet", "pcs"), ("Adhesive tape", "roll"),
    ("Bubble wrap", "roll"), ("Label paper", "pack"), ("Safety gloves", "pair"), ("Cleaning agent", "l"),
    ("Steel strap", "roll"), ("Paper bag", "pcs"), ("Printer ink", "pcs"), ("Corner board", "pcs"),
)  # fmt: skip
PRODUCT_SIZES = ("S", "M", "L", "XL", "500 mm", "750 mm", "1 m", "20 l", "5 kg", "eco")
