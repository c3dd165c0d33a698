"""Family and welfare: households, poverty screening (Equitable Education Fund, form นร.01), home visits,
aptitude and interests.

The poverty criteria are rows, not code: the income limit, how many household-condition factors are
needed, and for each factor which answers count as hardship. A household is entered once and shared by
siblings; every save keeps a full snapshot (HouseholdVersion), and each child's screening per term is a
stored snapshot computed from it, so the eligible list reads one row per child.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.core.models import Subdistrict
from khru.org.models import AcademicYear, Classroom, School, Term
from khru.people.models import Person


class FamilyStatus(models.TextChoices):
    TOGETHER = "together", "บิดามารดาอยู่ด้วยกัน"
    SEPARATED = "separated", "บิดามารดาแยกกันอยู่/หย่าร้าง"
    FATHER_DIED = "father_died", "บิดาเสียชีวิต"
    MOTHER_DIED = "mother_died", "มารดาเสียชีวิต"
    ORPHAN = "orphan", "กำพร้าทั้งบิดาและมารดา"
    AWAY = "away", "บิดามารดาไปทำงานต่างถิ่น"


class HousingTenure(models.TextChoices):
    OWN = "own", "บ้านของตนเอง"
    RENT = "rent", "เช่าบ้าน"
    RELATIVES = "relatives", "อาศัยอยู่กับผู้อื่น/ญาติ"
    EMPLOYER = "employer", "อยู่หอพัก/บ้านพักนายจ้าง"


class HouseCondition(models.TextChoices):
    GOOD = "good", "สภาพดี"
    WORN = "worn", "ชำรุดทรุดโทรม/วัสดุไม่ถาวร"
    NO_TOILET = "no_toilet", "ไม่มีห้องส้วมในที่อยู่อาศัย"


class FarmLand(models.TextChoices):
    NOT_FARMING = "not_farming", "ไม่ได้ทำเกษตร"
    NO_LAND = "no_land", "ทำเกษตรแต่ไม่มีที่ดินของตนเอง"
    UP_TO_1_RAI = "upto_1_rai", "มีที่ดินทำกินไม่เกิน 1 ไร่"
    OVER_1_RAI = "over_1_rai", "มีที่ดินทำกินมากกว่า 1 ไร่"


class WaterSource(models.TextChoices):
    BOTTLED = "bottled", "น้ำดื่มบรรจุขวด/ตู้กดน้ำ"
    TAP = "tap", "น้ำประปา"
    WELL = "well", "บ่อน้ำตื้น/บ่อบาดาล"
    RAIN = "rain", "น้ำฝน"
    NATURAL = "natural", "แหล่งน้ำธรรมชาติ"


class ElectricitySource(models.TextChoices):
    GRID = "grid", "ไฟฟ้าจากการไฟฟ้า"
    BORROWED = "borrowed", "ต่อพ่วงจากบ้านอื่น"
    SOLAR = "solar", "แผงโซลาร์เซลล์/เครื่องปั่นไฟ"
    NONE = "none", "ไม่มีไฟฟ้า"


class Vehicle(models.TextChoices):
    MOTORCYCLE = "motorcycle", "รถจักรยานยนต์"
    CAR = "car", "รถยนต์ส่วนบุคคล"
    PICKUP = "pickup", "รถปิกอัพ/รถบรรทุกเล็ก/รถตู้"
    TRACTOR = "tractor", "รถไถ/รถเกี่ยวข้าว/รถแทรกเตอร์"


class Appliance(models.TextChoices):
    TV = "tv", "โทรทัศน์จอแบน"
    FRIDGE = "fridge", "ตู้เย็น"
    WASHER = "washer", "เครื่องซักผ้า"
    AIRCON = "aircon", "เครื่องปรับอากาศ"
    COMPUTER = "computer", "คอมพิวเตอร์"


class TravelMode(models.TextChoices):
    WALK = "walk", "เดิน"
    BICYCLE = "bicycle", "จักรยาน"
    MOTORCYCLE = "motorcycle", "รถจักรยานยนต์"
    CAR = "car", "รถยนต์ผู้ปกครอง"
    SCHOOL_BUS = "school_bus", "รถรับส่งนักเรียน"
    PUBLIC = "public", "รถโดยสารประจำทาง"
    BOAT = "boat", "เรือ"


class Relation(models.TextChoices):
    FATHER = "father", "บิดา"
    MOTHER = "mother", "มารดา"
    GRANDPARENT = "grandparent", "ปู่ย่าตายาย"
    SIBLING = "sibling", "พี่น้อง"
    RELATIVE = "relative", "ญาติ"
    STEP_PARENT = "step_parent", "พ่อเลี้ยง/แม่เลี้ยง"
    OTHER = "other", "อื่น ๆ"


class FactorRule(models.TextChoices):
    ONE_OF = "one_of", "คำตอบอยู่ในรายการที่ถือว่าขาดแคลน"
    NONE_OF = "none_of", "ไม่มีสิ่งใดในรายการเลย"
    DEPENDANTS = "dependants", "มีสมาชิกที่เป็นภาระพึ่งพิง"


class PovertyCriteria(models.Model):
    """One version of the screening rules; the newest active version screens."""

    version = models.CharField(max_length=20, unique=True)
    name_th = models.CharField(max_length=200)
    # Eligible: income per person per month at most this, and at least min_factors factors met.
    income_limit_baht = models.PositiveIntegerField(default=3000)
    min_factors = models.PositiveSmallIntegerField(default=2)
    elderly_age = models.PositiveSmallIntegerField(default=60)  # a member older than this is a dependant
    working_age_from = models.PositiveSmallIntegerField(default=15)  # no income at 15–65 = a dependant
    working_age_to = models.PositiveSmallIntegerField(default=65)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(min_factors__lte=8), name="min_factors_at_most_8")]

    def __str__(self) -> str:
        return f"{self.name_th} ({self.version})"


class PovertyFactor(models.Model):
    """One household-condition factor: which household field it reads and which answers are hardship."""

    criteria = models.ForeignKey(PovertyCriteria, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=30)  # the Household field it reads (or 'dependants')
    order = models.PositiveSmallIntegerField(default=0)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=12, choices=FactorRule.choices)
    options = models.JSONField(default=list)  # option codes the rule compares with

    class Meta:
        ordering = ["criteria", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria", "code"], name="one_factor_per_code")]

    def __str__(self) -> str:
        return self.name_th


class Household(models.Model):
    """The home a child lives in; siblings share it. Entered by the homeroom teacher or the school office."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")  # that entered it
    house_no = models.CharField(max_length=100, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.PROTECT)
    family_status = models.CharField(max_length=12, choices=FamilyStatus.choices)
    housing_tenure = models.CharField(max_length=12, choices=HousingTenure.choices)
    house_condition = models.CharField(max_length=12, choices=HouseCondition.choices)
    farm_land = models.CharField(max_length=12, choices=FarmLand.choices)
    water_source = models.CharField(max_length=12, choices=WaterSource.choices)
    electricity_source = models.CharField(max_length=12, choices=ElectricitySource.choices)
    vehicles = models.JSONField(default=list, blank=True)  # Vehicle codes
    appliances = models.JSONField(default=list, blank=True)  # Appliance codes
    distance_km = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    travel_mode = models.CharField(max_length=12, choices=TravelMode.choices, blank=True)
    travel_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True) | Q(distance_km__gte=0, distance_km__lte=500),
                name="household_distance_range",
            ),
            models.CheckConstraint(
                condition=Q(travel_minutes__isnull=True) | Q(travel_minutes__lte=600),
                name="household_travel_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"household {self.pk}"


class HouseholdMember(models.Model):
    """Someone who lives in the home (the school's children in it are linked by HouseholdChild instead)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=12, choices=Relation.choices)
    birth_year_be = models.PositiveSmallIntegerField(null=True, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    monthly_income_baht = models.PositiveIntegerField(default=0)
    disabled = models.BooleanField(default=False)
    no_income = models.BooleanField(default=False)  # of working age without income (unemployed)

    class Meta:
        ordering = ["household", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_income_baht__lte=1_000_000), name="member_income_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdChild(models.Model):
    """Which home a child lives in now (one per child)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="children")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="household_link")
    linked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person_id} → {self.household_id}"


