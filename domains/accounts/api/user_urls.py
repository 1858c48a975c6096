"""Mounted at ``api/users/`` by the composition root (user management, for admins); each path
also answers with "/"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.UserListView.as_view(), name="users-list"),
    path("<str:user_id>", views.UserDetailView.as_view(), name="users-detail"),
]
