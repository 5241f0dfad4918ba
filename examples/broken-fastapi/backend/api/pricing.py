from fastapi import APIRouter

router = APIRouter(prefix="/pricing", tags=["pricing"])


@router.get("/{material_id}")
def get_price(material_id: int):
    return {"material_id": material_id, "price": None}


@router.post("/{material_id}")
def update_price(material_id: int, price: float):
    # TODO: Implement supplier authentication
    # TODO: Implement pricing update logic
    pass
