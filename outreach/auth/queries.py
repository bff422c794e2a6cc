from outreach.auth.models import User
from outreach.extensions import db


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
