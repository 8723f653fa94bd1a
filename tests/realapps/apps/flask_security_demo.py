"""Flask-Security's quick-start app: SQLAlchemy user and role models, every optional view
switched on (registration, confirmation, recovery, passwordless, two-factor, WebAuthn...)."""

from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore, hash_password  # noqa: F401
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config.update(
    SECRET_KEY="corpus", SECURITY_PASSWORD_SALT="corpus", SQLALCHEMY_DATABASE_URI="sqlite://",
    SECURITY_REGISTERABLE=True, SECURITY_CONFIRMABLE=True, SECURITY_RECOVERABLE=True,
    SECURITY_CHANGEABLE=True, SECURITY_CHANGE_EMAIL=True, SECURITY_PASSWORDLESS=False,
    SECURITY_TWO_FACTOR=True, SECURITY_UNIFIED_SIGNIN=True,
    SECURITY_US_ENABLED_METHODS=["password", "email", "authenticator"],
    SECURITY_WEBAUTHN=True, SECURITY_MULTI_FACTOR_RECOVERY_CODES=True,
    SECURITY_TWO_FACTOR_ENABLED_METHODS=["email", "authenticator"],
    SECURITY_TOTP_ISSUER="corpus", SECURITY_TOTP_SECRETS={"1": "TjQ9Qa31VOrfEzuPy4VHQWPCTmRzCnFzMKLxXYiZu9B"},
)
db = SQLAlchemy(app)
fsqla.FsModels.set_db_info(db)


class Role(db.Model, fsqla.FsRoleMixin):
    pass


class User(db.Model, fsqla.FsUserMixin):
    pass


class WebAuthn(db.Model, fsqla.FsWebAuthnMixin):
    pass


security = Security(app, SQLAlchemyUserDatastore(db, User, Role, WebAuthn))


@app.route("/")
def home():
    return "home"
