"""EL-9, IN-7: the settings of the needs study that a profile holds — the maxima of the score's
parts, the points each fact is worth, and the score bands that recommend services.

000 asks for «دراسة احتياج المستفيدين وفق النماذج المعتمدة» ("on the approved forms") and gives
no weights: the defaults below are the product's, held in each profile (`needs_study`) so an
association sets its own in the admin. eligibility.policy.needs_score applies them; the
assessment keeps a copy of the settings it used, so a later change rewrites no old score.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    """IN-7: the services a needs study may recommend (the bands name them by code)."""

    MONTHLY_CASH = "monthly_cash", _("Monthly cash aid")
    FOOD_BASKET = "food_basket", _("Food basket")
    RENT_SUPPORT = "rent_support", _("Help with the rent")
    SCHOOL_SUPPLIES = "school_supplies", _("School supplies and uniforms")
    MEDICAL_SUPPORT = "medical_support", _("Medical support and devices")
    HOME_REPAIR = "home_repair", _("Home repair or furniture")
    TRAINING = "training", _("Training and qualification programme")


# The parts of the score; their maxima add up to 100.
COMPONENTS = ("income", "dependants", "housing", "health")
TOTAL = 100
# The points of each fact (non-negative whole numbers); `housing` by the file's housing type
# (beneficiaries.policy.HousingType's codes).
WEIGHT_KEYS = ("per_dependant", "per_health_case", "poor_housing")
HOUSING_TYPES = ("rented", "family", "other", "charity", "owned")

DEFAULT_NEEDS_STUDY = {
    "maxima": {"income": 40, "dependants": 20, "housing": 20, "health": 20},
    "weights": {"per_dependant": 4, "per_health_case": 10, "poor_housing": 6,
                "housing": {"rented": 14, "family": 10, "other": 10, "charity": 6, "owned": 2}},
    # A service is recommended when its need is found (IN-7) and the score reaches the lower
    # bound of the band that lists it; bands are ordered by their lower bound. One band from 0
    # listing every service: each is recommended on its need alone.
    "bands": [{"from_score": 0, "services": list(Service.values)}],
}

NOT_AN_OBJECT = _("The needs-study settings must be an object with «maxima», «weights» and «bands».")
BAD_MAXIMA = _("The maxima must give a whole number of 0 or more for each part: %(parts)s.")
MAXIMA_TOTAL = _("The maxima of the score's parts must add up to 100 (they add up to %(total)s).")
BAD_WEIGHTS = _("The weights must give a whole number of 0 or more for %(keys)s, and for each housing type: "
                "%(types)s.")
BAD_BANDS = _("Each score band needs a lower bound from 0 to 100 and a list of known services (%(codes)s).")
BANDS_ORDER = _("The score bands must be listed in increasing order of their lower bound, with no bound twice.")
SERVICE_TWICE = _("A service may appear in one score band only: %(codes)s.")


def default_needs_study() -> dict:
    """Return a fresh copy of the product's defaults (a model field's default)."""
    return copy.deepcopy(DEFAULT_NEEDS_STUDY)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _exact(mapping, keys) -> bool:
    return isinstance(mapping, dict) and set(mapping) == set(keys) and all(_whole(mapping[k]) for k in keys)


def validate_needs_study(value) -> None:
    """EL-9: refuse settings with a negative or missing weight, maxima that do not add up to 100,
    or bands out of order (a clear message each)."""
    if not isinstance(value, dict) or {"maxima", "weights", "bands"} - set(value):
        raise ValidationError(NOT_AN_OBJECT, code="needs_study_shape")
    maxima, weights, bands = value["maxima"], value["weights"], value["bands"]
    if not _exact(maxima, COMPONENTS):
        raise ValidationError(BAD_MAXIMA, code="needs_study_maxima", params={"parts": ", ".join(COMPONENTS)})
    if sum(maxima.values()) != TOTAL:
        raise ValidationError(MAXIMA_TOTAL, code="needs_study_total", params={"total": sum(maxima.values())})
    if not (isinstance(weights, dict) and set(weights) == {*WEIGHT_KEYS, "housing"}
            and all(_whole(weights[k]) for k in WEIGHT_KEYS) and _exact(weights["housing"], HOUSING_TYPES)):
        raise ValidationError(BAD_WEIGHTS, code="needs_study_weights",
                              params={"keys": ", ".join(WEIGHT_KEYS), "types": ", ".join(HOUSING_TYPES)})
    _validate_bands(bands)


def _validate_bands(bands) -> None:
    def good(band) -> bool:
        return (isinstance(band, dict) and set(band) == {"from_score", "services"} and _whole(band["from_score"])
                and band["from_score"] <= TOTAL and isinstance(band["services"], list)
                and all(code in Service.values for code in band["services"]))

    if not isinstance(bands, list) or not bands or not all(good(b) for b in bands):
        raise ValidationError(BAD_BANDS, code="needs_study_bands", params={"codes": ", ".join(Service.values)})
    bounds = [b["from_score"] for b in bands]
    if any(a >= b for a, b in zip(bounds, bounds[1:], strict=False)):
        raise ValidationError(BANDS_ORDER, code="needs_study_band_order")
    codes = [code for b in bands for code in b["services"]]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ValidationError(SERVICE_TWICE, code="needs_study_service_twice", params={"codes": ", ".join(twice)})


def band_floors(study: dict) -> dict[str, int]:
    """IN-7: the score from which each listed service may be recommended."""
    return {code: band["from_score"] for band in study["bands"] for code in band["services"]}
