"""Who may do what with a story. Scope (which stories a person sees) comes from
``libraries.scope``; these answer the role question inside that scope."""

from libraries.models import Library, User
from libraries.scope import Scope


def may_write_for(user, library: Library) -> bool:
    """Librarians write the stories of the libraries in their scope: a village librarian
    their own library's, a kab/kota librarian also those of the villages of the kab/kota."""
    if not user.is_authenticated or not user.is_librarian:
        return False
    scope = Scope.for_user(user)
    return library.pk in scope.library_ids or (library.regency_id in scope.regency_codes)


def may_review(user, story) -> bool:
    """Consultants and Perpusnas staff review the stories of their provinces."""
    if not user.is_authenticated:
        return False
    scope = Scope.for_user(user)
    return scope.can_manage and scope.covers_province(story.library.province_id)


def may_publish(user) -> bool:
    return user.is_authenticated and user.is_perpusnas


def may_select(user, story, level: str) -> bool:
    from impact.models import SelectionDecision

    if level == SelectionDecision.Level.NATIONAL:
        return may_publish(user)
    if level == SelectionDecision.Level.PROVINCE:
        return may_review(user, story)
    # The kab/kota panel is convened by the district library or the consultants.
    return may_review(user, story) or (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.DISTRICT_LIBRARIAN
        and user.library.regency_id == story.library.regency_id
    )
