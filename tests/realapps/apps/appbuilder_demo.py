"""Flask-AppBuilder's quick-start app: security views, a model view, a REST API."""

from flask import Flask
from flask_appbuilder import AppBuilder, Model, ModelRestApi, ModelView
from flask_appbuilder.models.sqla.base import SQLA
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import Column, Integer, String

app = Flask(__name__)
app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="corpus", CSRF_ENABLED=True,
                  FAB_API_SWAGGER_UI=True)
db = SQLA(app)


class Contact(Model):
    __tablename__ = "contact"
    id = Column(Integer, primary_key=True)
    name = Column(String(150), unique=True, nullable=False)


with app.app_context():
    appbuilder = AppBuilder(app, db.session)

    class ContactView(ModelView):
        datamodel = SQLAInterface(Contact)

    class ContactApi(ModelRestApi):
        datamodel = SQLAInterface(Contact)

    appbuilder.add_view(ContactView, "Contacts", category="Contacts")
    appbuilder.add_api(ContactApi)
