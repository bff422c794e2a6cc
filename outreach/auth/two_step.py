"""Two-step sign-in: time-based one-time codes (RFC 6238, through pyotp) and recovery codes.

- The shared secret is sealed before it is stored (Fernet from `cryptography`, with a key
  derived from TWO_STEP_KEY or SECRET_KEY by HKDF), so a copied database or backup alone
  does not give away anyone's second factor. It is shown only while setting up.
- A code is accepted one time step (30 s) early or late, and never twice: the newest time
  step used is kept, and a code of that step or an earlier one is refused.
- Recovery codes are stored as argon2id hashes and each works once.
- Between the password and the code the session holds only a short-lived pending state;
  the user is signed in (outreach.auth.routes.start_session) once the code is right.
"""

import base64
import hmac
import logging
import re
import secrets
import time
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session
from markupsafe import Markup, escape
from pyotp.utils import strings_equal
from sqlalchemy.orm.attributes import set_committed_value

from outreach.auth.models import RecoveryCode, Role, User
from outreach.auth.passwords import hash_password, verify_password
from outreach.core.clock import utcnow
from outreach.extensions import db

log = logging.getLogger(__name__)

DIGITS = 6
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/i/l: easy to read from paper and type back in.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 10
PENDING_KEY = "two_step_pending"


def time_now() -> float:
    """Seconds since the epoch; tests replace it to move between time steps."""
    return time.time()


# --- The secret, sealed at rest ---------------------------------------------------------
# Sealed with Fernet (AES-128-CBC + HMAC-SHA256, encrypt-then-MAC, a fresh IV each time)
# from the maintained `cryptography` package rather than a construction of our own: the
# standard's rule is to use a well-kept library for this. The Fernet key is derived from
# TWO_STEP_KEY, else SECRET_KEY, with HKDF-SHA256 under a label of its own, so it differs
# from every other use of SECRET_KEY. The stored text is "f1:" + the Fernet token; the
# prefix names the scheme so that another can replace it later.
# A changed key makes the secrets unreadable on purpose (the users then sign in with a
# recovery code or get an admin reset). To change the key without that, move the old one
# to TWO_STEP_OLD_KEYS (comma-separated): those still open secrets, and each one is
# sealed again with the current key when its owner next uses a code.

_SEALED_PREFIX = "f1:"
_KEY_LABEL = b"tyopari two-step secret"


def _fernet_key(base: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL).derive(
        base.encode()
    )
    return base64.urlsafe_b64encode(key)


def _fernet() -> MultiFernet:
    """The current key first (it seals), then any old keys (they only open)."""
    config = current_app.config
    current = str(config.get("TWO_STEP_KEY") or config["SECRET_KEY"])
    old = [key.strip() for key in (config.get("TWO_STEP_OLD_KEYS") or "").split(",")]
    return MultiFernet([Fernet(_fernet_key(key)) for key in (current, *filter(None, old))])


def seal(secret: str) -> str:
    return _SEALED_PREFIX + _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def unseal(sealed: str | None) -> str | None:
    """The secret, or None when there is none, it was altered or no key configured opens it."""
    if not sealed or not sealed.startswith(_SEALED_PREFIX):
        return None
    try:
        return _fernet().decrypt(sealed[len(_SEALED_PREFIX):]).decode("ascii")
    except (InvalidToken, ValueError):  # ValueError: text that is not even base64 ASCII
        return None


def _seal_with_current_key(user: User) -> None:
    """While old keys are configured, seal the secret again with the current key after a
    right code, so that the old keys can be dropped later (the caller commits)."""
    if current_app.config.get("TWO_STEP_OLD_KEYS") and user.totp_secret:
        token = user.totp_secret[len(_SEALED_PREFIX):]
        user.totp_secret = _SEALED_PREFIX + _fernet().rotate(token).decode("ascii")


# --- Roles and state ---------------------------------------------------------------------


def required_for(user: User) -> bool:
    """Whether the configuration makes this user's role use two-step sign-in."""
    roles = current_app.config.get("TWO_STEP_REQUIRED_ROLES") or ()
    return Role(user.role).value in {Role(role).value for role in roles}


def setup_required(user: User) -> bool:
    return required_for(user) and not user.two_step_enabled


