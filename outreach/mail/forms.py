from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class DigestChoiceForm(FlaskForm):
    daily_digest = BooleanField(_l("A daily message with the counts of my work"))
    weekly_digest = BooleanField(_l("A weekly message with my pairs' workload figures"))
