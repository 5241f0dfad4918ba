from fastapi import WebSocket


async def websocket_endpoint(websocket: WebSocket, channel: str):
    await websocket.accept()
    await websocket.send_json({"channel": channel, "status": "subscribed"})
