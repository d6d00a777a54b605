"""An installation from before the on-call backup gets the permissions for its default roles."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection

grants = importlib.import_module("wijkpunt.oncall.migrations.0003_grant_default_roles")


@pytest.mark.django_db
def test_existing_default_groups_get_the_oncall_permissions():
    from django.apps import apps

    group = Group.objects.get_or_create(name="wijkconsulent")[0]
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="oncall"))
    renamed = Group.objects.create(name="eigen-rol")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    grants.grant(apps, editor)
    assert set(group.permissions.filter(content_type__app_label="oncall").values_list("codename", flat=True)) == {
        "view_duty", "acknowledge_page"}
    assert not renamed.permissions.exists()
