extension HeraldConfiguration {
    /// The exact text of the shipped `etc/herald/herald.yaml`, used by `herald run` when no `--config` is given.
    ///
    /// Edit the YAML file and this copy together: a test compares them byte for byte.
    public static let embeddedDefaultYAML = #"""
        # Herald configuration — a working development default.
        #
        # Every key is optional: a key left out takes the default written beside it, and an empty file is the
        # defaults. Scalar keys can be overridden with HERALD_<SECTION>_<KEY> environment variables (named beside
        # each key); lists are set only in this file. auth.jwt_secret can also come from a systemd credential
        # (LoadCredential=jwt_secret:/etc/herald/jwt_secret). Precedence: this file < credential < environment.
        #
        # Check a file with `heraldctl check-config FILE`: it prints every problem with its key path.
        # Reference: docs/configuration.md.

        # WebSocket edge (herald-ws-edge): where clients connect.
        edge:
          # Address to bind when not socket-activated (systemd passes the socket otherwise): host:port, IPv6 as
          # [::1]:6001. Default "0.0.0.0:6001". Env: HERALD_EDGE_LISTEN.
          listen: "0.0.0.0:6001"
          # Origins allowed to open a WebSocket ("https://forum.example.com"); "*" allows any, and a "*" inside an
          # entry matches any run of characters ("https://*.example.com"). Default ["*"]. Not overridable by env.
          allowed_origins: ["*"]
          # Seconds between heartbeats sent to each client. Default 25. Env: HERALD_EDGE_HEARTBEAT_INTERVAL_SECONDS.
          heartbeat_interval_seconds: 25
          # Seconds to wait for a heartbeat answer before closing the connection. Default 20.
          # Env: HERALD_EDGE_HEARTBEAT_TIMEOUT_SECONDS.
          heartbeat_timeout_seconds: 20
          # Bytes that may wait unsent for one connection; a slower client is disconnected (slow-consumer cap).
          # Default 4194304 (4 MiB). Env: HERALD_EDGE_MAX_PENDING_BYTES_PER_CONNECTION.
          max_pending_bytes_per_connection: 4194304
          # Milliseconds a presence member stays after its user's last connection to the channel went (closed,
          # unsubscribed, or its edge died); a connection back within it produces neither a leave nor a second join.
          # The batcher keeps presence for all edges and applies it. Default 3000. Env: HERALD_EDGE_PRESENCE_GRACE_MS.
          presence_grace_ms: 3000

        # HTTP publish API (herald-ingress): where backends publish events.
        ingress:
          # Address to bind when not socket-activated. Keep it on loopback or a private network.
          # Default "127.0.0.1:6002". Env: HERALD_INGRESS_LISTEN.
          listen: "127.0.0.1:6002"
          # Largest request body accepted; larger requests get 413. Default 1048576 (1 MiB).
          # Env: HERALD_INGRESS_MAX_BODY_BYTES.
          max_body_bytes: 1048576
          # Accepted events kept until the pipeline settles them, for resending after a stage restarts; when
          # full, publishes get 503. Default 10000. Env: HERALD_INGRESS_RESEND_BUFFER_EVENTS.
          resend_buffer_events: 10000
          # Seconds a publish waits for the pipeline to take its event before answering 503. Default 10.
          # Env: HERALD_INGRESS_ACCEPT_TIMEOUT_SECONDS.
          accept_timeout_seconds: 10

