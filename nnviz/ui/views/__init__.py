"""The views. A new view is one file plus one line in VIEWS."""

from .decision_boundary import DecisionBoundaryView
from .learning_curves import LearningCurvesView

VIEWS = [
    DecisionBoundaryView,
    LearningCurvesView,
]
