from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Satisfaction survey and complaints")

    def ready(self) -> None:
        from permits.signals import application_finished

        from .surveys import invite

        def on_finished(sender, application, **kwargs) -> None:
            invite(application)

        application_finished.connect(
            on_finished, dispatch_uid="feedback.invite_to_survey", weak=False
        )

    def seed_demo(self, stdout) -> None:
        """Demo survey forms and complaints (``manage.py seed_demo``)."""
        from .demo import seed_feedback

        seed_feedback(stdout)
