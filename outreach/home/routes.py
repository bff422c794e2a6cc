from datetime import date

from flask import Blueprint
from flask_login import current_user

from outreach.auth.access import allow_signed_in
from outreach.pairs.queries import pairs_for
from outreach.web import render

bp = Blueprint("home", __name__)


@bp.get("/")
@allow_signed_in
def index():
    return render("home/index.html", pairs=pairs_for(current_user), today=date.today())
