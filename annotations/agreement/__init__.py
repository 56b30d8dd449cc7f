"""Inter-annotator agreement maths. Pure: no Django, no database, no I/O.

Services load a project's annotations into `LabelSet`s and call `project_agreement`;
the API serves `AgreementReport.as_dict()`. The coefficients wrap well-kept libraries
(`krippendorff`, scikit-learn) and return None, never NaN or an exception, where a
coefficient is undefined, so a dashboard renders for a project of any size.
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