        # Client authentication: JWTs, HS256 with a shared secret, or RS256/ES256 with public keys.
        auth:
          # Shared HS256 secret; may be null when public_keys is set. Use at least 32 random bytes in production,
          # preferably from a credential (LoadCredential=jwt_secret:/etc/herald/jwt_secret).
          # Default "change-me" (development only). Env: HERALD_AUTH_JWT_SECRET.
          jwt_secret: "change-me"
          # Required `iss` claim, or null to accept any issuer. Default null. Env: HERALD_AUTH_ISSUER.
          issuer: null
          # Required `aud` claim, or null to accept any audience. Default null. Env: HERALD_AUTH_AUDIENCE.
          audience: null
          # Seconds of clock skew tolerated on `exp` and `nbf`. Default 30. Env: HERALD_AUTH_LEEWAY_SECONDS.
          leeway_seconds: 30
          # PEM files holding RS256 (RSA, 2048+ bits) or ES256 (P-256) public keys. A key's kid is its file name
          # without extension (keys/app-2025.pem is "app-2025"): a token naming a kid is checked with that key only,
          # one without a kid with every key of its alg. Systemd credentials named *.pem are added to this list.
          # A token's alg must be one these keys (or jwt_secret, for HS256) have. Default []. Not overridable by env.
          public_keys: []
          # Role hierarchy, lowest first: a rule that admits a role admits every role after it.
          # Default [guest, member, senior_member, moderator, admin, super_admin]. Not overridable by env.
          roles: [guest, member, senior_member, moderator, admin, super_admin]
          # Backend authorization hook, asked about channels whose rule allows "hook" (conversation.{id}, room.{roomId},
          # and forums whose channels.required_roles entry is hook). Herald POSTs
          # {"user", "roles", "channel", "socket_id"} with Authorization: Bearer <secret>; 200 {"allow": true,
          # "info": {...}} allows, anything else (allow false, another status, no answer in time, a refused
          # connection, a body that is not JSON) denies. Answers, allow and deny, are cached per user, roles and
          # channel for cache_seconds; identical questions asked at once share one request. It is also asked whether a
          # room exists before an app's room event is published: {"user": null, "roles": [], "channel": "room.<id>",
          # "socket_id": null, "app": "<app id>"}; 2xx exists, 404 does not (ROOM_NOT_FOUND), anything else is
          # UNAVAILABLE. Without a hook every room exists. Not overridable by env.
          hook:
            # http:// or https:// URL, or null for no hook (then "hook" rules deny). Default null.
            url: null
            # Sent as the bearer token; null sends no Authorization header. Default null.
            secret: null
            # Milliseconds to wait for an answer, 1 to 60000. Default 2000.
            timeout_ms: 2000
            # Seconds an answer is reused, 0 (no cache) to 86400. Default 60.
            cache_seconds: 60

        # API keys for the publish API (Authorization: Bearer <key>). Scopes: publish (POST /api/broadcast,
        # /api/events), stats (GET /api/ws/stats). Default: the development key below. Not overridable by env.
        api_keys:
          - key: "dev-api-key"
            scopes: [publish, stats]

        # Apps: Pusher-protocol apps (/app/{key}, /apps/{id}/…) and room-event publishers (/api/rooms/{roomId}/events).
        #   id           app id, used in URLs and as the event prefix "<id>:"; letters, digits, "_" and "-"
        #   key          public key clients connect with
        #   secret       signs Pusher requests and authenticates room events (Bearer <secret>)
        #   permissions  what the app may do: realtime:publish lets it publish room events. Default [].
        #   webhooks     http(s) URLs that receive Pusher-format webhooks (channel_occupied, member_added, …),
        #                signed with the app's secret; retried, batched and bounded as docs/webhooks.md says.
        #                Default [].
        #   rpc          client events that are calls to the app's backend (docs/socketio.md, "RPC"): an event named
        #                in rpc.events, sent by a client on room.{roomId}, is not delivered to the room; the
        #                authorizer POSTs {"event","data","room","user":{"id","roles","name"},"socket_id"} to rpc.url
        #                with X-Herald-Signature (hex HMAC-SHA256 of the body with the secret), and a 200 JSON answer
        #                becomes the client's acknowledgement.
        #     url          http(s) URL that answers the calls; null: the app takes none. Default null.
        #     events       event names that are calls; the first app naming an event takes it. Default [].
        #     timeout_ms   milliseconds to wait for an answer before acknowledging UNAVAILABLE, 1 to 60000.
        #                  Default 3000.
        # Default: the lottery app below. Not overridable by env.
        apps:
          - id: "lottery"
            key: "lottery-key"
            secret: "lottery-secret"
            permissions: ["realtime:publish"]
            webhooks: []
            rpc: {url: null, events: [], timeout_ms: 3000}

