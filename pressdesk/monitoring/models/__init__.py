"""Monitoring's tables, one module per concern."""

from pressdesk.monitoring.models.alerts import AlertKind, AlertMail, AlertRule
from pressdesk.monitoring.models.clippings import Clipping, Tone, ToneMethod, Verdict
from pressdesk.monitoring.models.items import Byline, Item, Stage
from pressdesk.monitoring.models.queries import GroupKind, QueryGroup, WatchQuery
from pressdesk.monitoring.models.settings import Licence, MonitoringSettings
from pressdesk.monitoring.models.sources import Health, Host, Source, SourceKind, SourcePoll
from pressdesk.monitoring.models.stories import Story, StoryBand

__all__ = [
    "AlertKind",
    "AlertMail",
    "AlertRule",
    "Byline",
    "Clipping",
    "GroupKind",
    "Health",
    "Host",
    "Item",
    "Licence",
    "MonitoringSettings",
    "QueryGroup",
    "Source",
    "SourceKind",
    "SourcePoll",
    "Stage",
    "Story",
    "StoryBand",
    "Tone",
    "ToneMethod",
    "Verdict",
    "WatchQuery",
]
