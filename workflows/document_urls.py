"""Pages for SOP documents and decrees (PDF, preview, rendering jobs)."""

urlpatterns: list = []
