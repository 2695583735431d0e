from django.urls import path

from portal.feedback import staff_views, views

app_name = "feedback"
urlpatterns = [
    path("dataset/<str:name>/feedback", views.dataset_feedback, name="dataset_feedback"),
    path("dataset/<str:name>/resource/<str:resource_id>/feedback", views.resource_feedback,
         name="resource_feedback"),
    path("feedback/<int:pk>", views.feedback_detail, name="feedback_detail"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new", views.request_new, name="request_new"),
    path("requests/<int:pk>", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/support", views.request_support, name="request_support"),
    path("dashboard/feedback/", staff_views.thread_list, name="staff_list"),
    path("dashboard/feedback/new", staff_views.thread_new, name="staff_new"),
    path("dashboard/feedback/<int:pk>", staff_views.thread_detail, name="staff_thread"),
    path("dashboard/feedback/<int:pk>/<str:action>", staff_views.thread_act, name="staff_act"),
]
