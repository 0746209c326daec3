"""Headers every page of the portal needs, whichever view made it."""

from django.conf import settings
from django.utils.cache import patch_cache_control

# Pages the same for everyone, signed in or not, holding nothing personal: a school's public
# policies. They keep their own Cache-Control (public, for a few minutes).
PUBLIC_PAGES = {"public_policies", "public_policy", "public_policy_pdf"}


class PrivatePagesMiddleware:
    """Nothing a signed-in person sees is kept by a shared browser or a proxy: every response to
    them is `Cache-Control: private, no-store`, the evidence PDFs and CSVs included. Static files
    and the public pages (the same for everyone) are left to be cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self._static())
            and not self._public(request, response)
        ):
            cache_control = response.get("Cache-Control", "")
            if "public" in cache_control:
                del response["Cache-Control"]  # patch_cache_control keeps public beside private
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _public(request, response) -> bool:
        # Only the page itself: an error page carries the signed-in person's menus.
        match = getattr(request, "resolver_match", None)
        return response.status_code == 200 and match is not None and match.view_name in PUBLIC_PAGES

    @staticmethod
    def _static() -> str:
        return "/" + settings.STATIC_URL.lstrip("/")
