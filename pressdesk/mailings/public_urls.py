"""Public mailing links under /m/: unsubscribe and tracked links. No login, no cookies needed."""

from pressdesk.mailings import webhooks
from pressdesk.mailings.views import public

app_name = "mailings_public"

urlpatterns = public.urlpatterns + webhooks.urlpatterns
