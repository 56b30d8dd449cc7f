"""exports page (being built)."""

urlpatterns = []
