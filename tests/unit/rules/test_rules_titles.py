"""The built-in rules on real window titles: browsers, languages, and titles that only look social."""

from __future__ import annotations

import pytest

from middenweg.domain.categories import Category
from middenweg.rules import builtin_rules

SOCIAL = Category.SOCIAL
MESSAGING = Category.MESSAGING
OTHER = Category.OTHER
#: Edge writes a zero width space between "Microsoft" and "Edge" in its window titles.
EDGE = "Microsoft\u200b Edge"

# (app as the tracker saw it, window title, category, label). Titles are in the form the browsers and sites write
# them; labels of "other" windows are the app name as given.
BROWSER_TITLES: list[tuple[str, str, Category, str]] = [
    # Firefox: "Page — Mozilla Firefox" (em dash); Linux class "firefox" or instance "Navigator", Windows exe,
    # macOS and ActivityWatch "Firefox".
    ("firefox", "(3) Facebook — Mozilla Firefox", SOCIAL, "Facebook"),
    ("firefox", "Facebook - Inloggen of aanmelden — Mozilla Firefox", SOCIAL, "Facebook"),
    ("Navigator", "Marketplace | Facebook — Mozilla Firefox", SOCIAL, "Facebook"),
    ("firefox", "Log into Facebook | Facebook — Mozilla Firefox", SOCIAL, "Facebook"),
    ("firefox.exe", "Home / X — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "(2) Startpagina / X — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "Elon Musk (@elonmusk) / X — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "Home / Twitter — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "Feed | LinkedIn — Mozilla Firefox", SOCIAL, "LinkedIn"),
    ("firefox", "(5) Meldingen | LinkedIn — Mozilla Firefox", SOCIAL, "LinkedIn"),
    ("firefox", "WhatsApp — Mozilla Firefox", MESSAGING, "WhatsApp"),
    ("firefox", "general (Channel) - Acme - Slack — Mozilla Firefox", MESSAGING, "Slack"),
    ("firefox", "* random (Channel) - Acme - Slack — Mozilla Firefox", MESSAGING, "Slack"),
    ("firefox", "Messenger | Facebook — Mozilla Firefox", MESSAGING, "Messenger"),
    (
        "firefox",
        "Rick Astley - Never Gonna Give You Up (Official Music Video) - YouTube — Mozilla Firefox",
        SOCIAL,
        "YouTube",
    ),
    ("firefox", "YouTube — Mozilla Firefox Private Browsing", SOCIAL, "YouTube"),
    ("firefox", "Reddit - Dive into anything — Mozilla Firefox", SOCIAL, "Reddit"),
    ("firefox", "r/Python on Reddit: What's your favourite library? — Mozilla Firefox", SOCIAL, "Reddit"),
    ("firefox", "What is your favourite text editor? : r/linux — Mozilla Firefox", SOCIAL, "Reddit"),
    ("firefox", "reddit: the front page of the internet — Mozilla Firefox", SOCIAL, "Reddit"),
    ("firefox", "Home - Mastodon — Mozilla Firefox", SOCIAL, "Mastodon"),
    ("firefox", "Notifications - mastodon.social — Mozilla Firefox", SOCIAL, "Mastodon"),
    ("firefox", "Eugen Rochko (@Gargron@mastodon.social) - Mastodon — Mozilla Firefox", SOCIAL, "Mastodon"),
    ("firefox", "Alice (@alice@fosstodon.org) - Fosstodon — Mozilla Firefox", SOCIAL, "Mastodon"),
    ("firefox", "Home — Bluesky — Mozilla Firefox", SOCIAL, "Bluesky"),
    ("firefox", "Telegram Web — Mozilla Firefox", MESSAGING, "Telegram"),
    ("firefox-esr", "Discord | #general | Friends — Mozilla Firefox", MESSAGING, "Discord"),
    ("firefox", "Element [2] | Project room — Mozilla Firefox", MESSAGING, "Element"),
    ("Firefox", "Pinterest — Mozilla Firefox", SOCIAL, "Pinterest"),
    ("LibreWolf", "Home / X — LibreWolf", SOCIAL, "X"),
    ("firefox", "\u200eWhatsApp\u200e — Mozilla Firefox", MESSAGING, "WhatsApp"),
    # Chrome: "Page - Google Chrome", with tab notes before and a profile after the name on some systems.
    ("google-chrome", "(3) Facebook - Google Chrome", SOCIAL, "Facebook"),
    ("chrome.exe", "(78) WhatsApp - Google Chrome", MESSAGING, "WhatsApp"),
    ("chrome.exe", "Feed | LinkedIn - High memory usage - 1.6 GB - Google Chrome", SOCIAL, "LinkedIn"),
    (
        "Google Chrome",
        "Feed | LinkedIn – Audio playing - High memory usage - 2.6 GB - Google Chrome – Techy",
        SOCIAL,
        "LinkedIn",
    ),
    (
        "Google Chrome",
        "How I use GitHub Copilot - YouTube - Audio playing - Google Chrome - Jason",
        SOCIAL,
        "YouTube",
    ),
    ("google-chrome", "Home / X - Google Chrome", SOCIAL, "X"),
    ("google-chrome", "Home / X - Google Chrome (Incognito)", SOCIAL, "X"),
    ("Google-chrome", "#general | Server - Discord - Google Chrome", MESSAGING, "Discord"),
    ("chrome.exe", "Chat | Ada Lovelace | Microsoft Teams - Google Chrome", MESSAGING, "Microsoft Teams"),
    ("chrome.exe", "Telegram Web - Google Chrome", MESSAGING, "Telegram"),
    ("chrome.exe", "Google Chat - Google Chrome", MESSAGING, "Google Chat"),
    ("google-chrome", "Google Messages for web - Google Chrome", MESSAGING, "Messages"),
    ("google-chrome", "Nike (@nike) • Instagram photos and videos - Google Chrome", SOCIAL, "Instagram"),
    ("google-chrome", "Inbox • Direct • Instagram - Google Chrome", SOCIAL, "Instagram"),
    ("google-chrome", "Login • Instagram - Google Chrome", SOCIAL, "Instagram"),
    ("google-chrome", "TikTok - Make Your Day - Google Chrome", SOCIAL, "TikTok"),
    ("google-chrome", "Funny cat compilation #cats #fyp | TikTok - Google Chrome", SOCIAL, "TikTok"),
    ("google-chrome", "Mark Zuckerberg (@zuck) • Threads, Say more - Google Chrome", SOCIAL, "Threads"),
    ("google-chrome", "(1) Messages / X - Google Chrome", SOCIAL, "X"),
    ("google-chrome", "(2) Pinterest - Google Chrome", SOCIAL, "Pinterest"),
    ("google-chrome", "Snapchat - Google Chrome", SOCIAL, "Snapchat"),
    ("google-chrome", "Notifications — Bluesky - Google Chrome", SOCIAL, "Bluesky"),
    ("google-chrome", "Dashboard | Tumblr - Google Chrome", SOCIAL, "Tumblr"),
    ("google-chrome", "🔥 Best moments of 2024 🔥 - YouTube - Google Chrome", SOCIAL, "YouTube"),
    # Chromium
    ("chromium", "(2) WhatsApp - Chromium", MESSAGING, "WhatsApp"),
    ("Chromium-browser", "Cute kittens - YouTube - Chromium", SOCIAL, "YouTube"),
    # Edge: "Page - Profile - Microsoft​ Edge", sometimes "Page and 3 more pages - Profile - Microsoft​ Edge".
    ("msedge.exe", f"YouTube - Personal - {EDGE}", SOCIAL, "YouTube"),
    ("msedge.exe", f"Lofi hip hop radio - YouTube - Personal - {EDGE}", SOCIAL, "YouTube"),
    ("msedge.exe", f"Video - YouTube - Audio playing - Personal - {EDGE}", SOCIAL, "YouTube"),
    ("msedge.exe", f"WhatsApp and 4 more pages - Personal - {EDGE}", MESSAGING, "WhatsApp"),
    ("msedge.exe", f"Feed | LinkedIn and 3 more pages - Profile 1 - {EDGE}", SOCIAL, "LinkedIn"),
    ("msedge.exe", f"Reddit - Dive into anything - Personal - {EDGE}", SOCIAL, "Reddit"),
    ("msedge.exe", f"Home / X - Werk - {EDGE}", SOCIAL, "X"),
    ("msedge.exe", f"Instagram - Personal - {EDGE}", SOCIAL, "Instagram"),
    ("msedge.exe", f"Facebook - log in or sign up - Personal - {EDGE}", SOCIAL, "Facebook"),
    ("msedge.exe", f"Microsoft Teams (free) - Personal - {EDGE}", MESSAGING, "Microsoft Teams"),
    ("Microsoft-edge", "Chat | Microsoft Teams - Microsoft Edge", MESSAGING, "Microsoft Teams"),
    # Brave, Opera, Vivaldi
    ("brave-browser", "Home / X - Brave", SOCIAL, "X"),
    ("brave.exe", "Facebook - log in or sign up - Brave", SOCIAL, "Facebook"),
    ("Brave Browser", "Feed | LinkedIn - Brave", SOCIAL, "LinkedIn"),
    ("Brave-browser", "Discord | #general | Friends - Brave", MESSAGING, "Discord"),
    ("opera.exe", "Messenger | Facebook - Opera", MESSAGING, "Messenger"),
    ("opera", "(4) WhatsApp - Opera", MESSAGING, "WhatsApp"),
    ("opera", "Never Gonna Give You Up - YouTube - Opera", SOCIAL, "YouTube"),
    ("vivaldi-stable", "Home / X - Vivaldi", SOCIAL, "X"),
    ("vivaldi.exe", "Instagram - Vivaldi", SOCIAL, "Instagram"),
    ("Vivaldi", "general (Channel) - Acme - Slack - Vivaldi", MESSAGING, "Slack"),
    # Safari (and GNOME Web, Arc): the window title is the page title.
    ("Safari", "Feed | LinkedIn", SOCIAL, "LinkedIn"),
    ("com.apple.Safari", "(2) Facebook", SOCIAL, "Facebook"),
    ("Safari", "WhatsApp", MESSAGING, "WhatsApp"),
    ("Safari", "Lofi Girl - YouTube", SOCIAL, "YouTube"),
    ("Safari", "Home / X", SOCIAL, "X"),
    ("Safari", "Instagram", SOCIAL, "Instagram"),
    ("epiphany", "Home / X", SOCIAL, "X"),
    ("Arc", "Feed | LinkedIn", SOCIAL, "LinkedIn"),
    ("qutebrowser", "Home / X - qutebrowser", SOCIAL, "X"),
    ("zen", "Home / X — Zen Browser", SOCIAL, "X"),
    # German and French
    ("firefox", "Startseite / X — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "Accueil / X — Mozilla Firefox", SOCIAL, "X"),
    ("firefox", "Facebook – Anmelden oder Registrieren — Mozilla Firefox", SOCIAL, "Facebook"),
    ("google-chrome", "Facebook - Connexion ou inscription - Google Chrome", SOCIAL, "Facebook"),
    ("firefox", "Fil d’actualité | LinkedIn — Mozilla Firefox", SOCIAL, "LinkedIn"),
    ("chrome.exe", "Benachrichtigungen | LinkedIn - Google Chrome", SOCIAL, "LinkedIn"),
    ("google-chrome", "Nike (@nike) • Instagram-Fotos und -Videos - Google Chrome", SOCIAL, "Instagram"),
    ("firefox", "Nike (@nike) • Instagram-foto's en -video's — Mozilla Firefox", SOCIAL, "Instagram"),
    ("firefox", "Nike (@nike) • Photos et vidéos Instagram — Mozilla Firefox", SOCIAL, "Instagram"),
    ("firefox", "Nike op Instagram: ‘Just do it’ — Mozilla Firefox", SOCIAL, "Instagram"),
    # Installed web apps have their own window class and no browser name in the title.
    ("crx_hnpfjngllnobngcgfapefoaidbinmjnm", "WhatsApp", MESSAGING, "WhatsApp"),
    ("chrome-hnpfjngllnobngcgfapefoaidbinmjnm-Default", "(3) WhatsApp", MESSAGING, "WhatsApp"),
    ("msedge-_akpamiohjfcnimfljfndmaldlcfphjmp-Default", "Instagram", SOCIAL, "Instagram"),
]

#: Titles in browsers that mention a social site without being on it: searches, articles, code, docs.
NOT_SOCIAL_IN_BROWSERS: list[tuple[str, str]] = [
    ("firefox", "Mozilla Firefox"),
    ("firefox", "Facebook – Wikipedia — Mozilla Firefox"),
    ("firefox", "facebook login - Google Zoeken — Mozilla Firefox"),
    ("firefox", "facebook at DuckDuckGo — Mozilla Firefox"),
    ("firefox", "Meta fined €1.2bn over Facebook data transfers - BBC News — Mozilla Firefox"),
    ("firefox", "Facebook's new privacy rules explained | The Guardian — Mozilla Firefox"),
    ("org.mozilla.firefox", "Inbox (3) - me@example.com - Gmail — Mozilla Firefox"),
    ("firefox", "YouTube – Wikipedia — Mozilla Firefox"),
    ("firefox", "Instagram — Wikipédia — Mozilla Firefox"),
    ("firefox", "Weer Amsterdam - Buienradar.nl — Mozilla Firefox"),
    ("firefox", "Telegram Bot API — Mozilla Firefox"),
    ("firefox", "Slack API: Applications | Slack — Mozilla Firefox"),
    ("firefox", "discord.py 2.3 documentation — Mozilla Firefox"),
    ("firefox", "The YouTube Effect review – a troubling look | Film | The Guardian — Mozilla Firefox"),
    ("firefox", "Twitter API v2 | Docs | Twitter Developer Platform — Mozilla Firefox"),
    ("chrome.exe", "claude pricing - Google Search - Google Chrome"),
    ("chrome.exe", "facebook login - Google Search - Google Chrome"),
    ("google-chrome", "cat videos youtube - Google Search - Google Chrome"),
    ("google-chrome", "whatsapp web - Google Zoeken - Google Chrome"),
    ("google-chrome", "Facebook Login - Zoeken - Google Chrome"),
    (
        "google-chrome",
        "GitHub - ytdl-org/youtube-dl: Command-line program to download videos from YouTube.com - Google Chrome",
    ),
    ("chrome.exe", "src/app at main · someone/youtube-clone - Google Chrome"),
    ("chrome.exe", "New Tab - Google Chrome"),
    ("chrome.exe", "Q3 plan - Google Docs - Google Chrome"),
    ("google-chrome", "Slack notes - Google Docs - Google Chrome"),
    ("google-chrome", "Why teens quit Instagram - The Verge - Google Chrome"),
    ("google-chrome", "Algebra: solve for x - Google Chrome"),
    ("google-chrome", "WhatsApp – Wikipedia, de vrije encyclopedie - Google Chrome"),
    ("google-chrome", "Google Chrome"),
    ("chromium", "Python (programming language) - Wikipedia - Chromium"),
    ("msedge.exe", f"Crusading movement - Wikipedia and 4 more pages - Profile 1 - {EDGE}"),
    ("msedge.exe", f"New tab - Work - {EDGE}"),
    ("msedge.exe", f"facebook - Search - Personal - {EDGE}"),
    ("brave.exe", "mern-chat-app/backend at master · piyush-eon/mern-chat-app · GitHub - Brave"),
    ("opera", "Carmen (opera) - Wikipedia - Opera"),
    ("vivaldi-stable", "Vivaldi Forum - Vivaldi"),
    ("Safari", "Apple"),
    ("Safari", "Facebook shares jump after earnings"),
]

#: Apps that are not browsers never get the title rules, whatever their title says.
NOT_SOCIAL_OUTSIDE_BROWSERS: list[tuple[str, str]] = [
    ("code", "facebook.py - myproject - Visual Studio Code"),
    ("Code.exe", "youtube_downloader.py - tools - Visual Studio Code"),
    ("Code", "Home / X"),
    ("org.gnome.Nautilus", "YouTube"),
    ("dolphin", "YouTube — Dolphin"),
    ("explorer.exe", "WhatsApp Images"),
    ("gedit", "(3) Facebook"),
    ("kitty", "yt-dlp https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("thunderbird", "Facebook notification - Inbox - Mozilla Thunderbird"),
    ("vlc", "Never Gonna Give You Up - YouTube.mp4 - VLC media player"),
    ("libreoffice-writer", "Feed | LinkedIn - LibreOffice Writer"),
    ("ApplicationFrameHost.exe", "Calculator"),
]

#: Native apps show their own titles; the app name decides.
NATIVE_WITH_TITLES: list[tuple[str, str, Category, str]] = [
    ("discord", "#general | Server - Discord", MESSAGING, "Discord"),
    ("Slack", "general (Channel) - Acme - Slack", MESSAGING, "Slack"),
    ("TelegramDesktop", "Telegram (5)", MESSAGING, "Telegram"),
    ("Signal", "Signal", MESSAGING, "Signal"),
    ("ms-teams.exe", "Chat | Ada Lovelace | Microsoft Teams", MESSAGING, "Microsoft Teams"),
    ("WhatsApp.exe", "WhatsApp", MESSAGING, "WhatsApp"),
    ("ApplicationFrameHost.exe", "WhatsApp", MESSAGING, "WhatsApp"),
    ("ApplicationFrameHost.exe", "Instagram", SOCIAL, "Instagram"),
    ("ApplicationFrameHost.exe", "TikTok", SOCIAL, "TikTok"),
]


@pytest.mark.parametrize(("app", "title", "category", "label"), BROWSER_TITLES + NATIVE_WITH_TITLES)
def test_window_titles(app: str, title: str, category: Category, label: str) -> None:
    result = builtin_rules().classify(app, title)
    assert (result.category, result.label) == (category, label)


@pytest.mark.parametrize(("app", "title"), NOT_SOCIAL_IN_BROWSERS + NOT_SOCIAL_OUTSIDE_BROWSERS)
def test_titles_that_only_mention_a_site_are_other(app: str, title: str) -> None:
    result = builtin_rules().classify(app, title)
    assert (result.category, result.label) == (Category.OTHER, app)


def test_the_table_is_broad() -> None:
    # The brief asks for at least ~120 real titles across browsers and languages.
    titles = BROWSER_TITLES + NOT_SOCIAL_IN_BROWSERS
    assert len(titles) + len(NOT_SOCIAL_OUTSIDE_BROWSERS) + len(NATIVE_WITH_TITLES) >= 120
    apps = {app.casefold() for app, *_ in titles}
    for browser in (
        "firefox",
        "google-chrome",
        "chromium",
        "msedge.exe",
        "brave.exe",
        "opera",
        "vivaldi-stable",
        "safari",
    ):
        assert browser in apps


def test_web_page_and_native_app_share_a_label() -> None:
    rules = builtin_rules()
    assert rules.classify("firefox", "(2) WhatsApp — Mozilla Firefox") == rules.classify("WhatsApp", None)
    assert rules.classify("msedge.exe", f"Instagram - Personal - {EDGE}") == rules.classify("Instagram", None)
    assert rules.classify("chrome.exe", "Telegram Web - Google Chrome") == rules.classify("Telegram.exe", None)
