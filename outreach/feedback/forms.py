from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from outreach.core.forms import TOO_LONG, enum_coerce, strip
from outreach.feedback.models import FeedbackKind

SITUATION_MAX = 200
BODY_MAX = 4000


class FeedbackForm(FlaskForm):
    kind = RadioField(
        _l("What do you want to do?"),
        choices=[
            SelectChoice(FeedbackKind.GIVE.value, _l("Give feedback")),
            SelectChoice(FeedbackKind.ASK.value, _l("Ask for feedback")),
        ],
        coerce=enum_coerce(FeedbackKind),
        default=FeedbackKind.GIVE.value,
        validators=[InputRequired(_l("Choose whether you give or ask for feedback."))],
        invalid_choice_message=_l("Choose one of the options."),
    )
    situation = StringField(
        _l("Situation"),
        validators=[DataRequired(_l("Write which situation it is about.")),
                    Length(max=SITUATION_MAX, message=TOO_LONG)],
        filters=[strip],
    )
    body = TextAreaField(
        _l("Your words"),
        validators=[DataRequired(_l("Write your feedback or your question.")),
                    Length(max=BODY_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 4},
    )


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(_l("Write your answer.")),
                    Length(max=BODY_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 4},
    )
