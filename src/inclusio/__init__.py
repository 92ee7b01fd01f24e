"""inclusio: course materials in, accessible and profile-specific versions out."""

__version__ = "0.1.0"
