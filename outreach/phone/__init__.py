"""The app on a phone (issue 16): installable (manifest, service worker), the offline shell
page, what the phone may keep for logging after an offline reload, the quick log on the
home page and the "More" menu of the bottom bar."""
