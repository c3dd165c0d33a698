import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from khru.core.errors import Problem, problem
from khru.core.ratelimit import TOO_MANY, allow
from khru.exchange.problems import ProblemOut, problem_body
from khru.licences import selectors, services
from khru.licences.models import RenewalRequest

router = Router(tags=["licences"])


class VerificationOut(Schema):
    number: str
    name_th: str
    name_en: str
    licence_type_th: str
    licence_type_en: str
    tier: str
    status: str
    status_th: str
    status_en: str
    expires_on: dt.date


class LicenceOut(Schema):
    uuid: str
    number: str
    licence_type: str
    tier: str
    status: str
    issued_on: dt.date
    expires_on: dt.date


NOT_FOUND = Problem("number", "ไม่พบใบอนุญาตเลขนี้", "no licence has this number", field_th="เลขที่ใบอนุญาต")


@router.get(
    "/licences/verify/{number}",
    auth=None,
    response={200: VerificationOut, 404: ProblemOut, 429: ProblemOut},
)
def verify(request: HttpRequest, number: str) -> Status:
    """Public, no login: a licence's holder name, type, tier, number, status and expiry. An unknown or
    mistyped number gives the same "not found"; limited per client address."""
    if not allow(request, bucket="verify"):
        return Status(429, problem_body("too many requests", [Problem("number", *TOO_MANY)]))
    found = selectors.verify(number=number)
    if found is None:
        return Status(404, problem_body("not found", [NOT_FOUND]))
    return Status(200, found)


@router.get("/licences/mine", response=list[LicenceOut])
def mine(request: HttpRequest) -> list[LicenceOut]:
    """The signed-in holder's licences and permits."""
    return [
        LicenceOut(
            uuid=str(licence.uuid),
            number=licence.number,
            licence_type=licence.licence_type.code,
            tier=licence.tier.code if licence.tier else "",
            status=licence.status,
            issued_on=licence.issued_on,
            expires_on=licence.expires_on,
        )
        for licence in selectors.my_licences(actor=request.user)
    ]


class RenewalIn(Schema):
    activities: list[UUID]
    note: str = ""


class RenewalOut(Schema):
    uuid: UUID
    licence: str
    status: str
    channel: str
    submitted_at: dt.datetime
    reason: str
    new_licence: str | None


class ReturnIn(Schema):
    reason: str


def _renewal_out(renewal: RenewalRequest) -> RenewalOut:
    return RenewalOut(
        uuid=renewal.uuid,
        licence=renewal.licence.number,
        status=renewal.status,
        channel=renewal.channel,
        submitted_at=renewal.submitted_at,
        reason=renewal.reason,
        new_licence=renewal.new_licence.number if renewal.new_licence else None,
    )


@router.post("/licences/{uuid}/renewals", response=RenewalOut)
def request_renewal(request: HttpRequest, uuid: UUID, body: RenewalIn) -> RenewalOut:
    """The holder (KSP Self-service) or their school's office (KSP School) asks to renew a licence, naming
    development activities already in the record book by their uuid."""
    licence = selectors.get_licence(actor=request.user, uuid=str(uuid))
    today = timezone.localdate()
    known = {
        a.uuid: a.pk for a in services.eligible_activities(actor=request.user, licence=licence, today=today)
    }
    unknown = [str(u) for u in body.activities if u not in known]
    if unknown:
        raise problem(
            "activities",
            f"ไม่พบกิจกรรม {unknown[0]} ในสมุดบันทึกช่วงอายุใบอนุญาต",
            f"activity {unknown[0]} is not in the record book for this licence period",
            field_th="กิจกรรมพัฒนา",
        )
    renewal = services.request_renewal(
        actor=request.user, licence=licence, activity_ids=[known[u] for u in body.activities], note=body.note
    )
    return _renewal_out(renewal)


@router.get("/licences/renewals/pending", response=list[RenewalOut])
def pending_renewals(request: HttpRequest) -> list[RenewalOut]:
    """The Teachers Council's queue, oldest first."""
    return [_renewal_out(r) for r in selectors.renewal_queue(actor=request.user)]


@router.post("/licences/renewals/{uuid}/approve", response=RenewalOut)
def approve_renewal(request: HttpRequest, uuid: UUID) -> RenewalOut:
    """Approve: the renewed licence is issued (its number is in `new_licence`)."""
    services.require_council(request.user)
    renewal = selectors.get_renewal(actor=request.user, uuid=str(uuid))
    services.approve_renewal(actor=request.user, renewal=renewal)
    return _renewal_out(selectors.get_renewal(actor=request.user, uuid=str(uuid)))


@router.post("/licences/renewals/{uuid}/return", response=RenewalOut)
def return_renewal(request: HttpRequest, uuid: UUID, body: ReturnIn) -> RenewalOut:
    """Return the request to the holder with a reason."""
    services.require_council(request.user)
    renewal = selectors.get_renewal(actor=request.user, uuid=str(uuid))
    return _renewal_out(services.return_renewal(actor=request.user, renewal=renewal, reason=body.reason))
