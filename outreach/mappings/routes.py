"""Situation mappings under a client: the professional makes them, the pair reads them."""


from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.consents.queries import can_record, require_consent
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.mappings import queries
from outreach.mappings.chart import render_chart
from outreach.mappings.forms import RATING_NAMES, MappingForm
from outreach.mappings.models import Mapping, MappingRating
from outreach.scope import PARTNERS, client_or_404
from outreach.web import form_page, render

bp = Blueprint("mappings", __name__, url_prefix="/clients/<int:client_id>/mappings")


def _may_create(client) -> bool:
    """Whether to offer "New mapping": the professional, with her valid consent."""
    return current_user.role == Role.PROFESSIONAL and can_record(client)


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    client = client_or_404(current_user, client_id)
    mappings = queries.mappings_of(client)
    return render(
        "mappings/index.html",
        client=client,
        mappings=list(reversed(mappings)),  # newest first in the list
        chart=render_chart(mappings),
        may_create=_may_create(client),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def new(client_id: int):
    client = client_or_404(current_user, client_id)
    require_consent(client)
    form = MappingForm()
    last = queries.latest_mapping(client)
    if not form.is_submitted():
        if last is not None:
            form.fill_from(last)
        form.mapped_on.data = local_today()
    if form.validate_on_submit():
        mapping = Mapping(
            client=client,
            mapped_on=form.mapped_on.data,
            what_matters_most=form.what_matters_most.data or None,
            created_by_id=current_user.id,
        )
        mapping.ratings = [
            MappingRating(domain=domain, rating=rating, notes=notes)
            for domain, (rating, notes) in form.values().items()
        ]
        db.session.add(mapping)
        client.touch()
        db.session.commit()
        flash(_("The situation mapping was saved."), "success")
        return redirect(url_for(".show", client_id=client.id, mapping_id=mapping.id))
    return form_page(
        "mappings/new.html", form,
        client=client,
        last=last,
        domains=list(LifeDomain),
        domain_names=LIFE_DOMAIN_NAMES,
        rating_names=RATING_NAMES,
    )


@bp.get("/<int:mapping_id>")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def show(client_id: int, mapping_id: int):
    mapping = queries.mapping_or_404(current_user, client_id, mapping_id)
    previous = queries.previous_mapping(mapping)
    return render(
        "mappings/show.html",
        client=mapping.client,
        mapping=mapping,
        previous=previous,
        domains=list(LifeDomain),
        domain_names=LIFE_DOMAIN_NAMES,
    )
