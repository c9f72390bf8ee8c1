from django.urls import include, path

from legalops.api import api
from legalops.core.views import healthz_view

urlpatterns = [
    path("accounts/", include("legalops.accounts.urls")),
    path("admin/audit/", include("legalops.audit.urls")),
    path("admin/organization/", include("legalops.organization.urls")),
    path("vendors/", include("legalops.vendors.urls")),
    path("matters/", include("legalops.matters.urls")),
    path("spend/", include("legalops.invoices.urls")),
    path("portal/", include("legalops.portal.urls")),
    path("notifications/", include("legalops.notifications.urls")),
    path("approvals/", include("legalops.approvals.urls")),
    path("appeals/", include("legalops.appeals.urls")),
    path("payables/", include("legalops.payables.urls")),
    path("spend/backtests/", include("legalops.backtests.urls")),
    path("insight/", include("legalops.reports.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz_view, name="healthz"),
    path("", include("legalops.core.urls")),
]
