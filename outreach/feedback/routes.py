"""The pair's feedback thread (/pairs/<id>/feedback): either partner gives the other
feedback on a situation or asks for it; an ask waits on the other partner's home page until
she or he answers it (/pairs/<id>/feedback/<item>/answer).

Access: the two partners only. Every view is declared for signed-in users and scoped by
the partners' own pairs, so supervisors, administrators and other pairs get 404. Writing
needs the pair to be working; the author of an ask cannot answer it herself (403)."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from outreach.auth.access import allow_signed_in
from outreach.auth.models import User
from outreach.core.time import local_today
from outreach.core.views import current_user_obj, page_of
from outreach.extensions import db
from outreach.feedback import queries
from outreach.feedback.forms import AnswerForm, FeedbackForm
from outreach.feedback.models import FEEDBACK_KIND_NAMES, FeedbackKind
from outreach.panels import HOME_PANELS
from outreach.scope import pair_or_404
from outreach.web import form_page, render

bp = Blueprint("feedback", __name__)



def _thread_page(pair, form, status: int = 200):
    me = current_user_obj()
    pagination = page_of(queries.thread(pair))
    return render("feedback/thread.html", status=status, pair=pair, form=form,
                  pagination=pagination, can_write=form is not None,
                  partner=pair.expert if me.id == pair.professional_id else pair.professional,
                  kind_names=FEEDBACK_KIND_NAMES)


@bp.route("/pairs/<int:pair_id>/feedback", methods=["GET", "POST"])
@allow_signed_in
def thread(pair_id: int):
    me = current_user_obj()
    pair = pair_or_404(me, pair_id)  # supervisors, admins, other pairs: 404
    writable = queries.can_write(me, pair, local_today())
    if request.method == "POST" and not writable:
        abort(403)  # the pair has ended: its thread stays readable
    form = FeedbackForm() if writable else None
    if form is not None and form.validate_on_submit():
        item = queries.add_item(pair, me, form.kind.data, form.situation.data, form.body.data)
        db.session.commit()
        if item.is_ask:
            other = pair.expert if me.id == pair.professional_id else pair.professional
            flash(_("Your question was sent. It waits on %(name)s's home page until answered.",
                    name=other.name), "success")
        else:
            flash(_("Your feedback was saved in the thread."), "success")
        return redirect(url_for(".thread", pair_id=pair.id))
    return _thread_page(pair, form, 422 if form is not None and form.errors else 200)


@bp.route("/pairs/<int:pair_id>/feedback/<int:item_id>/answer", methods=["GET", "POST"])
@allow_signed_in
def answer(pair_id: int, item_id: int):
    me = current_user_obj()
    pair = pair_or_404(me, pair_id)
    ask = queries.item_or_404(me, pair, item_id)
    if ask.kind != FeedbackKind.ASK:
        abort(404)  # only an ask can be answered
    if ask.author_id == me.id:
        abort(403)  # her own question is for the other partner to answer
    if not queries.can_write(me, pair, local_today()):
        abort(403)
    if ask.answered_at is not None:
        return render("feedback/answer.html", status=409 if request.method == "POST" else 200,
                      pair=pair, ask=ask, form=None)
    form = AnswerForm()
    if form.validate_on_submit():
        answer_item = queries.add_item(pair, me, FeedbackKind.GIVE, ask.situation, form.body.data,
                                       in_reply_to=ask)
        db.session.commit()
        flash(_("Your answer was saved in the thread."), "success")
        return redirect(url_for(".thread", pair_id=pair.id, _anchor=f"feedback-{answer_item.id}"))
    return form_page("feedback/answer.html", form, pair=pair, ask=ask)


# --- The home page: asks waiting for my answer ------------------------------------------------


def _asks_for_me(user: User, today) -> dict | None:
    asks = queries.asks_waiting_for(user)
    return {"asks": asks} if asks else None


HOME_PANELS.register("feedback-asks", "feedback/_home_asks.html", _asks_for_me, order=35)
