from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save


class HubsConfig(AppConfig):
    name = "continuum.hubs"
    label = "hubs"
    verbose_name = "Joint front doors (hubs)"

    def ready(self) -> None:
        # policies: who records agreements and places staff (the one access policy).
        # reach: worked out once per request (issue 16), and again after any change to a
        # placement or an agreement.
        from continuum.hubs import models, policies, reach  # noqa: F401

        request_started.connect(reach.remember_reach_for_the_request, dispatch_uid="hub_reach")
        request_finished.connect(reach.forget_reach_after_the_request, dispatch_uid="hub_reach")
        for model in (
            models.HubPlacement,
            models.DataSharingAgreement,
            models.AgreementAgency,
            models.AgreementCouncil,
        ):
            uid = f"hub_reach_{model.__name__}"
            post_save.connect(reach.forget_reach, sender=model, dispatch_uid=uid)
            post_delete.connect(reach.forget_reach, sender=model, dispatch_uid=uid)
