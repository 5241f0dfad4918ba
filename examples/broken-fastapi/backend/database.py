from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

from config import get_settings

engine = create_engine(get_settings().DATABASE_URL)
SessionLocal = sessionmaker(bind=engine)
Base = declarative_base()


class Material(Base):
    __tablename__ = "materials"

    id = Column(Integer, primary_key=True, index=True)
    name = Column(String(200), nullable=False)
    unit_price = Column(Numeric(10, 2), nullable=False)


class Supplier(Base):
    __tablename__ = "suppliers"

    id = Column(Integer, primary_key=True, index=True)
    name = Column(String(200), nullable=False)
    material_id = Column(Integer, ForeignKey("materials.id"))
