from libraries.scope import Scope


def portal(request):
    """What the navigation needs to show the right links for the user's role."""
    user = getattr(request, "user", None)
    return {"scope": Scope.for_user(user) if user is not None else Scope()}
