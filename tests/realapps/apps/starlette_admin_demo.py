"""starlette-admin on a Starlette app, as its documentation sets it up (an in-memory
SQLite database, two models)."""

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette_admin.contrib.sqla import Admin, ModelView

Base = declarative_base()


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(Integer, ForeignKey("posts.id"))
    body = Column(String)


engine = create_engine("sqlite://")
Base.metadata.create_all(engine)


async def homepage(request):
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/", homepage)])

admin = Admin(engine, title="Example: SQLAlchemy")
admin.add_view(ModelView(Post))
admin.add_view(ModelView(Comment))
admin.mount_to(app)
