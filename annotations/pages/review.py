"""review page (being built)."""

urlpatterns = []
