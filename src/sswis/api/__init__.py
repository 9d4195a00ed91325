"""The REST API under ``/api/v1/`` (Django REST framework, OpenAPI 3 by drf-spectacular).

A delivery app: each endpoint validates its input (``serializers``, ``filters``), calls one service of
``sswis.geo``/``sswis.registry`` or one read of ``sswis.access.policy``/``registry.selectors``/
``sswis.indicators``, and renders the result. Who may call what is decided by ``permissions`` (roles)
and by the policy and services (scope). Schema at ``/api/v1/schema/``, Swagger UI at ``/api/v1/docs/``,
Redoc at ``/api/v1/redoc/``.
"""
