"""Exceptions with messages a learner can act on.

Each error names the thing that is wrong (a file, a profile) and says what is
expected or which command repairs it, so that a failing cell explains itself.
"""


class LabSupportError(Exception):
    """Base class of the errors raised by labsupport."""


class CorruptAssetError(LabSupportError, RuntimeError):
    """A bundled file under data/ is missing or does not match data/MANIFEST.sha256."""


class DialogSumNotFoundError(LabSupportError, FileNotFoundError):
    """A local DialogSum folder or one of its split files does not exist."""


class DialogSumFormatError(LabSupportError, ValueError):
    """A local DialogSum file cannot be parsed or lacks a required field."""


class ModelFolderError(LabSupportError, ValueError):
    """A local model folder lacks a file the model needs, or one of its files is unreadable."""
