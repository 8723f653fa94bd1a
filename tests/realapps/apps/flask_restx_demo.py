"""A flask-restx API in the style of its TodoMVC example: namespaces, resources, Swagger."""

from flask import Flask
from flask_restx import Api, Resource

app = Flask(__name__)
api = Api(app, version="1.0", title="Todo API", doc="/docs/")
todos = api.namespace("todos", description="TODO operations")
users = api.namespace("users", path="/api/users")


@todos.route("/")
class TodoList(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


@todos.route("/<int:id>")
class Todo(Resource):
    def get(self, id):
        return {}

    def put(self, id):
        return {}

    def delete(self, id):
        return "", 204


@users.route("/<string:username>")
@users.route("/by-id/<int:user_id>")
class UserItem(Resource):
    def get(self, username=None, user_id=None):
        return {}


@users.route("/me")
class Me(Resource):
    def get(self):
        return {}