        # Channel subscription rules, checked in order before the built-in rules below; the first matching rule
        # decides. A channel no rule matches, configured or built in, is refused (PERMISSION_DENIED). Channel names
        # outside the grammar (1-200 of A-Z a-z 0-9 _ . : @ = , - and "#" only in "#server-to-user-") are refused
        # before any rule.
        #   pattern  channel name; "*" matches one or more of any character, "{id}" one dot-free segment
        #   allow    who may subscribe; any one entry admits:
        #              a role name: that role, and every role above it when it is in auth.roles
        #              anyone         every connection, signed in or not (the only word that admits anonymous
        #                             Pusher connections)
        #              self           the user whose id is the pattern's {id} or {userId}
        #              hook           the backend authorization hook (auth.hook) decides
        #              token          the connection token's channels claim lists the channel (exact, or a prefix
        #                             ending in ".*"), or the subscribe carries a subscription token for it
        #              required_role  channels.required_roles below: its role or above; every signed-in user when
        #                             the channel has no entry; the hook when the entry is hook
        #            words joined by "+" must all hold: seller+self
        # Example:
        #   rules:
        #     - {pattern: "staff.*", allow: [moderator]}
        #     - {pattern: "team.{id}", allow: [self, admin]}
        # Built-in rules, checked after yours (docs/configuration.md):
        #   - {pattern: "user.{id}", allow: [self]}
        #   - {pattern: "user.{id}.messages", allow: [self]}
        #   - {pattern: "user.{id}.orders", allow: [self]}
        #   - {pattern: "user.{id}.following", allow: [self]}
        #   - {pattern: "private-user.{id}", allow: [self]}
        #   - {pattern: "following.{id}", allow: [self]}
        #   - {pattern: "thread.{id}", allow: [required_role]}
        #   - {pattern: "forum.{id}", allow: [required_role]}
        #   - {pattern: "presence-thread.{id}", allow: [required_role]}
        #   - {pattern: "marketplace.global", allow: [anyone]}
        #   - {pattern: "product.{id}", allow: [anyone]}
        #   - {pattern: "showcase.{id}", allow: [anyone]}
        #   - {pattern: "public.*", allow: [anyone]}
        #   - {pattern: "products", allow: [anyone]}
        #   - {pattern: "conversation.{id}", allow: [token, hook]}
        #   - {pattern: "room.{roomId}", allow: [token, hook]}
        #   - {pattern: "admin.notifications", allow: [admin]}
        #   - {pattern: "moderator.reports", allow: [moderator]}
        #   - {pattern: "seller.{id}", allow: [seller+self]}
        #   - {pattern: "orders", allow: [admin, manager, staff, customer]}
        #   - {pattern: "payments", allow: [admin, manager, staff, customer]}
        #   - {pattern: "customers", allow: [admin, manager, staff]}
        #   - {pattern: "inventory", allow: [admin, manager, staff]}
        #   - {pattern: "system", allow: [admin]}
        # Default [] (only the built-in rules). Not overridable by env.
        channels:
          rules: []
          # The lowest role that may subscribe to a forum channel (thread.{id}, forum.{id}, presence-thread.{id}),
          # by exact channel name: a role of auth.roles, or hook. A channel with no entry is open to every signed-in
          # user. Example: {"forum.7": moderator, "thread.12": senior_member, "forum.9": hook}.
          # Default {}. Not overridable by env.
          required_roles: {}
          # Which events clients may send on which channels (native publish, Socket.IO emits outside its vocabulary,
          # Pusher client- events). The first rule whose channel pattern matches decides, and the event name must
          # match one of its events; an event on a channel no rule matches is refused (PERMISSION_DENIED). "*"
          # matches any run of characters. Client events reach the channel's other subscribers, never the sender.
          # Default: the list below. Not overridable by env.
          client_events:
            - {channel: "thread.*", events: ["forum.typing.*"]}
            - {channel: "conversation.*", events: ["messaging.typing.*"]}
            - {channel: "presence-*", events: ["client-*"]}
            - {channel: "private-*", events: ["client-*"]}

        # Event handling.
        events:
          # Priority of events published without one, first matching pattern wins ("*" matches any run of
          # characters); unmatched events are medium. high goes out at once, medium and low wait for the batcher's
          # windows. Default: the list below. Not overridable by env.
          priorities:
            - {pattern: "messaging.*", priority: high}
            - {pattern: "*.status_changed", priority: high}
            - {pattern: "notification.security.alert", priority: high}
            - {pattern: "user.status.online", priority: high}
            - {pattern: "*typing*", priority: high}
            - {pattern: "*.view_count_updated", priority: low}
            - {pattern: "user.activity.feed_updated", priority: low}
            - {pattern: "*.stats_updated", priority: low}
          # Events of the same name (pattern) whose data carries the same value under `key` replace each other
          # inside one batching window: only the latest goes out. Default: the rule below. Not overridable by env.
          coalescing:
            - {event: "forum.thread.view_count_updated", key: "thread_id"}
          # Who receives events on the channels of audience_channels, by event name: the first rule whose pattern
          # matches wins; an unmatched event goes to every subscriber. A connection is admitted by holding one of
          # `roles` (left out: everyone), or by being the owner: the user whose id equals the value of the data field
          # `owner_field` (a string or an integer; "customerId": 123 matches user "123"). `owner_roles` are the roles
          # an owner holds: a publisher's own `roles` option keeps the owner only when it names one of them.
          # `target_roles_field` names a data field that may list more roles to receive the event (a value that is not
          # a list of strings adds none).
          # The publisher's audience options (roles, user_ids, exclude_user_ids, socket_id) narrow further.
          # Default: the access matrix below. Not overridable by env.
          audiences:
            - {pattern: "order:*", roles: [admin, manager, staff], owner_field: customerId, owner_roles: [customer]}
            - {pattern: "customer:*", roles: [admin, manager, staff]}
            - {pattern: "product:*"}
            - {pattern: "inventory:*", roles: [admin, manager, staff]}
            - {pattern: "payment:*", roles: [admin, manager], owner_field: customerId, owner_roles: [customer]}
            - {pattern: "system:*", roles: [admin], target_roles_field: targetRoles}
          # The channels (patterns, "*" matches any run of characters) whose events `audiences` decides; an event that
          # names any of them is narrowed on all its channels. Default: the namespace channels below. Not overridable
          # by env.
          audience_channels: [orders, customers, inventory, payments, system]
          # Events Herald publishes itself when a user holding `role` comes online (its first connection on any edge)
          # and goes offline (its last connection gone for edge.presence_grace_ms): `online` / `offline` on `channel`,
          # with data {<id_field>: "<user id>", "isOnline": true|false, "lastSeen": <ms since the epoch>} and the
          # audience `audiences` gives them. Default: the seed's customer status events below. Not overridable by env.
          online_events:
            - {role: customer, channel: customers, online: "customer:online", offline: "customer:offline", id_field: customerId}

