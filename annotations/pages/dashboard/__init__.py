"""The dashboard: ``views`` (the page), ``selectors`` (progress, throughput, agreement and
predictor quality as plain rows) and ``charts`` (server-side SVG, pure)."""
