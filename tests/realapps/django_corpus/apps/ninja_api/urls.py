from django.contrib import admin
from django.urls import path
from ninja import NinjaAPI, Router

api = NinjaAPI()
events = Router()


@api.get("/hello")
def hello(request, name: str = "world"):
    return f"Hello {name}"


@api.get("/items/{int:item_id}")
def get_item(request, item_id: int):
    return {"item_id": item_id}


@api.put("/items/{int:item_id}")
def update_item(request, item_id: int):
    return {"item_id": item_id}


@api.get("/items/{item_id}/tags/{path:tag}")
def item_tag(request, item_id: str, tag: str):
    return {"tag": tag}


@events.get("/")
def list_events(request):
    return []


@events.post("/")
def create_event(request):
    return {}


@events.get("/{event_id}")
def get_event(request, event_id: int):
    return {"id": event_id}


@events.delete("/{event_id}")
def delete_event(request, event_id: int):
    return {}


api.add_router("/events/", events)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
