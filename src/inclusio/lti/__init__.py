"""inclusio as an LTI 1.3 tool: learning platforms (Moodle, Canvas...) launch it inside a course.

* :mod:`.keys`: the tool's RSA key pair(s) under ``<data_dir>/lti/keys`` (files 0600), their public JWKS
  (``/lti/jwks``), rotation (a new key published beside the old ones).
* :mod:`.store`: platform registrations (``lti_platforms``) and single-use records (``lti_once``: a login's
  state and nonce, nonces seen, session tickets).
* :mod:`.launch`: the OIDC third-party login and the ``id_token`` check (signature from the platform's JWKS,
  ``iss``, ``aud``, ``azp``, ``exp``/``iat``, nonce once, deployment, message type, version), roles, accounts.
* :mod:`.routes`: ``/lti/login``, ``/lti/launch``, ``/lti/session``, ``/lti/jwks``.

Built on PyJWT (``PyJWKClient``), as :mod:`inclusio.auth.oidc` is; docs/lms.md says why not pylti1p3.
"""
