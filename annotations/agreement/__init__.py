"""Inter-annotator agreement: per project (Krippendorff's alpha, entity sentiment included,
Cohen's kappa, span F1, per label and per annotator, against gold, and how much of each
annotator's labels are suggestions accepted unchanged) and per item (one number to sort and
filter by, entity sentiment included).

    coefficients.py, spans.py, report.py, project.py, items.py
                   the maths; pure: no Django, no database, no I/O
    selectors.py   a project's report, from its annotators' current labels and its gold
    reports.py     that report stored per project, refreshed by a worker after labels change
    services.py    each item's agreement, stored at submit

``selectors`` loads a project's annotations into `LabelSet`s and calls `project_agreement`;
``reports`` stores its `AgreementReport.as_dict()`, which the API and the dashboard serve. The coefficients wrap well-kept libraries
(`krippendorff`, scikit-learn) and return None, never NaN or an exception, where a
coefficient is undefined, so a dashboard renders for a project of any size. This package
(its ``__init__`` imports only the pure modules) may import ``annotations.models`` and the
pure ``annotations.review``; the labeling services, the API and the pages import it.
"""

from annotations.agreement.coefficients import LEVELS, cohen_kappa, krippendorff_alpha
from annotations.agreement.project import ALL_LABELS, project_agreement
from annotations.agreement.report import GOLD, AgreementReport, LabelSet
from annotations.agreement.spans import MODES, PRF, Span, span_prf

__all__ = [
    "ALL_LABELS",
    "GOLD",
    "LEVELS",
    "MODES",
    "PRF",
    "AgreementReport",
    "LabelSet",
    "Span",
    "cohen_kappa",
    "krippendorff_alpha",
    "project_agreement",
    "span_prf",
]
