"""The event types (DESIGN §3): the values ``events.event_type`` takes and ``--type`` accepts."""

EVENT_TYPES: tuple[str, ...] = (
    "ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance",
    "product_launch", "contract", "partnership", "regulatory_action", "export_control",
    "stock_move", "management_commentary", "merger_acquisition", "investment", "legal", "other",
)
