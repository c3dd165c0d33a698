from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.exchange.services import issue_token
from khru.org.models import User


class Command(BaseCommand):
    help = "Create an API bearer token for USERNAME (it carries that user's scope) and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ / no active user {options['username']!r}")
        self.stdout.write(issue_token(actor=user, name=options["name"]))