def start_setup(user: User) -> str:
    """The secret being set up: the one already started, else a new one (saved, not on)."""
    secret = unseal(user.totp_secret) if not user.two_step_enabled else None
    if secret is None:
        secret = pyotp.random_base32()  # 160 bits
        user.totp_secret = seal(secret)
        user.totp_last_counter = None
        db.session.commit()
    return secret


def enable(user: User) -> list[str]:
    """Turn two-step sign-in on (after a right code) and give out the first recovery codes."""
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def turn_off(user: User) -> None:
    """Back to password only: the secret, the used step and every recovery code go."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def grouped_secret(secret: str) -> str:
    """The key in groups of four, as authenticator apps show it when typed in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    issuer = current_app.config.get("TWO_STEP_ISSUER") or "Työpari"
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=issuer
    )


def qr_svg(uri: str, label: str) -> Markup:
    """The otpauth address as an inline SVG QR code: made here, no outside service."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(labelled)  # noqa: S704 - segno's own markup; the label is escaped


# --- Codes -------------------------------------------------------------------------------


def _digits(code: str | None) -> str:
    return re.sub(r"\s", "", code or "")


def _matching_step(user: User, code: str) -> int | None:
    code = _digits(code)
    if not re.fullmatch(rf"\d{{{DIGITS}}}", code):
        return None
    secret = unseal(user.totp_secret)
    if secret is None:
        if user.totp_secret:
            log.warning("Two-step secret of user %s cannot be opened (key changed?)", user.id)
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = totp.timecode(datetime.fromtimestamp(time_now(), UTC))
    last = user.totp_last_counter
    for step in (now_step - 1, now_step, now_step + 1):
        if last is not None and step <= last:
            continue
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def use_code(user: User, code: str | None) -> bool:
    """Accept a code from the app once; the caller commits."""
    step = _matching_step(user, code or "")
    if step is None:
        return False
    # Claimed in one statement: two requests with the same code cannot both get in.
    claimed = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_counter.is_(None), User.totp_last_counter < step),
        )
        .values(totp_last_counter=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    set_committed_value(user, "totp_last_counter", step)
    _seal_with_current_key(user)
    return True


def _recovery_form(code: str | None) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes in place of any earlier ones; shown once, kept hashed."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    return [format_recovery_code(code) for code in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def use_recovery_code(user: User, code: str | None) -> bool:
    """Accept an unused recovery code once; the caller commits."""
    code = _recovery_form(code)
    if not re.fullmatch(rf"[{RECOVERY_ALPHABET}]{{{RECOVERY_LENGTH}}}", code):
        return False
    unused = db.session.scalars(
        sa.select(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .order_by(RecoveryCode.id)
    )
    for recovery in unused:
        if verify_password(recovery.code_hash, code):
            claimed = db.session.execute(
                sa.update(RecoveryCode)
                .where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            return claimed == 1
    return False


def use_code_or_recovery_code(user: User, code: str | None) -> str | None:
    """"code" or "recovery" for what was accepted, None when neither was."""
    if use_code(user, code):
        return "code"
    if use_recovery_code(user, code):
        return "recovery"
    return None


# --- Between the password and the code -------------------------------------------------


def begin_pending(user: User, next_url: str | None) -> None:
    """After the right password: a fresh session that only remembers who is halfway in."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[PENDING_KEY] = {
        "user": user.id,
        # A sign-out everywhere, password reset or deactivation in between ends it too.
        "token": user.session_token,
        "at": time_now(),
        "next": next_url or "",
    }


def pending() -> dict | None:
    data = session.get(PENDING_KEY)
    return data if isinstance(data, dict) else None


def pending_user() -> User | None:
    """The user halfway through signing in, while the pending state is fresh and valid."""
    data = pending()
    if data is None:
        return None
    age = time_now() - float(data.get("at") or 0)
    if not 0 <= age <= current_app.config["TWO_STEP_PENDING_SECONDS"]:
        return None
    user = db.session.get(User, data.get("user"))
    if (
        user is None
        or not user.active
        or not user.two_step_enabled
        or not hmac.compare_digest(user.session_token, str(data.get("token") or ""))
    ):
        return None
    return user


def end_pending() -> None:
    session.pop(PENDING_KEY, None)
