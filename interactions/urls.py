from django.urls import path

from .views import calendar, follow_ups, interaction_list, my_day, notifications, timeline

app_name = "interactions"

urlpatterns = [
    path("my-day/", my_day.my_day, name="my_day"),
    # every visible interaction, filtered (the dashboard's drill-down)
    path("interactions/", interaction_list.interaction_list, name="list"),
    # client page: timeline, quick log, full forms
    path("interactions/client/<int:client_pk>/timeline/", timeline.timeline, name="timeline"),
    path("interactions/client/<int:client_pk>/quick-log/", timeline.quick_log, name="quick_log"),
    path("interactions/client/<int:client_pk>/new/", timeline.interaction_create, name="create"),
    path("interactions/<int:pk>/edit/", timeline.interaction_edit, name="edit"),
    path("interactions/<int:pk>/complete/", timeline.interaction_complete, name="complete"),
    path("interactions/<int:pk>/delete/", timeline.interaction_delete, name="delete"),
    # follow-ups
    path("follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path("follow-ups/client/<int:client_pk>/new/", timeline.follow_up_create, name="follow_up_create"),
    path("follow-ups/<int:pk>/done/", follow_ups.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/cancel/", follow_ups.follow_up_cancel, name="follow_up_cancel"),
    path("follow-ups/<int:pk>/reopen/", follow_ups.follow_up_reopen, name="follow_up_reopen"),
    path("follow-ups/<int:pk>/reschedule/", follow_ups.follow_up_reschedule, name="follow_up_reschedule"),
    # notifications (the header bell)
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/badge/", notifications.notification_badge, name="notification_badge"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    # private calendar feed
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/new-link/", calendar.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", calendar.calendar_revoke, name="calendar_revoke"),
]
