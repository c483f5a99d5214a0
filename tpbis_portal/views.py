from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from impact.notifications import unread_notices
from libraries.models import Library
from libraries.scope import Scope
from tpbis_portal.forms import LoginForm


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def health(request):
    """For load balancers and uptime checks; also the benchmark's trivial baseline page."""
    return render(request, "health.html")


@login_required
@require_GET
def dashboard(request):
    """The signed-in user's starting page: what is in their scope, by level."""
    libraries = Library.objects.visible_to(request.user)
    by_level = dict(
        libraries.values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    levels = [(label, by_level.get(value, 0)) for value, label in Library.Level.choices]
    return render(
        request,
        "dashboard.html",
        {
            "levels": levels,
            "library_total": sum(by_level.values()),
            "scope": Scope.for_user(request.user),
            "own_library": request.user.library if request.user.library_id else None,
            "notices": unread_notices(request.user),
        },
    )


class PortalLoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
