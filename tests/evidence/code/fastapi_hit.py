# FastAPI routes: an untyped dict body, a raw request.json(), requests inside async def
from typing import Any

import requests
from fastapi import APIRouter, FastAPI, Request

app = FastAPI()
router = APIRouter()


@app.post("/items")
async def create_item(payload: dict):
    return payload


@router.put("/items/{item_id}")
async def update_item(item_id: int, request: Request):
    data = await request.json()
    return data


@router.post("/hooks")
def hook(body: dict[str, Any]):
    return body


@app.get("/weather")
async def weather():
    return requests.get("https://example.invalid/weather", timeout=5).json()
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
