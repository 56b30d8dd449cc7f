"""imports page (being built)."""

urlpatterns = []
