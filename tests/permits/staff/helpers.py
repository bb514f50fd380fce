"""Shortcuts of the staff page tests: sign in, post a task's form, read the page's messages."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from permits.models import Application
from tests.permits.lifecycle.kit import the_task
from workflows.models import Task


def client_for(user, language: str = "en") -> Client:
    """A signed-in client; pages in English so that tests read the msgids."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def task_url(task: Task) -> str:
    return reverse("permits:task_detail", args=[task.pk])


def post_task(user, task: Task, data: dict, follow: bool = False):
    return client_for(user).post(task_url(task), data, follow=follow)


def texts(response) -> list[str]:
    """The messages a response's request carried (shown on the page, or on the next one)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def check_all(application: Application) -> dict:
    """The check form accepting every current document."""
    return {
        f"doc_{d.requirement_code}": "accept" for d in application.documents.filter(is_current=True)
    } | {"op": "complete"}


def through_check(application: Application, budi) -> None:
    response = post_task(budi, the_task(application, 2), check_all(application))
    assert response.status_code == 302, texts(response)
