"""The story card: one printable page that takes a story back to the storyteller and their
community (Most Significant Change: "feed the results back"), as HTML with print styles and
as a PDF.

What a card shows follows the rules of the public pages (UU PDP): the storyteller is named
only with their standing consent to be named, otherwise "a resident"; one photo at most, and
only one showing no face or whose face consent stands; for a minor, only consents given by a
parent or guardian count. The story's librarians and reviewers (its scope) get the card of a
verified or published story, with the panels' reasons; anyone gets the card of a public story
with only what the public page shows (served from the public pages, under the story's
address).
"""

from __future__ import annotations

import io
import zoneinfo
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from fpdf import FPDF, XPos, YPos

from impact.models import Consent, Photo, Story
from libraries.pdf import FONT, new_document
from libraries.scope import get_in_scope_or_404

PRIMARY = (11, 79, 108)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)


@dataclass
class StoryCard:
    story: Story
    public: bool
    storyteller: str = ""
    photo: Photo | None = None
    # (panel, local date, reason or "" when the card is public)
    decisions: list[tuple[str, object, str]] = field(default_factory=list)
    video_url: str = ""
    #: Why no card can be printed yet (the card is not available while this is set).
    unavailable: str = ""


def _standing(consents: list[Consent], story: Story, kind: str, photo_id=None) -> bool:
    """A consent of ``kind`` (for ``photo_id``) stands, from a guardian if the story is a
    minor's."""
    return any(
        consent.kind == kind
        and consent.photo_id == photo_id
        and (not story.is_minor or consent.by_guardian)
        for consent in consents
    )


def story_card(story: Story, *, public: bool) -> StoryCard:
    """What the card of ``story`` shows (three queries: consents, photos, decisions)."""
    card = StoryCard(story=story, public=public)
    consents = list(story.consents.active())
    no_consent = _(
        "No standing consent to use the story is on record (for a minor, from a parent or "
        "guardian): no card can be printed."
    )
    if story.status == Story.Status.WITHDRAWN:
        card.unavailable = no_consent
        return card
    if story.status not in (Story.Status.VERIFIED, Story.Status.PUBLISHED):
        card.unavailable = _(
            "A story card can be printed once the story is verified: its text must have been "
            "checked before it goes back to the community."
        )
        return card
    if not _standing(consents, story, Consent.Kind.STORY_USE):
        card.unavailable = no_consent
        return card
    named = (
        not story.anonymous
        and story.storyteller_name
        and _standing(consents, story, Consent.Kind.NAMING)
    )
    card.storyteller = story.storyteller_name if named else _("A resident")
    for photo in story.photos.current().order_by("uploaded_at", "pk"):
        if not photo.shows_face or _standing(
            consents, story, Consent.Kind.PHOTO_FACE, photo_id=photo.pk
        ):
            card.photo = photo
            break
    if story.video_url and _standing(consents, story, Consent.Kind.VIDEO):
        card.video_url = story.video_url
    tz = zoneinfo.ZoneInfo(story.library.province.time_zone)
    for decision in story.selections.order_by("decided_at", "pk"):
        card.decisions.append(
            (
                decision.get_level_display(),
                timezone.localtime(decision.decided_at, tz).date(),
                "" if public else decision.reason,
            )
        )
    return card


def _scoped_story(request, pk: int) -> Story:
    return get_in_scope_or_404(
        request.user, Story.objects.select_related("library__province", "library__regency"), pk=pk
    )


def _no_store(response):
    # The card of a story in review names people and carries the panels' reasons.
    response["Cache-Control"] = "private, no-store"
    return response


def render_card(request, card: StoryCard, *, pdf_url: str, back_url: str):
    """The printable page of a card; the public pages serve public cards with it too."""
    return render(
        request,
        "impact/story_card.html",
        {"card": card, "story": card.story, "pdf_url": pdf_url, "back_url": back_url},
    )


@login_required
@require_GET
def card(request, pk: int):
    story = _scoped_story(request, pk)
    return _no_store(
        render_card(
            request,
            story_card(story, public=False),
            pdf_url=reverse("impact:card-pdf", args=[story.pk]),
            back_url=reverse("impact:detail", args=[story.pk]),
        )
    )


