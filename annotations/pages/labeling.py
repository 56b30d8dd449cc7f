"""labeling page (being built)."""

urlpatterns = []
