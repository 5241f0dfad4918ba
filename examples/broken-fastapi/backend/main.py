import redis
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import pricing
from config import settings
from data.seed import load_materials

app = FastAPI(title="Quarry Exchange")
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
app.include_router(pricing.router, prefix="/api/v1")


@app.on_event("startup")
def seed():
    load_materials()


@app.get("/health")
def health():
    client = redis.from_url(settings.REDIS_URL)
    return {"redis": client.ping()}
