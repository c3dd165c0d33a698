from typing import Any

from django.test import Client

from khru.org.models import Term
from khru.welfare import services

# A household with no hardship at all: own home in good condition, tap water, grid power, a car, a fridge.
COMFORTABLE: dict[str, Any] = {
    "house_no": "12/3",
    "family_status": "together",
    "housing_tenure": "own",
    "house_condition": "good",
    "farm_land": "not_farming",
    "water_source": "tap",
    "electricity_source": "grid",
    "vehicles": ["car"],
    "appliances": ["fridge", "tv"],
    "distance_km": "2.5",
    "travel_mode": "motorcycle",
    "travel_minutes": 10,
}
# Two hardship factors: rented home, no car/pickup/tractor.
TWO_FACTORS = {**COMFORTABLE, "housing_tenure": "rent", "vehicles": ["motorcycle"]}


def parents(father: int, mother: int) -> list[dict[str, Any]]:
    return [
        {
            "name": "นายพ่อ",
            "relation": "father",
            "birth_year_be": 2530,
            "occupation": "รับจ้าง",
            "monthly_income_baht": father,
        },
        {
            "name": "นางแม่",
            "relation": "mother",
            "birth_year_be": 2532,
            "occupation": "ค้าขาย",
            "monthly_income_baht": mother,
        },
    ]


def save(world, fields=None, members=None, actor=None, person=None):
    return services.save_household(
        actor=actor or world.teacher1,
        person=person or world.student1,
        fields=fields if fields is not None else TWO_FACTORS,
        members=members if members is not None else parents(6000, 3000),
    )


def term(world) -> Term:
    return Term.objects.get(academic_year=world.class1.academic_year, number=1)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
