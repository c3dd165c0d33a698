import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from khru.licences import selectors
from khru.licences.ratelimit import TOO_MANY, allow

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


class MessageOut(Schema):
    detail: str
    th: str
    en: str


class LicenceOut(Schema):
    uuid: str
    number: str
    licence_type: str
    tier: str
    status: str
    issued_on: dt.date
    expires_on: dt.date


NOT_FOUND = {"detail": "not found", "th": "ไม่พบใบอนุญาตเลขนี้", "en": "no licence has this number"}


@router.get(
    "/licences/verify/{number}",
    auth=None,
    response={200: VerificationOut, 404: MessageOut, 429: MessageOut},
)
def verify(request: HttpRequest, number: str) -> Status:
    """Public, no login: a licence's holder name, type, tier, number, status and expiry. An unknown or
    mistyped number gives the same "not found"; limited per client address."""
    if not allow(request, bucket="verify"):
        return Status(429, {"detail": "too many requests", "th": TOO_MANY[0], "en": TOO_MANY[1]})
    found = selectors.verify(number=number)
    if found is None:
        return Status(404, NOT_FOUND)
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
