"""Each person's interface language (issue 10).

How the language of a page is chosen, first match wins:
1. signed in with a saved language (`User.preferred_language`, set on the Language page
   in the user menu): that language, on every page, whatever the browser says;
2. otherwise Django's LocaleMiddleware: the language picked on the sign-in page (Django's
   `set_language` view keeps it in a cookie), else the browser's Accept-Language, else
   English.

A saved language is also written to the language cookie, so after signing out the sign-in
page stays in the person's language.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from impact.lib.forms import posted, redirect_back
from impact.lib.http import AuthenticatedHttpRequest
from impact.pages import SIGNED_IN, page


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Interface language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name ("Español"), so anyone can find theirs.
        choices = [("", gettext_lazy("Same as the sign-in page or the browser"))]
        for code, _name in settings.LANGUAGES:
            choices.append((code, translation.get_language_info(code)["name_local"].capitalize()))
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.widget = forms.RadioSelect(choices=choices)


def _remember(response, code: str) -> None:
    """Keep the saved language in the language cookie too (the sign-in page reads it)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@page(SIGNED_IN, patient_level=False)
@require_http_methods(["GET", "POST"])
def language(request: AuthenticatedHttpRequest):
    """Every role: choose the interface language, kept with the account."""
    user = request.user
    form = LanguageForm(posted(request), initial={"language": user.preferred_language})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["language"]
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
        # The confirmation is already in the new language (blank: the cookie's or the
        # browser's, which the next page uses too).
        translation.activate(code or translation.get_language_from_request(request))
        messages.success(request, _("Your interface language is saved."))
        response = redirect_back(request, "home")
        if code:
            _remember(response, code)
        return response
    return render(
        request,
        "account/language.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


class UserLanguageMiddleware:
    """After sign-in the saved language applies (after LocaleMiddleware, which chose the
    sign-in page's or the browser's language, and after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        code = ""
        if user is not None and user.is_authenticated:
            code = user.preferred_language
            if code and code in dict(settings.LANGUAGES):
                translation.activate(code)
                request.LANGUAGE_CODE = code
            else:
                code = ""
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            _remember(response, code)
        return response
