"""The views. A new view is one file plus one line in VIEWS."""

from .activations import ActivationsView
from .batchnorm import BatchNormView
from .confusion import ConfusionView
from .decision_boundary import DecisionBoundaryView
from .distributions import DistributionsView
from .dropout import DropoutView
from .embedding import EmbeddingView
from .first_layer import FirstLayerView
from .gradient_flow import GradientFlowView
from .image_samples import ImageSamplesView
from .image_vector import ImageVectorView
from .inputs import InputsView
from .inspector import InspectorView
from .learning_curves import LearningCurvesView
from .network_graph import NetworkGraphView
from .softmax_sigmoid import SoftmaxSigmoidView

VIEWS = [
    DecisionBoundaryView,
    LearningCurvesView,
    NetworkGraphView,
    InspectorView,
    ActivationsView,
    GradientFlowView,
    DistributionsView,
    DropoutView,
    BatchNormView,
    SoftmaxSigmoidView,
    InputsView,
    ImageSamplesView,
    ImageVectorView,
    FirstLayerView,
    ConfusionView,
    EmbeddingView,
]
