"""dashboard page (being built)."""

urlpatterns = []