class HouseholdVersion(models.Model):
    """History: the full household (fields, members, children) as saved, one row per save."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["household", "version"], name="one_household_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} v{self.version}"


class PovertyScreening(models.Model):
    """A child's screening for one term, as computed from their household; recomputed when it changes."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="poverty_screenings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    classroom = models.ForeignKey(
        Classroom, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grade = models.CharField(max_length=3)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    household_version = models.PositiveIntegerField(null=True, blank=True)
    criteria = models.ForeignKey(PovertyCriteria, on_delete=models.PROTECT, related_name="+")
    household_size = models.PositiveSmallIntegerField(default=0)
    income_total = models.PositiveIntegerField(default=0)
    income_per_person = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    factors_met = models.JSONField(default=list)  # factor codes
    eligible = models.BooleanField(default=False)
    reasons = models.CharField(max_length=600, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="one_poverty_screening_per_term")
        ]
        indexes = [models.Index(fields=["school", "term", "eligible", "grade"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.term_id} {'eligible' if self.eligible else 'not eligible'}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "นัดหมายแล้ว"
    DONE = "done", "เยี่ยมแล้ว"


class VisitRisk(models.TextChoices):
    VIOLENCE = "violence", "ความรุนแรงในครอบครัว"
    SUBSTANCE = "substance", "สารเสพติด/สุรา ในบ้าน"
    NEGLECT = "neglect", "ถูกทอดทิ้ง/ขาดผู้ดูแล"
    UNSAFE_HOUSE = "unsafe_house", "ที่อยู่อาศัยไม่ปลอดภัย"
    DEBT = "debt", "หนี้สิน/รายได้ไม่พอใช้"
    HEALTH = "health", "ผู้ป่วยเรื้อรัง/ผู้พิการในบ้าน"
    ROUTE = "route", "เส้นทางมาโรงเรียนอันตราย"
    CHILD_LABOUR = "child_labour", "ต้องทำงานหารายได้"


class HomeVisit(models.Model):
    """A visit to a child's home by the homeroom teacher: planned, then recorded, with a follow-up."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="home_visits")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="home_visits")
    status = models.CharField(max_length=8, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    planned_on = models.DateField(null=True, blank=True)
    visited_on = models.DateField(null=True, blank=True)
    met = models.CharField(max_length=200, blank=True)  # who was met
    housing = models.TextField(blank=True)
    risks = models.JSONField(default=list, blank=True)  # VisitRisk codes
    needs = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    follow_up = models.CharField(max_length=300, blank=True)
    follow_up_due = models.DateField(null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(visited_on__isnull=False), name="done_visit_has_date"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="visit_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="visit_longitude_range",
            ),
        ]
        indexes = [
            models.Index(fields=["classroom", "status"]),
            models.Index(fields=["person", "academic_year"]),
        ]

    def __str__(self) -> str:
        return f"visit {self.person_id} {self.status}"


def _photo_path(instance: "VisitPhoto", filename: str) -> str:
    # Random names: the path never reveals the child or the original file name.
    return f"welfare/visits/{instance.visit.uuid}/{uuid.uuid4().hex}.{instance.extension}"


class VisitPhoto(models.Model):
    """A photo of the home, stored under MEDIA_ROOT and served only through a view that checks scope."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    size_bytes = models.PositiveIntegerField()
    location_stripped = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"photo {self.uuid}"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(self.content_type, "bin")


class AptitudeArea(models.TextChoices):
    SPORTS = "sports", "กีฬา"
    ARTS = "arts", "ศิลปะ"
    MUSIC = "music", "ดนตรี/นาฏศิลป์"
    LANGUAGES = "languages", "ภาษา"
    SCIENCE_MATHS = "science_maths", "วิทยาศาสตร์/คณิตศาสตร์"
    TECHNOLOGY = "technology", "เทคโนโลยี"
    VOCATIONAL = "vocational", "อาชีพ"
    LEADERSHIP = "leadership", "ความเป็นผู้นำ"
    OTHER = "other", "อื่น ๆ"


class Aptitude(models.Model):
    """Something a child is good at or wants to do, recorded by a teacher or by the child."""

    class Source(models.TextChoices):
        TEACHER = "teacher", "ครูบันทึก"
        SELF = "self", "นักเรียนบอกเอง"

    class Kind(models.TextChoices):
        TALENT = "talent", "ความสามารถพิเศษ"
        INTEREST = "interest", "ความสนใจ"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="aptitudes")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=14, choices=AptitudeArea.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TALENT)
    detail = models.CharField(max_length=300)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TEACHER)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["person", "area"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.area}"
