"""What a user may see of records that belong to a beneficiary file: those of the files they
may see (BeneficiaryFile.objects.visible_to, RT-6, RT-10). Registered with charity.scopes, for
the ground floor's pages that point at records (the outbox in Django admin)."""

from charity.scopes import register_scope

from .models import BeneficiaryFile


def in_visible_files(model, path: str = "file"):
    """Return visible(user): the records of `model` whose file (through `path`) `user` may see."""

    def visible(user):
        return model.objects.filter(**{f"{path}__in": BeneficiaryFile.objects.visible_to(user).values("pk")})

    return visible


def register_file_scoped(*models, path: str = "file") -> None:
    """Register the scope of records reached through their file."""
    for model in models:
        register_scope(model, in_visible_files(model, path))


def register_scopes() -> None:
    from .models import ResearcherChangeRequest, UpdateRequest

    register_scope(BeneficiaryFile, BeneficiaryFile.objects.visible_to)
    register_file_scoped(UpdateRequest, ResearcherChangeRequest)
