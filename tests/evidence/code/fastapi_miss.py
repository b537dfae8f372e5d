# Typed bodies, Depends() of a dict, and requests in a sync route (run in a thread pool by FastAPI)
import requests
from fastapi import Depends, FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str


def settings() -> dict:
    return {}


@app.post("/items")
async def create_item(item: Item, config: dict = Depends(settings)):
    return item


@app.get("/weather")
def weather():
    return requests.get("https://example.invalid/weather", timeout=5).json()
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
