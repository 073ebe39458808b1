"""The IMPaCT model's components (DESIGN.md §5.3), with their descriptions and CFIR
domains. Idempotent: keyed by code."""

from django.db import migrations

COMPONENTS = [
    # (code, name, description, measure, CFIR domain)
    (
        "community_hiring",
        "Hiring from the community for traits",
        "CHWs are hired from the communities they serve, for traits such as listening "
        "and non-judgment, rather than for clinical credentials.",
        "manual",
        "inner_setting",
    ),
    (
        "training",
        "Standardized CHW training",
        "Every CHW completes the standardized training, including mental-health training.",
        "manual",
        "individuals",
    ),
    (
        "standard_duration",
        "Standardized intervention duration",
        "Patients graduate within ±15% of the standard duration; nobody stays more than 14 "
        "days past the planned end.",
        "auto",
        "innovation",
    ),
    (
        "standard_caseload",
        "Standardized caseloads",
        "Each CHW's active caseload stays at or under the program's cap.",
        "auto",
        "inner_setting",
    ),
    (
        "supervision",
        "Supervision protocol",
        "Each CHW has a one-on-one supervision with their manager every week.",
        "auto",
        "implementation_process",
    ),
    (
        "safety",
        "Safety protocol for community work",
        "CHWs follow a safety protocol for home and community visits and know how to use it.",
        "manual",
        "inner_setting",
    ),
    (
        "contact_cadence",
        "Regular contact",
        "Every enrolled patient is reached at least every 14 days.",
        "auto",
        "implementation_process",
    ),
    (
        "patient_set_goals",
        "Patient-set goals early in the enrollment",
        "Patients set their own goal within 14 days of enrolling.",
        "auto",
        "innovation",
    ),
    (
        "action_plans",
        "Individualized action plans",
        "Every goal has an action plan: at least one step.",
        "auto",
        "innovation",
    ),
    (
        "clinical_integration",
        "Balance of clinical and community work",
        "Between 30% and 80% of reached contacts happen in the community.",
        "auto",
        "outer_setting",
    ),
    (
        "performance_assessment",
        "Ongoing performance assessment",
        "The program reviews CHWs' work and these measures regularly and acts on them.",
        "manual",
        "implementation_process",
    ),
]


def seed(apps, schema_editor):
    ModelComponent = apps.get_model("fidelity", "ModelComponent")
    for order, (code, name, description, measure, domain) in enumerate(COMPONENTS):
        ModelComponent.objects.update_or_create(
            code=code,
            program=None,
            defaults={
                "name": name,
                "description": description,
                "measure": measure,
                "cfir_domain": domain,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    codes = [row[0] for row in COMPONENTS]
    apps.get_model("fidelity", "ModelComponent").objects.filter(
        code__in=codes, program=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fidelity", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
