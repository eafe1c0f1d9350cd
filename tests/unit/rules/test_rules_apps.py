"""The built-in rules on app identities as trackers and imports see them, on each system."""

from __future__ import annotations

import pytest

from middenweg.domain.categories import Category
from middenweg.rules import builtin_rules, is_browser

MESSAGING_APPS: list[tuple[str, str]] = [
    # Linux: WM_CLASS class or instance, process names, flatpak ids
    ("TelegramDesktop", "Telegram"),
    ("telegram-desktop", "Telegram"),
    ("org.telegram.desktop", "Telegram"),
    ("Signal", "Signal"),
    ("signal-desktop", "Signal"),
    ("org.signal.Signal", "Signal"),
    ("discord", "Discord"),
    ("com.discordapp.Discord", "Discord"),
    ("vesktop", "Discord"),
    ("Slack", "Slack"),
    ("com.slack.Slack", "Slack"),
    ("teams-for-linux", "Microsoft Teams"),
    ("Element", "Element"),
    ("im.riot.Riot", "Element"),
    ("ViberPC", "Viber"),
    ("skypeforlinux", "Skype"),
    ("whatsapp-for-linux", "WhatsApp"),
    ("wasistlos", "WhatsApp"),
    ("ZapZap", "WhatsApp"),
    ("Caprine", "Messenger"),
    ("wechat", "WeChat"),
    # Windows: executables
    ("WhatsApp.exe", "WhatsApp"),
    ("WhatsApp.Root.exe", "WhatsApp"),
    ("Telegram.exe", "Telegram"),
    ("slack.exe", "Slack"),
    ("ms-teams.exe", "Microsoft Teams"),
    ("Teams.exe", "Microsoft Teams"),
    ("Discord.exe", "Discord"),
    ("Signal.exe", "Signal"),
    ("Messenger.exe", "Messenger"),
    ("Skype.exe", "Skype"),
    ("Element.exe", "Element"),
    ("Viber.exe", "Viber"),
    ("WeChat.exe", "WeChat"),
    ("Weixin.exe", "WeChat"),
    ("WHATSAPP.EXE", "WhatsApp"),
    # macOS: app names and bundle ids
    ("WhatsApp", "WhatsApp"),
    ("net.whatsapp.WhatsApp", "WhatsApp"),
    ("Telegram", "Telegram"),
    ("ru.keepcoder.Telegram", "Telegram"),
    ("org.whispersystems.signal-desktop", "Signal"),
    ("com.hnc.Discord", "Discord"),
    ("com.tinyspeck.slackmacgap", "Slack"),
    ("Microsoft Teams", "Microsoft Teams"),
    ("com.microsoft.teams2", "Microsoft Teams"),
    ("com.facebook.archon", "Messenger"),
    ("com.skype.skype", "Skype"),
    ("im.riot.app", "Element"),
    ("com.viber.osx", "Viber"),
    ("com.tencent.xinWeChat", "WeChat"),
    ("Messages", "Messages"),
    ("com.apple.MobileSMS", "Messages"),
    # Android (phone imports)
    ("com.whatsapp", "WhatsApp"),
    ("org.telegram.messenger", "Telegram"),
    ("com.facebook.orca", "Messenger"),
    ("org.thoughtcrime.securesms", "Signal"),
]

SOCIAL_APPS: list[tuple[str, str]] = [
    ("Facebook", "Facebook"),
    ("Facebook.exe", "Facebook"),
    ("com.facebook.katana", "Facebook"),
    ("Instagram", "Instagram"),
    ("com.instagram.android", "Instagram"),
    ("TikTok", "TikTok"),
    ("com.zhiliaoapp.musically", "TikTok"),
    ("X", "X"),
    ("Twitter", "X"),
    ("com.twitter.android", "X"),
    ("Reddit", "Reddit"),
    ("com.reddit.frontpage", "Reddit"),
    ("LinkedIn", "LinkedIn"),
    ("Pinterest", "Pinterest"),
    ("Snapchat", "Snapchat"),
    ("Threads", "Threads"),
    ("Bluesky", "Bluesky"),
    ("YouTube", "YouTube"),
    ("com.google.android.youtube", "YouTube"),
    ("FreeTube", "YouTube"),
    ("dev.geopjr.Tuba", "Mastodon"),
    ("org.kde.tokodon", "Mastodon"),
    ("Ivory", "Mastodon"),
]

#: Everyday apps, some with names close to a social or messaging app's.
OTHER_APPS = [
    "Code",
    "code.exe",
    "firefox",
    "Google-chrome",
    "thunderbird",
    "org.gnome.Nautilus",
    "Spotify",
    "steam",
    "XTerm",
    "Xorg",
    "telegraf",
    "slack-term-notes",
    "elementary-files",
    "signal-cli-gui",
    "teamspeak3",
    "Lines",
    "WINWORD.EXE",
    "explorer.exe",
]


@pytest.mark.parametrize(("app", "label"), MESSAGING_APPS)
def test_messaging_apps(app: str, label: str) -> None:
    result = builtin_rules().classify(app, None)
    assert (result.category, result.label) == (Category.MESSAGING, label)


@pytest.mark.parametrize(("app", "label"), SOCIAL_APPS)
def test_social_apps(app: str, label: str) -> None:
    result = builtin_rules().classify(app, None)
    assert (result.category, result.label) == (Category.SOCIAL, label)


@pytest.mark.parametrize("app", OTHER_APPS)
def test_other_apps_keep_their_own_name(app: str) -> None:
    result = builtin_rules().classify(app, None)
    assert (result.category, result.label) == (Category.OTHER, app)


@pytest.mark.parametrize("app", ["WhatsApp", "Slack", "Instagram"])
def test_app_rules_do_not_depend_on_the_title(app: str) -> None:
    rules = builtin_rules()
    expected = rules.classify(app, None)
    for title in ("", "Settings", "Home / X", "facebook.py - Visual Studio Code"):
        assert rules.classify(app, title) == expected


def test_a_browser_without_a_title_is_other() -> None:
    # With titles kept out, a browser could be showing anything.
    result = builtin_rules().classify("firefox", None)
    assert (result.category, result.label) == (Category.OTHER, "firefox")


@pytest.mark.parametrize(
    "app",
    [
        "firefox",
        "Navigator",
        "firefox.exe",
        "Firefox",
        "firefox-esr",
        "org.mozilla.firefox",
        "google-chrome",
        "Google-chrome",
        "chrome.exe",
        "Google Chrome",
        "chromium",
        "Chromium-browser",
        "msedge.exe",
        "Microsoft Edge",
        "Microsoft-edge",
        "brave-browser",
        "brave.exe",
        "Brave Browser",
        "opera",
        "opera.exe",
        "Vivaldi",
        "vivaldi-stable",
        "Safari",
        "com.apple.Safari",
        "LibreWolf",
        "epiphany",
        "Arc",
        "crx_hnpfjngllnobngcgfapefoaidbinmjnm",
        "chrome-hnpfjngllnobngcgfapefoaidbinmjnm-Default",
        "  FIREFOX.EXE ",
    ],
)
def test_browsers(app: str) -> None:
    assert is_browser(app)


@pytest.mark.parametrize(
    "app",
    ["", "code", "Code.exe", "gedit", "slack", "WhatsApp", "thunderbird", "chromeless", "crx_short", "firefoxpwa-x"],
)
def test_not_browsers(app: str) -> None:
    assert not is_browser(app)
