"""The demo's gradebook follows the shipped curriculum template: every class of ป.1–ม.6 studies its grade's
whole template in each term begun (the 8 learning areas, additional courses and activities graded ผ/มผ),
primary courses count hours and secondary ones credits. Checked on the one demo `test_load_demo` loads."""

from django.db.models import Count

from khru.assessment.models import Course, CurriculumTemplate, Result


def check_every_class_studies_its_template() -> None:
    template_size = {
        (t.agency_id, t.grade): t.n for t in CurriculumTemplate.objects.annotate(n=Count("courses"))
    }
    assert {grade for _, grade in template_size} == {f"P{n}" for n in range(1, 7)} | {
        f"M{n}" for n in range(1, 7)
    }
    per_class_term = Course.objects.values(
        "classroom_id", "term_id", "classroom__grade", "school__area__agency_id"
    ).annotate(n=Count("id"), areas=Count("code", distinct=True))
    assert per_class_term
    for row in per_class_term:
        assert row["n"] == template_size[(row["school__area__agency_id"], row["classroom__grade"])], row
    assert not Course.objects.filter(classroom__grade__startswith="P", credits__gt=0).exists()
    assert not Course.objects.filter(
        classroom__grade__startswith="M", kind__in=["core", "additional"], credits=0
    ).exists()
    activity_grades = set(Result.objects.filter(course__kind="activity").values_list("grade", flat=True))
    assert activity_grades and activity_grades <= {"ผ", "มผ"}
