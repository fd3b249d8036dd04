"""Account routes beyond allauth: settings, data export, deletion, calendar feed, sharing."""

from django.urls import path, re_path

from careerportal import account_views
from certifications import feeds, sharing

urlpatterns = [
    # allauth's own patterns and names (allauth.urls, included after these): the confirmation
    # page names the account's other addresses, the addresses page re-sends only what needs it.
    re_path(
        r"^accounts/confirm-email/(?P<key>[-:\w]+)/$",
        account_views.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    path("accounts/email/", account_views.EmailView.as_view(), name="account_email"),
    path(
        "accounts/address/release/<str:token>/",
        account_views.address_release_view,
        name="address-release",
    ),
    path("accounts/settings/", account_views.account_settings, name="account-settings"),
    path("accounts/export.json", account_views.account_export_json, name="account-export"),
    path("accounts/delete/", account_views.account_delete_view, name="account-delete"),
    path(
        "accounts/reminders/stop/<str:token>/",
        account_views.reminders_stop_view,
        name="reminders-stop",
    ),
    path("accounts/calendar/rotate/", account_views.calendar_rotate, name="calendar-rotate"),
    path("accounts/calendar/revoke/", account_views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar-feed"),
    path("u/<slug:handle>/", sharing.public_profile, name="profile"),
    path("u/<slug:handle>/card.png", sharing.public_profile_card, name="profile-card"),
]
