"""URL routes."""

urlpatterns: list = []
