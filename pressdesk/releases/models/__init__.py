"""Releases' tables: releases and their versions, review, assets, kits, ideas, the newsroom."""

from pressdesk.releases.models.assets import AssetKind, MediaAsset, ReleaseAttachment
from pressdesk.releases.models.effects import EffectKind, ReleaseEffect
from pressdesk.releases.models.ideas import IdeaComment, IdeaState, StoryIdea
from pressdesk.releases.models.kits import KitItemKind, PressKit, PressKitItem, kit_public_q
from pressdesk.releases.models.newsroom import Newsroom, PreviewLink, PreviewView, Subscriber
from pressdesk.releases.models.releases import (
    RELEASED_STATES,
    Boilerplate,
    Release,
    ReleaseState,
    ReleaseTemplate,
    ReleaseVersion,
    ReviewDecision,
    ReviewStep,
    Topic,
    VersionComment,
    public_q,
    version_search_text,
)
from pressdesk.releases.models.subscriber_mails import SubscriberMail

__all__ = [
    "RELEASED_STATES",
    "AssetKind",
    "Boilerplate",
    "EffectKind",
    "IdeaComment",
    "IdeaState",
    "KitItemKind",
    "MediaAsset",
    "Newsroom",
    "PressKit",
    "PressKitItem",
    "PreviewLink",
    "PreviewView",
    "Release",
    "ReleaseAttachment",
    "ReleaseEffect",
    "ReleaseState",
    "ReleaseTemplate",
    "ReleaseVersion",
    "ReviewDecision",
    "ReviewStep",
    "StoryIdea",
    "Subscriber",
    "SubscriberMail",
    "Topic",
    "VersionComment",
    "kit_public_q",
    "public_q",
    "version_search_text",
]
