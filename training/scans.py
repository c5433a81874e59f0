from portal.notifications.scans import scan
from training import services


@scan("training.feedback_request")
def feedback_requests(now) -> int:
    return services.feedback_requests_send(now=now)
