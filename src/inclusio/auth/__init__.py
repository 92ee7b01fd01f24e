"""People and what they may do: principals, the access policy, identity-provider tokens, the first admin."""

from inclusio.auth.policy import Principal

__all__ = ["Principal"]
