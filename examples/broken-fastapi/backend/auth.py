from datetime import datetime, timedelta

from jose import jwt
from passlib.context import CryptContext

from config import get_settings

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")


def hash_password(password: str) -> str:
    return pwd_context.hash(password)


def create_token(subject: str) -> str:
    expires = datetime.utcnow() + timedelta(hours=1)
    return jwt.encode({"sub": subject, "exp": expires}, get_settings().JWT_SECRET_KEY)


def api_key_valid(key: str) -> bool:
    valid_api_keys = os.getenv("API_KEYS", "").split(",")
    return key in valid_api_keys


if __name__ == "__main__":
    import os

    print(hash_password(os.environ.get("PASSWORD", "")))
