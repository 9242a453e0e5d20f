"""Setting a password through an e-mailed link (Django's password-reset tokens), in every
language: a new staff member's first password (places.proposals sends the link) and a
forgotten one (the admin's sign-in page links to the request form).

The request form is a public form like the others: at most a few e-mails an hour from one
address. It also reaches accounts that have never had a password, which Django's own form
leaves out: here every account without one is waiting for its first.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import path

from kohtaamispaikat.core.public_forms import take_submission_slot

# Per address and hour (kohtaamispaikat.core.public_forms).
PASSWORD_RESETS_PER_HOUR = 5


class FirstOrForgottenPasswordForm(PasswordResetForm):
    def get_users(self, email):
        email_field = get_user_model().get_email_field_name()
        return (
            get_user_model()
            ._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
            .exclude(**{email_field: ""})
            .iterator()
        )


def admin_context():
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": admin.site.site_url,
    }


class PasswordResetRequestView(auth_views.PasswordResetView):
    form_class = FirstOrForgottenPasswordForm
    html_email_template_name = "registration/password_reset_html_email.html"

    def form_valid(self, form):
        refused = take_submission_slot(self.request, "password-reset", PASSWORD_RESETS_PER_HOUR)
        if refused:
            form.add_error("email", refused.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def password_reset_urls():
    """The four pages of Django's password reset, under the admin's address."""
    context = admin_context()
    return [
        path(
            "admin/password-reset/",
            PasswordResetRequestView.as_view(extra_context=context),
            name="admin_password_reset",
        ),
        path(
            "admin/password-reset/sent/",
            auth_views.PasswordResetDoneView.as_view(extra_context=context),
            name="password_reset_done",
        ),
        path(
            "admin/password-reset/done/",
            auth_views.PasswordResetCompleteView.as_view(extra_context=context),
            name="password_reset_complete",
        ),
        path(
            "admin/password-reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(extra_context=context),
            name="password_reset_confirm",
        ),
    ]
