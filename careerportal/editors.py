"""The "Editors" group: what a content editor may do in the admin without being a superuser.

Editors view, add, change and delete every model of the content apps (careers and
certifications: careers, their parts, salary figures, employers, providers, certifications,
roadmap steps, former slugs). They get nothing on learners' rows (a model of those apps that
points at an account, or at such a row of any app: progress, follows, profiles, reminders,
released handles), nor on accounts, e-mail addresses, sessions, groups or permissions: an editor
cannot read a learner's progress or make themselves a superuser. A page's History needs no
permission of its own (Django shows it to whoever may view the page).

The group's permissions are set on every `migrate`, after Django has made each app's
permissions (post_migrate, app by app), so a new content model is added to it and a
permission given to the group by hand is taken away again: give one person more through their
own account instead.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router

EDITORS_GROUP = "Editors"
CONTENT_APPS = ("careers", "certifications")


def learner_models(app_configs) -> set:
    """The models of `app_configs` holding learners' data: those pointing at an account, or
    at a model that does, of any app (an e-mail address, an admin history entry)."""
    return {
        model
        for app_config in app_configs
        for model in app_config.get_models()
        if _points_at_accounts(model, seen=set())
    }


def _points_at_accounts(model, *, seen: set) -> bool:
    if model._meta.label == settings.AUTH_USER_MODEL:
        return True
    seen.add(model)
    return any(
        field.is_relation
        and field.concrete
        and field.related_model not in seen
        and _points_at_accounts(field.related_model, seen=seen)
        for field in model._meta.get_fields()
    )


def editor_permissions(app_config) -> set[tuple[str, str]]:
    """(model name, codename) of each permission the Editors group holds in `app_config`."""
    if app_config.label not in CONTENT_APPS:
        return set()
    content = [app for app in app_config.apps.get_app_configs() if app.label in CONTENT_APPS]
    learners = learner_models(content)
    wanted = set()
    for model in app_config.get_models():
        if model in learners:
            continue
        opts = model._meta
        codenames = [get_permission_codename(action, opts) for action in opts.default_permissions]
        codenames += [codename for codename, _name in opts.permissions]
        wanted |= {(opts.model_name, codename) for codename in codenames}
    return wanted


def editors_group_update(*, app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """Give the Editors group (made if missing) exactly its permissions in `app_config`
    (a post_migrate receiver: called once per app on every migrate)."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not migrated (yet) on this database
        return
    if not router.allow_migrate_model(using, Group):
        return
    # This runs before or after Django's own receiver for the same app, depending on the
    # order of INSTALLED_APPS: the app's permissions are made here first (it adds only what
    # is missing), so the group never misses one on a fresh database.
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    wanted = editor_permissions(app_config)
    permissions = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    held = set(group.permissions.filter(content_type__app_label=app_config.label))
    should = {
        permission
        for permission in permissions.select_related("content_type")
        if (permission.content_type.model, permission.codename) in wanted
    }
    if held - should:
        group.permissions.remove(*(held - should))
    if should - held:
        group.permissions.add(*(should - held))


def editors_group(*, using=DEFAULT_DB_ALIAS):
    """The Editors group, as the last `migrate` left it (None before one ran)."""
    from django.contrib.auth.models import Group

    return Group.objects.using(using).filter(name=EDITORS_GROUP).first()
