"""cartohdf: industry and smart-specialisation (S3) map of Hauts-de-France by zone d'emploi.

The packages are the stages of one flow (see the README's Structure section):
core -> data -> indicators -> state -> render -> compose -> export -> front.
"""

from cartohdf.core import CartohdfError, InputError, StateError

__all__ = ["CartohdfError", "InputError", "StateError", "__version__"]
__version__ = "0.1.0"
