"""The record-view base (outreach.record_views) for records about one client: her,
loaded within the user's scope first (404 outside it); writing needs her valid consent
(403 page that says why); forms keep server-side drafts; an export of her data leaves
one access-log row."""


from outreach.consents.queries import require_consent
from outreach.drafts.queries import discard_draft, form_key, open_form
from outreach.exports import log_export
from outreach.record_views import RecordViews
from outreach.scope import client_or_404


class ClientRecordViews(RecordViews):
    export_part: str | None = None  # the access log's name for an export of these records

    def parent(self, user, args: dict):
        return client_or_404(user, args["client_id"])

    def parent_args(self, client) -> dict:
        return {"client_id": client.id}

    def parent_context(self, client) -> dict:
        return {"client": client}

    def refuse(self, user, client, record=None):
        require_consent(client)
        return None

    def owner_values(self, user, client) -> dict:
        return {"client_id": client.id, "pair_id": client.pair_id, "created_by_id": user.id}

    def log_export(self, client) -> None:
        log_export(client.id, self.export_part)

    def draft_key(self, action: str, ident: int) -> str | None:
        return form_key(self.draft_kind, action, ident) if self.draft_kind else None

    def open_draft(self, form_class, user, key, **args):
        return open_form(form_class, user, key, **args)

    def discard_draft(self, user, key) -> None:
        if key is not None:
            discard_draft(user, key)
