"""The network app's models, one module per sub-area: networks, meetings (with minutes), discussions,
library. Django finds models through this package, and `from network.models import Meeting` keeps
working for the rest of the portal; inside the app, modules name the sub-area module they read.

`document_upload_to` stays importable from here: migration 0001 names it as
`network.models.document_upload_to`."""

from network.models.discussions import Post, ReadMarker, Subscription, SubscriptionMode, Thread
from network.models.library import (
    Document,
    DocumentCategory,
    DocumentDownload,
    DocumentQuerySet,
    Visibility,
    document_upload_to,
)
from network.models.meetings import (
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingQuerySet,
    MeetingRegistration,
    Minutes,
    MinutesItem,
    MinutesItemQuerySet,
    RegistrationStatus,
)
from network.models.networks import Network, NetworkQuerySet, Scope, visible_network

__all__ = [
    "Document",
    "DocumentCategory",
    "DocumentDownload",
    "DocumentQuerySet",
    "ItemKind",
    "Meeting",
    "MeetingKind",
    "MeetingQuerySet",
    "MeetingRegistration",
    "Minutes",
    "MinutesItem",
    "MinutesItemQuerySet",
    "Network",
    "NetworkQuerySet",
    "Post",
    "ReadMarker",
    "RegistrationStatus",
    "Scope",
    "visible_network",
    "Subscription",
    "SubscriptionMode",
    "Thread",
    "Visibility",
    "document_upload_to",
]
