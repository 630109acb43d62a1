"""Starting surveys an admin can change: a CSAT and an NPS template in en/ru/lt and the triggers
(order delivered after 3 days, complaint resolved after 1 day, meeting completed, relationship NPS
every 6 months), as DESIGN.md's "Survey defaults" say."""

from django.db import migrations

CSAT = {
    "name": "CSAT",
    "kind": "csat",
    "question_en": "How satisfied are you with our service?",
    "question_ru": "Насколько вы довольны нашим обслуживанием?",
    "question_lt": "Kaip vertinate mūsų aptarnavimą?",
    "subject_en": "How did we do?",
    "subject_ru": "Как мы справились?",
    "subject_lt": "Kaip mums sekėsi?",
    "intro_en": "Hello,\n\nwe would like to know how satisfied you are. One click is enough.",
    "intro_ru": "Здравствуйте!\n\nНам важно знать, довольны ли вы. Достаточно одного клика.",
    "intro_lt": "Laba diena,\n\nnorime sužinoti, ar esate patenkinti. Užtenka vieno paspaudimo.",
    "comment_question_en": "What could we do better? (optional)",
    "comment_question_ru": "Что мы могли бы сделать лучше? (необязательно)",
    "comment_question_lt": "Ką galėtume padaryti geriau? (neprivaloma)",
    "thanks_en": "Thank you for your feedback!",
    "thanks_ru": "Спасибо за ваш отзыв!",
    "thanks_lt": "Ačiū už jūsų atsiliepimą!",
}
NPS = {
    "name": "NPS",
    "kind": "nps",
    "question_en": "How likely are you to recommend us to a colleague or partner?",
    "question_ru": "Насколько вероятно, что вы порекомендуете нас коллеге или партнёру?",
    "question_lt": "Kiek tikėtina, kad rekomenduotumėte mus kolegai ar partneriui?",
    "subject_en": "Would you recommend us?",
    "subject_ru": "Порекомендовали бы вы нас?",
    "subject_lt": "Ar rekomenduotumėte mus?",
    "intro_en": "Hello,\n\nyour opinion helps us work better for you. Please choose a score below.",
    "intro_ru": "Здравствуйте!\n\nВаше мнение помогает нам работать лучше. Выберите оценку ниже.",
    "intro_lt": "Laba diena,\n\njūsų nuomonė padeda mums dirbti geriau. Pasirinkite įvertinimą žemiau.",
    "comment_question_en": "What is the main reason for your score? (optional)",
    "comment_question_ru": "Какова главная причина вашей оценки? (необязательно)",
    "comment_question_lt": "Kokia pagrindinė jūsų įvertinimo priežastis? (neprivaloma)",
    "thanks_en": "Thank you! Your answer goes straight to your account manager.",
    "thanks_ru": "Спасибо! Ваш ответ получит ваш менеджер.",
    "thanks_lt": "Ačiū! Jūsų atsakymą gaus jūsų vadybininkas.",
}
TRIGGERS = [
    ("order_delivered", "CSAT", 72, 6),
    ("complaint_resolved", "CSAT", 24, 6),
    ("meeting_completed", "CSAT", 2, 6),
    ("relationship_nps", "NPS", 0, 6),
    ("manual", "CSAT", 0, 6),
]


def create_defaults(apps, schema_editor):
    template_model = apps.get_model("feedback", "SurveyTemplate")
    trigger_model = apps.get_model("feedback", "SurveyTrigger")
    templates = {}
    for data in (CSAT, NPS):
        templates[data["name"]], _created = template_model.objects.get_or_create(name=data["name"], defaults=data)
    for kind, template, delay, months in TRIGGERS:
        trigger_model.objects.get_or_create(
            kind=kind,
            defaults={"template": templates[template], "delay_hours": delay, "interval_months": months},
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
