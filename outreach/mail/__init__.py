"""Messages outside the app: outing alerts and digests by e-mail (SMTP_URL), or to the log
and the administrator's "sent messages" page without it. `outreach notify` sends what is
due; every message has a unique key in the database, claimed before it is sent, so runs
every minute and runs at the same moment send each message once. No message carries a
woman's name, code or any client content: counts and links back into the app."""
