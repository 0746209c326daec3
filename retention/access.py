"""Subject access: placeholder replaced below."""


def access_build(*, request_id: int) -> None:  # pragma: no cover
    raise NotImplementedError