@login_required
@require_GET
def card_pdf(request, pk: int):
    story = _scoped_story(request, pk)
    content = story_card(story, public=False)
    if content.unavailable:
        messages.error(request, content.unavailable)
        return redirect("impact:card", pk=story.pk)
    return _no_store(card_pdf_response(content))


# The PDF ----------------------------------------------------------------------------------


def _block(pdf: FPDF, height: float, text: str, **kwargs) -> None:
    """A paragraph across the page; the next one starts below it at the left margin."""
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*PRIMARY)
    _block(pdf, 6, text, align="L")
    pdf.set_text_color(*BLACK)


def _paragraphs(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 10.5)
    for paragraph in [part.strip() for part in text.splitlines() if part.strip()]:
        _block(pdf, 5.2, paragraph, align="L")
        pdf.ln(1)


def _photo(pdf: FPDF, photo: Photo) -> None:
    with photo.image.open("rb") as handle:
        data = io.BytesIO(handle.read())
    box_width, box_height = 120, 80
    scale = min(box_width / photo.width, box_height / photo.height)
    width, height = photo.width * scale, photo.height * scale
    if pdf.get_y() + height + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(data, x=(pdf.w - width) / 2, y=pdf.get_y() + 2, w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 3)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*GREY)
    _block(pdf, 4, photo.alt_text, align="C")
    pdf.set_text_color(*BLACK)


def story_card_pdf(card: StoryCard, *, language: str = "id") -> bytes:
    """The card as an A4 portrait PDF; long stories flow onto a second page."""
    story = card.story
    with translation.override(language):
        pdf = new_document(title=str(story), language=language)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_page()
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*GREY)
        _block(
            pdf,
            4.5,
            _("A story of change · TPBIS · Perpustakaan Nasional Republik Indonesia"),
            align="L",
        )
        pdf.set_text_color(*BLACK)
        pdf.ln(2)
        pdf.set_font(FONT, "B", 20)
        _block(pdf, 9, str(story), align="L")
        pdf.ln(1)
        pdf.set_font(FONT, "", 11)
        library = story.library
        place = f"{library.regency.name}, " if library.regency_id else ""
        _block(
            pdf,
            5.5,
            _("Told by %(storyteller)s · %(library)s, %(place)s%(province)s")
            % {
                "storyteller": card.storyteller,
                "library": library.name,
                "place": place,
                "province": library.province.name,
            },
            align="L",
        )
        if card.photo is not None:
            pdf.ln(2)
            _photo(pdf, card.photo)
        _heading(pdf, _("What changed"))
        _paragraphs(pdf, story.what_changed or "-")
        _heading(pdf, _("Why it matters to them"))
        _paragraphs(pdf, story.why_it_matters or "-")
        if card.decisions:
            _heading(pdf, _("Selection panels"))
            for panel, date, reason in card.decisions:
                pdf.set_font(FONT, "B", 10.5)
                _block(pdf, 5.2, f"{panel} · {dateformat.format(date, 'j F Y')}", align="L")
                if reason:
                    _paragraphs(pdf, reason)
        if card.video_url:
            _heading(pdf, _("Video"))
            pdf.set_font(FONT, "", 10)
            _block(pdf, 5, card.video_url, align="L", link=card.video_url)
        pdf.ln(4)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*GREY)
        _block(
            pdf,
            4,
            _("Shared with the storyteller's consent. Printed from the TPBIS Portal on %(date)s.")
            % {"date": dateformat.format(timezone.localdate(), "j F Y")},
            align="L",
        )
        return bytes(pdf.output())


def card_pdf_response(card: StoryCard) -> HttpResponse:
    response = HttpResponse(story_card_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kartu-cerita-{card.story.pk}.pdf"'
    return response


urlpatterns = [
    path("<int:pk>/kartu/", card, name="card"),
    path("<int:pk>/kartu/pdf/", card_pdf, name="card-pdf"),
]
