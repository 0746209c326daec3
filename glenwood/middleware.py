"""Headers every page of the portal needs, whichever view made it."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Nothing a signed-in person sees is kept by a shared browser or a proxy: every response to
    them is `Cache-Control: private, no-store`, the evidence PDFs and CSVs included. Static files
    (the same for everyone) are left to be cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self._static()):
            cache_control = response.get("Cache-Control", "")
            if "public" in cache_control:
                del response["Cache-Control"]  # patch_cache_control keeps public beside private
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _static() -> str:
        return "/" + settings.STATIC_URL.lstrip("/")
