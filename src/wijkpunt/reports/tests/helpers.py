from wijkpunt.reports import services
from wijkpunt.reports.models import Category


def make_report(world, *, text="Lekkage in de badkamer, het plafond is nat.", unit=None, email="", user=None,
                category="lekkage", urgency=None, key=None, **extra):
    report, _ = services.report_create(
        description=text, channel="INT", location_kind="adres", unit=unit or world.unit,
        category=Category.objects.get(slug=category) if category else None, urgency=urgency,
        reporter_email=email, reporter_user=user, idempotency_key=key, suggestion={}, **extra,
    )
    return report
