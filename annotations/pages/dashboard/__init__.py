"""The dashboard: ``views`` (the page), ``selectors`` (progress, throughput, agreement and
predictor quality as plain rows), ``learning`` (the learning curve of each trained kind) and
``charts`` (server-side SVG, pure)."""
