from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryValidator(OAuth2Validator):
    """Gives the claims an organisation's directory gives: the email, as verified or not."""

    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.last_name.endswith("(unverified)"),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}",
            "preferred_username": user.username,
        }
