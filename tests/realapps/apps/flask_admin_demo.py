"""Flask-Admin's stock setup: model views over SQLAlchemy models, a file admin, a custom view."""

import tempfile

from flask import Flask
from flask_admin import Admin, BaseView, expose
from flask_admin.contrib.fileadmin import FileAdmin
from flask_admin.contrib.sqla import ModelView
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SECRET_KEY"] = "corpus"
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120))


class Reports(BaseView):
    @expose("/")
    def index(self):
        return "reports"

    @expose("/<int:year>/")
    def year(self, year):
        return str(year)


@app.route("/")
def home():
    return "home"


admin = Admin(app, name="corpus")
admin.add_view(ModelView(User, db.session))
admin.add_view(ModelView(Post, db.session, category="Blog"))
admin.add_view(FileAdmin(tempfile.gettempdir(), "/files/", name="Files"))
admin.add_view(Reports(name="Reports", endpoint="reports"))
