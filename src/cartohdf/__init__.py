"""cartohdf: industry and smart-specialisation (S3) map of Hauts-de-France by zone d'emploi."""

from cartohdf.errors import CartohdfError, InputError, StateError

__all__ = ["CartohdfError", "InputError", "StateError", "__version__"]
__version__ = "0.1.0"
