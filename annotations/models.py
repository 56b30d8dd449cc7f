"""Labeling models: projects, items, assignments, annotations, predictions, gold (coming next)."""
