"""The notices on a librarian's dashboard (a story of theirs shortlisted or selected by a
panel): reading one takes it off the dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impact import services
from impact.models import Notice


@login_required
@require_POST
def notice_read(request, pk: int):
    # Only the recipient reaches a notice: anyone else's answers 404.
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    services.notice_mark_read(actor=request.user, notice=notice)
    return redirect("dashboard")


@login_required
@require_POST
def notices_read_all(request):
    count = services.notices_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("The notices were marked as read."))
    return redirect("dashboard")


urlpatterns = [
    path("pemberitahuan/<int:pk>/dibaca/", notice_read, name="notice-read"),
    path("pemberitahuan/dibaca/", notices_read_all, name="notices-read"),
]