        # Rate and size limits. 0 means unlimited.
        limits:
          # Events a client may send per minute, per connection (at the edge) and per user across connections (in the
          # authorizer). Default 100. Env: HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE.
          client_events_per_minute: 100
          # Events published to one channel per minute, kept by the authorizer; over it, publishers get 429 with
          # Retry-After. Default 1000. Env: HERALD_LIMITS_CHANNEL_EVENTS_PER_MINUTE.
          channel_events_per_minute: 1000
          # Events published in total per minute, kept by the authorizer (429 with Retry-After). Default 10000.
          # Env: HERALD_LIMITS_GLOBAL_EVENTS_PER_MINUTE.
          global_events_per_minute: 10000
          # Room events an app may publish per second to one room (POST /api/rooms/{roomId}/events), kept by ingress
          # (429 with Retry-After). Default 10. Env: HERALD_LIMITS_APP_EVENTS_PER_SECOND_PER_ROOM.
          app_events_per_second_per_room: 10
          # Events an app may publish per minute, room events and the Pusher HTTP API's together, kept by the
          # authorizer (429 with Retry-After). Default 600. Env: HERALD_LIMITS_APP_EVENTS_PER_MINUTE.
          app_events_per_minute: 600
          # Simultaneous connections per user, across all edges. Default 5. Env: HERALD_LIMITS_CONNECTIONS_PER_USER.
          connections_per_user: 5
          # Simultaneous connections per edge instance. Default 10000. Env: HERALD_LIMITS_CONNECTIONS_PER_EDGE.
          connections_per_edge: 10000
          # Connection attempts per client IP per minute, at each edge. Default 10.
          # Env: HERALD_LIMITS_CONNECTION_ATTEMPTS_PER_IP_PER_MINUTE.
          connection_attempts_per_ip_per_minute: 10
          # Largest message a client may send, in bytes. Default 1048576 (1 MiB). Env: HERALD_LIMITS_MAX_MESSAGE_BYTES.
          max_message_bytes: 1048576

        # Batching and history (herald-batcher).
        batcher:
          # Milliseconds medium-priority events are gathered before a flush. Default 2000.
          # Env: HERALD_BATCHER_MEDIUM_WINDOW_MS.
          medium_window_ms: 2000
          # Milliseconds low-priority events are gathered before a flush. Default 10000.
          # Env: HERALD_BATCHER_LOW_WINDOW_MS.
          low_window_ms: 10000
          # A window holding this many events is flushed early. Default 1000. Env: HERALD_BATCHER_MAX_WINDOW_EVENTS.
          max_window_events: 1000
          # Events kept per channel for reconnecting clients to recover; 0 keeps none. Default 100.
          # Env: HERALD_BATCHER_HISTORY_EVENTS.
          history_events: 100
          # Seconds an event stays in a channel's history. Default 600. Env: HERALD_BATCHER_HISTORY_SECONDS.
          history_seconds: 600
          # Channels that keep more or less history: the first rule whose channel pattern ("*" matches any run of
          # characters) matches wins; events and seconds default to the two keys above. Default none.
          # Not overridable by env. Example: - {channel: "conversation.*", events: 1000, seconds: 86400}
          channel_history: []

        # Where channel state lives: memory (one host) or redis (several hosts share it).
        engine:
          # memory or redis. Default memory. Env: HERALD_ENGINE_TYPE.
          type: memory
          # Redis URL (redis://host:port[/db] or rediss:// for TLS); required when type is redis. Default null.
          # Env: HERALD_ENGINE_URL.
          url: null

        """#
}
