"""SQLAdmin on a FastAPI app, as its documentation sets it up (an in-memory SQLite
database, two models)."""

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String)


engine = create_engine("sqlite://")
Base.metadata.create_all(engine)

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


admin = Admin(app, engine)


class UserAdmin(ModelView, model=User):
    column_list = [User.id, User.name]


class AddressAdmin(ModelView, model=Address):
    column_list = [Address.id, Address.email]


admin.add_view(UserAdmin)
admin.add_view(AddressAdmin)
