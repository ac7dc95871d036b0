"""The seed access matrix through all four real daemons: each subscriber of the namespace channels receives
exactly the events its role, or its ownership, admits. Absence is proven by a final marker event everyone
receives: events on one channel arrive in order, so once the marker is in, nothing else is coming."""

PRINCIPALS = {
    "admin": ("1", "admin"),
    "manager": ("2", "manager"),
    "staff": ("3", "staff"),
    "owner": ("123", "customer"),
    "other": ("456", "customer"),
}

# (event, data, who receives it on `orders`)
ORDER_EVENTS = [
    ("order:created", {"orderId": 9, "customerId": 123}, {"admin", "manager", "staff", "owner"}),
    ("order:shipped", {"orderId": 9, "customerId": "456"}, {"admin", "manager", "staff", "other"}),
    ("customer:updated", {"customerId": 123}, {"admin", "manager", "staff"}),
    ("product:updated", {"productId": 5}, {"admin", "manager", "staff", "owner", "other"}),
    ("inventory:low", {"sku": "TSHIRT-M"}, {"admin", "manager", "staff"}),
    ("payment:captured", {"customerId": 123, "amount": 10}, {"admin", "manager", "owner"}),
    ("system:maintenance", {"at": "02:00"}, {"admin"}),
    ("system:maintenance", {"targetRoles": ["customer"]}, {"admin", "owner", "other"}),
]


def received_names(client, channel, marker_id):
    assert client.wait_for(lambda events: any(e["id"] == marker_id for e in events)), "marker never arrived"
    return [(e["event"], e["id"]) for e in client.events if e["channel"] == channel and e["id"] != marker_id]


def test_each_subscriber_receives_exactly_its_events(herald):
    clients = {}
    for who, (sub, role) in PRINCIPALS.items():
        client = herald.client(herald.token(sub, role=role))
        assert client.command("subscribe", channel="orders")["ok"] is True, who
        clients[who] = client

    expected = {who: [] for who in clients}
    for name, data, audience in ORDER_EVENTS:
        answer = herald.broadcast({"channel": "orders", "event": name, "data": data, "priority": "high"})
        assert answer.status_code == 202, answer.text
        for who in audience:
            expected[who].append((name, answer.json()["id"]))

    marker = herald.broadcast({"channel": "orders", "event": "product:marker", "data": {}, "priority": "high"})
    assert marker.status_code == 202, marker.text
    for who, client in clients.items():
        assert received_names(client, "orders", marker.json()["id"]) == expected[who], who
        client.close()


def test_publisher_options_narrow_the_matrix(herald):
    clients = {}
    for who, (sub, role) in PRINCIPALS.items():
        client = herald.client(herald.token(sub, role=role))
        assert client.command("subscribe", channel="orders")["ok"] is True, who
        clients[who] = client

    to_customers = herald.broadcast({
        "channel": "orders", "event": "order:created", "data": {"customerId": 123}, "roles": ["customer"],
        "priority": "high",
    })
    not_manager = herald.broadcast({
        "channel": "orders", "event": "payment:captured", "data": {"customerId": 123},
        "exclude_user_ids": ["2"], "priority": "high",
    })
    assert to_customers.status_code == 202 and not_manager.status_code == 202
    marker = herald.broadcast({"channel": "orders", "event": "product:marker", "data": {}, "priority": "high"})
    expected = {
        "admin": [("payment:captured", not_manager.json()["id"])],
        "manager": [],
        "staff": [],
        "owner": [("order:created", to_customers.json()["id"]), ("payment:captured", not_manager.json()["id"])],
        "other": [],
    }
    for who, client in clients.items():
        assert received_names(client, "orders", marker.json()["id"]) == expected[who], who
        client.close()


def test_system_channel_goes_to_admins(herald):
    admin = herald.client(herald.token("1", role="admin"))
    assert admin.command("subscribe", channel="system")["ok"] is True
    staff = herald.client(herald.token("3", role="staff"))
    assert staff.command("subscribe", channel="system")["ok"] is False

    plain = herald.broadcast({"channel": "system", "event": "system:maintenance", "data": {}, "priority": "high"})
    targeted = herald.broadcast({
        "channel": "system", "event": "system:maintenance", "data": {"targetRoles": ["staff"]}, "priority": "high",
    })
    marker = herald.broadcast({"channel": "system", "event": "product:marker", "data": {}, "priority": "high"})
    assert received_names(admin, "system", marker.json()["id"]) == [
        ("system:maintenance", plain.json()["id"]), ("system:maintenance", targeted.json()["id"]),
    ]
    admin.close()
    staff.close()
