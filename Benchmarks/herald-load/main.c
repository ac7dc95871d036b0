/* herald-load: a one-process WebSocket load generator for Herald (and Nchan, for comparison).
 *
 * It opens many WebSocket connections over loopback (epoll, non-blocking sockets), speaking Herald's native
 * protocol, Socket.IO v4 (Engine.IO 4, WebSocket transport only), the Pusher protocol 7 or Nchan's; measures
 * each one's setup (TCP connect start → subscribe acknowledged), optionally holds them idle, then publishes events
 * over HTTP keep-alive connections at a fixed rate or in a closed loop and measures end-to-end latency
 * from the CLOCK_MONOTONIC timestamp each event carries. Every phase is bounded and a hard deadline
 * aborts the run. One JSON object goes to stdout at the end; progress lines go to stderr.
 *
 * Usage: herald-load --help
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hist.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define READ_BUF (4 * 1024 * 1024)
#define MAX_FRAME (READ_BUF / 2) /* a kept partial frame plus one read must fit in READ_BUF */
#define STALE_EVENT_NS (5ull * 1000000000ull) /* closed loop: an event not complete after this is given up */

/* ---- options ---------------------------------------------------------------------------------- */

enum protocol { PROTO_NATIVE, PROTO_NCHAN, PROTO_SOCKETIO, PROTO_PUSHER };
static const char *const proto_names[] = {"native", "nchan", "socketio", "pusher"};

/* The WebSocket path of each protocol when --ws-path is not given. The Pusher key is the development app of
 * Herald's default configuration (apps: lottery); the query is what pusher-js sends. */
static const char *const default_ws_paths[] = {
    "/ws?token={token}",
    "/ws?token={token}",
    "/socket.io/?EIO=4&transport=websocket",
    "/app/lottery-key?protocol=7&client=js&version=8.4.0&flash=false",
};

static struct {
    enum protocol proto;
    char host[64];
    int ws_port;
    const char *ws_path;      /* template: {token}, {channel}; NULL: the protocol's default */
    const char *tokens_file;
    int conns;
    int concurrency;
    int channels;
    const char *channel_fmt;  /* printf format taking the channel index */
    int src_addrs;
    double setup_timeout;
    double hold;
    int pub_port;
    const char *pub_path;     /* template: {channel} */
    const char *pub_auth;     /* Authorization header value, or NULL */
    int pub_conns;
    double rate;              /* events per second, fixed rate */
    int outstanding;          /* closed loop: events in flight */
    double duration;
    long max_events;
    double drain;
    double deadline;
    int verbose;
} opt = {
    .proto = PROTO_NATIVE,
    .host = "127.0.0.1",
    .ws_port = 6001,
    .conns = 100,
    .concurrency = 256,
    .channels = 1,
    .channel_fmt = "public.bench.%d",
    .src_addrs = 1,
    .setup_timeout = 60,
    .pub_port = 6002,
    .pub_path = "/api/broadcast",
    .pub_auth = "Bearer dev-api-key",
    .pub_conns = 4,
    .duration = 0,
    .max_events = 0,
    .drain = 5,
};

/* ---- clock, logging ---------------------------------------------------------------------------- */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void logf_(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "herald-load: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "herald-load: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    printf("{\"error\":\"setup failed, see stderr\"}\n");
    exit(2);
}

static void on_deadline(int sig) {
    (void)sig;
    static const char msg[] = "{\"error\":\"hard deadline reached; run aborted\"}\n";
    static const char log[] = "herald-load: hard deadline reached; aborting\n";
    ssize_t ignored = write(1, msg, sizeof msg - 1);
    ignored = write(2, log, sizeof log - 1);
    (void)ignored;
    _exit(3);
}

/* ---- connections -------------------------------------------------------------------------------- */

/* WS_WELCOME: waiting for the server's first message (native `connected`, the Engine.IO handshake, Pusher's
 * `connection_established`); WS_JOIN: Socket.IO only, waiting for the answer to CONNECT; WS_ACK: waiting for
 * the subscribe to be acknowledged. */
enum ws_state { WS_NEW, WS_CONNECTING, WS_UPGRADING, WS_WELCOME, WS_JOIN, WS_ACK, WS_READY, WS_DONE };
enum kind { KIND_WS, KIND_PUB };

typedef struct {
    char *data;
    uint32_t len, cap;
} buf_t;

typedef struct {
    uint8_t kind;
    uint8_t state;
    int fd;
    int channel;
    uint64_t started;
    buf_t in;   /* bytes of an incomplete frame or header, kept between reads */
    buf_t out;  /* bytes a write could not take yet */
} ws_conn;

typedef struct {
    uint8_t kind;
    int fd;
    int connected;
    int busy;       /* a request is in flight */
    uint64_t seq;   /* its event */
    uint64_t sent;
    buf_t in;
    buf_t out;
} pub_conn;

typedef struct {
    int32_t remaining;  /* deliveries still expected */
    uint8_t state;      /* 0 unsent, 1 sent, 2 accepted, 3 refused */
    uint64_t sent;
} event_slot;

static ws_conn *conns;
static pub_conn *pubs;
static char **tokens;
static int ntokens;
static int *subscribers; /* established connections per channel */
static int epfd;
static char *rbuf;
static struct sockaddr_in ws_addr, pub_addr;

static struct {
    int in_progress, started, established, failed;
    int fail_connect, fail_status, fail_closed, fail_refused, fail_timeout;
    int closed_after_setup;
    uint64_t setup_first, setup_last;
    hist_t setup_hist;
    char first_error[256];

    uint64_t published, accepted, refused, pub_errors;
    uint64_t expected, delivered, duplicates, unknown;
    uint64_t pings, first_delivery, last_delivery, pub_start, pub_end;
    hist_t latency, pub_ack;
    event_slot *events;
    uint64_t events_cap;
    uint64_t oldest_open; /* closed loop window start */
    uint64_t completed;
} st;

static void note_error(const char *fmt, ...) {
    if (st.first_error[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st.first_error, sizeof st.first_error, fmt, ap);
    va_end(ap);
    for (char *p = st.first_error; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = ' ';
}

static void buf_append(buf_t *b, const char *data, size_t len) {
    if (b->len + len > b->cap) {
        uint32_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) die("out of memory");
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += (uint32_t)len;
}

static void buf_release(buf_t *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static void ep_ctl(int op, int fd, uint32_t events, void *ptr) {
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    if (epoll_ctl(epfd, op, fd, &ev) < 0 && op != EPOLL_CTL_DEL) die("epoll_ctl: %s", strerror(errno));
}

/* Writes what the socket takes; keeps the rest in `out` and asks for EPOLLOUT. Returns -1 on error. */
static int send_bytes(int fd, buf_t *out, void *owner, const char *data, size_t len) {
    if (out->len == 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            n = 0;
        }
        if ((size_t)n == len) return 0;
        data += n;
        len -= (size_t)n;
        buf_append(out, data, len);
        ep_ctl(EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLOUT, owner);
        return 0;
    }
    buf_append(out, data, len);
    return 0;
}

static int flush_out(int fd, buf_t *out, void *owner) {
    while (out->len) {
        ssize_t n = send(fd, out->data, out->len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
            return -1;
        }
        memmove(out->data, out->data + n, out->len - (size_t)n);
        out->len -= (uint32_t)n;
    }
    ep_ctl(EPOLL_CTL_MOD, fd, EPOLLIN, owner);
    return 0;
}

/* ---- WebSocket client ---------------------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rng32(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* One masked client frame (RFC 6455 §5.3). */
static int ws_send(ws_conn *c, int opcode, const char *payload, size_t len) {
    char frame[16 + 1024];
    if (len > 1024) return -1;
    size_t h = 0;
    frame[h++] = (char)(0x80 | opcode);
    if (len < 126) {
        frame[h++] = (char)(0x80 | len);
    } else {
        frame[h++] = (char)(0x80 | 126);
        frame[h++] = (char)(len >> 8);
        frame[h++] = (char)(len & 0xff);
    }
    uint32_t key = rng32();
    unsigned char mask[4];
    memcpy(mask, &key, 4);
    memcpy(frame + h, mask, 4);
    h += 4;
    for (size_t i = 0; i < len; i++) frame[h + i] = (char)(payload[i] ^ mask[i & 3]);
    return send_bytes(c->fd, &c->out, c, frame, h + len);
}

static void channel_name(int index, char *out, size_t cap) {
    snprintf(out, cap, opt.channel_fmt, index);
}

/* Expands {token} and {channel} in a path template. */
static void expand(const char *tpl, const char *token, const char *channel, char *out, size_t cap) {
    size_t o = 0;
    for (const char *p = tpl; *p && o + 1 < cap;) {
        const char *sub = NULL;
        size_t skip = 0;
        if (!strncmp(p, "{token}", 7)) sub = token ? token : "", skip = 7;
        else if (!strncmp(p, "{channel}", 9)) sub = channel, skip = 9;
        if (sub) {
            size_t n = strlen(sub);
            if (o + n >= cap) n = cap - o - 1;
            memcpy(out + o, sub, n);
            o += n;
            p += skip;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

static void ws_close(ws_conn *c) {
    if (c->fd >= 0) {
        ep_ctl(EPOLL_CTL_DEL, c->fd, 0, NULL);
        struct linger lg = {1, 0}; /* reset, so no TIME_WAIT holds the port for the next run */
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(c->fd);
        c->fd = -1;
    }
    buf_release(&c->in);
    buf_release(&c->out);
}

static void setup_failed(ws_conn *c, int *reason) {
    (*reason)++;
    st.failed++;
    st.in_progress--;
    c->state = WS_DONE;
    ws_close(c);
}

static void setup_complete(ws_conn *c) {
    uint64_t t = now_ns();
    hist_record(&st.setup_hist, t - c->started);
    if (!st.setup_last || t > st.setup_last) st.setup_last = t;
    c->state = WS_READY;
    st.established++;
    st.in_progress--;
    subscribers[c->channel]++;
}

static void ws_start(int index) {
    ws_conn *c = &conns[index];
    c->kind = KIND_WS;
    c->channel = index % opt.channels;
    c->started = now_ns();
    if (!st.setup_first) st.setup_first = c->started;
    st.started++;
    st.in_progress++;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        note_error("socket: %s", strerror(errno));
        c->fd = -1;
        setup_failed(c, &st.fail_connect);
        return;
    }
    c->fd = fd;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (opt.src_addrs > 1) {
        /* Several loopback source addresses multiply the ephemeral ports available to one target. */
        struct sockaddr_in src = {.sin_family = AF_INET};
        src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(index % opt.src_addrs));
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
            note_error("bind source address: %s", strerror(errno));
            setup_failed(c, &st.fail_connect);
            return;
        }
    }
    c->state = WS_CONNECTING;
    if (connect(fd, (struct sockaddr *)&ws_addr, sizeof ws_addr) < 0 && errno != EINPROGRESS) {
        note_error("connect: %s", strerror(errno));
        setup_failed(c, &st.fail_connect);
        return;
    }
    ep_ctl(EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLOUT, c);
}

static void ws_send_upgrade(ws_conn *c, int index) {
    char channel[256], path[4096], req[4608];
    channel_name(c->channel, channel, sizeof channel);
    expand(opt.ws_path, ntokens ? tokens[index % ntokens] : NULL, channel, path, sizeof path);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Origin: http://127.0.0.1\r\n\r\n",
                     path, opt.host, opt.ws_port);
    c->state = WS_UPGRADING;
    if (send_bytes(c->fd, &c->out, c, req, (size_t)n) < 0) {
        note_error("send upgrade: %s", strerror(errno));
        setup_failed(c, &st.fail_connect);
    }
}

static void event_grow(uint64_t seq) {
    if (seq < st.events_cap) return;
    uint64_t cap = st.events_cap ? st.events_cap * 2 : 65536;
    while (cap <= seq) cap *= 2;
    st.events = realloc(st.events, cap * sizeof *st.events);
    if (!st.events) die("out of memory");
    memset(st.events + st.events_cap, 0, (cap - st.events_cap) * sizeof *st.events);
    st.events_cap = cap;
}

/* After `"key":` at p, or `\"key\":` (the same JSON escaped inside a string, as Pusher sends `data`), returns
 * the position after the colon; NULL when p holds neither. */
static const char *json_key(const char *p, const char *end, char key) {
    if (p < end && *p == '\\') p++;
    if (end - p < 2 || p[0] != '"' || p[1] != key) return NULL;
    p += 2;
    if (p < end && *p == '\\') p++;
    if (end - p < 2 || p[0] != '"' || p[1] != ':') return NULL;
    return p + 2;
}

static const char *json_digits(const char *p, const char *end, uint64_t *value) {
    const char *start = p;
    uint64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9' && p - start < 20) v = v * 10 + (uint64_t)(*p++ - '0');
    *value = v;
    return p > start ? p : NULL;
}

/* The next {"t":<ns>,"n":<seq>} in [*pos, end), plain or escaped inside a string; advances *pos past it.
 * Returns 0 when there is none. It finds the publisher's data in a native event and each event of a batch,
 * Nchan's raw body, a Socket.IO EVENT's first argument and the string `data` of a Pusher event. */
static int next_delivery(const char **pos, const char *end, uint64_t *stamp, uint64_t *seq) {
    const char *p = *pos;
    while (p < end) {
        const char *brace = memchr(p, '{', (size_t)(end - p));
        if (!brace) break;
        p = brace + 1;
        const char *q = json_key(p, end, 't');
        if (!q || !(q = json_digits(q, end, stamp))) continue;
        if (q >= end || *q != ',') continue;
        const char *r = json_key(q + 1, end, 'n');
        if (!r || !(r = json_digits(r, end, seq))) continue;
        *pos = r;
        return 1;
    }
    *pos = end;
    return 0;
}

static void scan_deliveries(const char *p, size_t len, uint64_t t) {
    const char *end = p + len;
    uint64_t stamp, seq;
    while (next_delivery(&p, end, &stamp, &seq)) {
        if (seq < st.events_cap && st.events[seq].state) {
            event_slot *e = &st.events[seq];
            if (e->remaining > 0) {
                e->remaining--;
                st.delivered++;
                if (e->remaining == 0) st.completed++;
                hist_record(&st.latency, t > stamp ? t - stamp : 0);
                if (!st.first_delivery) st.first_delivery = t;
                st.last_delivery = t;
            } else {
                st.duplicates++;
            }
        } else {
            st.unknown++;
        }
    }
}

static void ws_lost(ws_conn *c, const char *why);

#define HAS(p, len, lit) (memmem((p), (len), (lit), sizeof(lit) - 1) != NULL)
#define STARTS(p, len, lit) ((len) >= sizeof(lit) - 1 && !memcmp((p), (lit), sizeof(lit) - 1))
#define CLIP(len) ((int)((len) > 200 ? 200 : (len)))

static void refused(ws_conn *c, const char *what, const char *p, size_t len) {
    note_error("%s: %.*s", what, CLIP(len), p);
    setup_failed(c, &st.fail_refused);
}

/* Sends the first n bytes of msg (a buffer of cap bytes filled by snprintf); a truncated message is an error. */
static void send_text(ws_conn *c, enum ws_state next, const char *msg, int n, size_t cap) {
    c->state = next;
    if (n >= (int)cap) n = -1;
    if (n < 0 || ws_send(c, 0x1, msg, (size_t)n) < 0) {
        note_error("send in setup: %s", n < 0 ? "message too long" : strerror(errno));
        setup_failed(c, &st.fail_closed);
    }
}

/* Native: {"type":"connected"}, then subscribe with id 1 and wait for its ack. */
static void native_text(ws_conn *c, const char *p, size_t len) {
    char channel[256], msg[512];
    switch (c->state) {
    case WS_WELCOME:
        if (HAS(p, len, "\"type\":\"connected\"")) {
            channel_name(c->channel, channel, sizeof channel);
            int n = snprintf(msg, sizeof msg, "{\"type\":\"subscribe\",\"id\":1,\"channel\":\"%s\"}", channel);
            send_text(c, WS_ACK, msg, n, sizeof msg);
        } else if (HAS(p, len, "\"type\":\"error\"")) {
            refused(c, "error frame before welcome", p, len);
        }
        break;
    case WS_ACK:
        if (HAS(p, len, "\"type\":\"ack\"")) {
            if (HAS(p, len, "\"ok\":true")) setup_complete(c);
            else refused(c, "subscribe refused", p, len);
        } else if (HAS(p, len, "\"type\":\"error\"")) {
            refused(c, "error frame before ack", p, len);
        }
        break;
    default:
        break;
    }
}

/* Socket.IO over Engine.IO 4: the handshake `0{…}`, then CONNECT to "/" with the token in its auth object
 * (`40{"token":…}`, answered `40{"sid":…}` or CONNECT_ERROR `44{…}`), then the EVENT
 * `421["subscribe",{"channel":…}]` whose ACK `431[{"success":true,…}]` ends the setup. Pings are answered
 * in socketio_text's caller. */
static void socketio_text(ws_conn *c, const char *p, size_t len) {
    char channel[256], msg[1024];
    switch (c->state) {
    case WS_WELCOME:
        if (STARTS(p, len, "0{")) {
            int index = (int)(c - conns);
            int n = snprintf(msg, sizeof msg, "40{\"token\":\"%s\"}", ntokens ? tokens[index % ntokens] : "");
            send_text(c, WS_JOIN, msg, n, sizeof msg);
        } else if (STARTS(p, len, "1")) {
            refused(c, "Engine.IO close before the handshake", p, len);
        }
        break;
    case WS_JOIN:
        if (STARTS(p, len, "40{")) {
            channel_name(c->channel, channel, sizeof channel);
            int n = snprintf(msg, sizeof msg, "421[\"subscribe\",{\"channel\":\"%s\"}]", channel);
            send_text(c, WS_ACK, msg, n, sizeof msg);
        } else if (STARTS(p, len, "44")) {
            refused(c, "CONNECT refused", p, len);
        }
        break;
    case WS_ACK:
        /* `42["subscribed",…]` comes before the ACK and says the same; the ACK is what setup waits for. */
        if (STARTS(p, len, "431[")) {
            if (HAS(p, len, "\"success\":true")) setup_complete(c);
            else refused(c, "subscribe refused", p, len);
        } else if (STARTS(p, len, "44") || STARTS(p, len, "41")) {
            refused(c, "namespace closed before the subscribe was acknowledged", p, len);
        }
        break;
    default:
        break;
    }
}

/* Pusher protocol 7: pusher:connection_established, then pusher:subscribe on a public channel (with the empty
 * auth pusher-js sends for one) until pusher_internal:subscription_succeeded. */
static void pusher_text(ws_conn *c, const char *p, size_t len) {
    char channel[256], msg[512];
    switch (c->state) {
    case WS_WELCOME:
        if (HAS(p, len, "\"event\":\"pusher:connection_established\"")) {
            channel_name(c->channel, channel, sizeof channel);
            int n = snprintf(msg, sizeof msg,
                             "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"%s\"}}", channel);
            send_text(c, WS_ACK, msg, n, sizeof msg);
        } else if (HAS(p, len, "\"event\":\"pusher:error\"")) {
            refused(c, "pusher:error before connection_established", p, len);
        }
        break;
    case WS_ACK:
        if (HAS(p, len, "\"event\":\"pusher_internal:subscription_succeeded\"")) setup_complete(c);
        else if (HAS(p, len, "\"event\":\"pusher:subscription_error\"")) refused(c, "subscribe refused", p, len);
        else if (HAS(p, len, "\"event\":\"pusher:error\"")) refused(c, "pusher:error before subscribed", p, len);
        break;
    default:
        break;
    }
}

static void ws_text(ws_conn *c, const char *p, size_t len) {
    /* Protocol-level pings, in any state after the upgrade. */
    if (opt.proto == PROTO_SOCKETIO && len == 1 && p[0] == '2') {
        st.pings++;
        if (ws_send(c, 0x1, "3", 1) < 0) ws_lost(c, "Engine.IO pong write failed");
        return;
    }
    if (opt.proto == PROTO_PUSHER && len < 128 && HAS(p, len, "\"event\":\"pusher:ping\"")) {
        static const char pong[] = "{\"event\":\"pusher:pong\",\"data\":{}}";
        st.pings++;
        if (ws_send(c, 0x1, pong, sizeof pong - 1) < 0) ws_lost(c, "pusher:pong write failed");
        return;
    }
    if (c->state == WS_READY) {
        if (opt.proto == PROTO_SOCKETIO && STARTS(p, len, "1")) {
            ws_lost(c, "Engine.IO close packet");
            return;
        }
        scan_deliveries(p, len, now_ns());
        return;
    }
    switch (opt.proto) {
    case PROTO_NATIVE: native_text(c, p, len); break;
    case PROTO_SOCKETIO: socketio_text(c, p, len); break;
    case PROTO_PUSHER: pusher_text(c, p, len); break;
    case PROTO_NCHAN: break;
    }
}

static void ws_lost(ws_conn *c, const char *why) {
    if (c->state == WS_READY) {
        st.closed_after_setup++;
        subscribers[c->channel]--;
        note_error("connection lost after setup: %s", why);
        c->state = WS_DONE;
        ws_close(c);
    } else {
        note_error("connection lost during setup: %s", why);
        setup_failed(c, &st.fail_closed);
    }
}

/* Parses the frames in data[0..len); returns bytes consumed, or -1 when the connection was closed. */
static long ws_frames(ws_conn *c, char *data, size_t len) {
    size_t off = 0;
    while (len - off >= 2) {
        unsigned char *b = (unsigned char *)data + off;
        int opcode = b[0] & 0x0f;
        int masked = b[1] & 0x80;
        uint64_t plen = b[1] & 0x7f;
        size_t h = 2;
        if (plen == 126) {
            if (len - off < 4) break;
            plen = ((uint64_t)b[2] << 8) | b[3];
            h = 4;
        } else if (plen == 127) {
            if (len - off < 10) break;
            plen = 0;
            for (int i = 0; i < 8; i++) plen = (plen << 8) | b[2 + i];
            h = 10;
        }
        if (plen > MAX_FRAME) {
            ws_lost(c, "frame too large");
            return -1;
        }
        if (masked) h += 4;
        if (len - off < h + plen) break;
        char *payload = data + off + h;
        if (masked) {
            unsigned char *m = b + h - 4;
            for (uint64_t i = 0; i < plen; i++) payload[i] ^= (char)m[i & 3];
        }
        off += h + plen;
        switch (opcode) {
        case 0x0:
        case 0x1:
        case 0x2:
            ws_text(c, payload, plen);
            if (c->state == WS_DONE) return -1;
            break;
        case 0x8: {
            char why[64];
            int code = plen >= 2 ? ((unsigned char)payload[0] << 8 | (unsigned char)payload[1]) : 0;
            snprintf(why, sizeof why, "close frame %d", code);
            ws_lost(c, why);
            return -1;
        }
        case 0x9:
            st.pings++;
            if (ws_send(c, 0xA, payload, plen) < 0) {
                ws_lost(c, "pong write failed");
                return -1;
            }
            break;
        default:
            break;
        }
    }
    return (long)off;
}

static void ws_readable(ws_conn *c) {
    size_t have = c->in.len;
    if (have) memcpy(rbuf, c->in.data, have);
    ssize_t n = recv(c->fd, rbuf + have, READ_BUF - have, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        ws_lost(c, n == 0 ? "end of stream" : strerror(errno));
        return;
    }
    if (n < 0) return;
    size_t len = have + (size_t)n;
    size_t off = 0;
    if (c->state == WS_UPGRADING) {
        char *end = memmem(rbuf, len, "\r\n\r\n", 4);
        if (!end) {
            if (len > 16384) {
                ws_lost(c, "upgrade response too long");
                return;
            }
            c->in.len = 0;
            buf_append(&c->in, rbuf, len);
            return;
        }
        if (len < 12 || memcmp(rbuf + 9, "101", 3)) {
            char *eol = memchr(rbuf, '\r', len);
            note_error("upgrade refused: %.*s", (int)(eol ? eol - rbuf : 40), rbuf);
            setup_failed(c, &st.fail_status);
            return;
        }
        off = (size_t)(end - rbuf) + 4;
        if (opt.proto == PROTO_NCHAN) setup_complete(c);
        else c->state = WS_WELCOME;
    }
    long used = ws_frames(c, rbuf + off, len - off);
    if (used < 0) return;
    off += (size_t)used;
    c->in.len = 0;
    if (off < len) buf_append(&c->in, rbuf + off, len - off);
    else if (c->in.cap > 4096) buf_release(&c->in);
}

static void ws_event(ws_conn *c, uint32_t events) {
    if (c->fd < 0) return; /* closed earlier in this batch of events */
    int index = (int)(c - conns);
    if (c->state == WS_CONNECTING) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            note_error("connect: %s", strerror(err));
            setup_failed(c, &st.fail_connect);
            return;
        }
        ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
        ws_send_upgrade(c, index);
        return;
    }
    if ((events & EPOLLOUT) && flush_out(c->fd, &c->out, c) < 0) {
        ws_lost(c, "write failed");
        return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) ws_readable(c);
}

/* ---- publisher ------------------------------------------------------------------------------------ */

static void pub_connect(pub_conn *p) {
    p->kind = KIND_PUB;
    p->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (p->fd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    p->connected = 0;
    p->busy = 0;
    p->in.len = p->out.len = 0;
    if (connect(p->fd, (struct sockaddr *)&pub_addr, sizeof pub_addr) < 0 && errno != EINPROGRESS)
        die("connect to the publish port: %s", strerror(errno));
    ep_ctl(EPOLL_CTL_ADD, p->fd, EPOLLIN | EPOLLOUT, p);
}

static void pub_reset(pub_conn *p, const char *why) {
    if (p->busy) {
        st.pub_errors++;
        event_slot *e = &st.events[p->seq];
        e->state = 3;
        if (e->remaining > 0) {
            st.expected -= (uint64_t)e->remaining;
            e->remaining = 0;
            st.completed++;
        }
        note_error("publish connection lost: %s", why);
    }
    ep_ctl(EPOLL_CTL_DEL, p->fd, 0, NULL);
    close(p->fd);
    pub_connect(p);
}

static int expected_for(int channel) { return subscribers[channel] > 0 ? subscribers[channel] : 0; }

static void pub_send(pub_conn *p, uint64_t seq) {
    char channel[256], path[512], body[768], req[2048];
    int ch = (int)(seq % (uint64_t)opt.channels);
    channel_name(ch, channel, sizeof channel);
    expand(opt.pub_path, NULL, channel, path, sizeof path);
    event_grow(seq);
    uint64_t t = now_ns();
    int blen;
    if (opt.proto == PROTO_NCHAN)
        blen = snprintf(body, sizeof body, "{\"t\":%llu,\"n\":%llu}", (unsigned long long)t, (unsigned long long)seq);
    else
        blen = snprintf(body, sizeof body,
                        "{\"channel\":\"%s\",\"event\":\"bench.tick\",\"data\":{\"t\":%llu,\"n\":%llu},"
                        "\"priority\":\"high\"}",
                        channel, (unsigned long long)t, (unsigned long long)seq);
    char auth[256] = "";
    if (opt.pub_auth && *opt.pub_auth) snprintf(auth, sizeof auth, "Authorization: %s\r\n", opt.pub_auth);
    int n = snprintf(req, sizeof req,
                     "POST %s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\n"
                     "\r\n%s",
                     path, opt.host, opt.pub_port, auth, blen, body);
    event_slot *e = &st.events[seq];
    e->state = 1;
    e->remaining = expected_for(ch);
    e->sent = t;
    if (e->remaining == 0) st.completed++;
    st.expected += (uint64_t)e->remaining;
    p->busy = 1;
    p->seq = seq;
    p->sent = t;
    st.published++;
    if (send_bytes(p->fd, &p->out, p, req, (size_t)n) < 0) pub_reset(p, strerror(errno));
}

/* One HTTP response in p->in: status line, headers, then a Content-Length or chunked body. */
static int pub_response(pub_conn *p) {
    char *d = p->in.data;
    size_t len = p->in.len;
    char *hend = len ? memmem(d, len, "\r\n\r\n", 4) : NULL;
    if (!hend) return 0;
    size_t hlen = (size_t)(hend - d) + 4;
    long clen = -1;
    int chunked = 0, close_after = 0;
    for (char *line = memchr(d, '\n', hlen); line && line < hend; line = memchr(line + 1, '\n', (size_t)(hend - line))) {
        line++;
        if (!strncasecmp(line, "content-length:", 15)) clen = strtol(line + 15, NULL, 10);
        else if (!strncasecmp(line, "transfer-encoding:", 18) && memmem(line, (size_t)(hend - line) < 64 ? (size_t)(hend - line) : 64, "chunked", 7)) chunked = 1;
        else if (!strncasecmp(line, "connection:", 11) && !strncasecmp(line + 11 + strspn(line + 11, " "), "close", 5)) close_after = 1;
    }
    size_t total;
    if (chunked) {
        char *z = memmem(d + hlen, len - hlen, "0\r\n\r\n", 5);
        if (!z) return 0;
        total = (size_t)(z - d) + 5;
    } else {
        total = hlen + (size_t)(clen > 0 ? clen : 0);
        if (len < total) return 0;
    }
    int status = len > 12 ? atoi(d + 9) : 0;
    uint64_t t = now_ns();
    hist_record(&st.pub_ack, t - p->sent);
    event_slot *e = &st.events[p->seq];
    if (status >= 200 && status < 300) {
        st.accepted++;
        e->state = 2;
    } else {
        st.refused++;
        note_error("publish answered %d: %.*s", status, (int)(total - hlen > 160 ? 160 : total - hlen), d + hlen);
        if (e->remaining > 0) {
            st.expected -= (uint64_t)e->remaining;
            e->remaining = 0;
            st.completed++;
        }
        e->state = 3;
    }
    p->busy = 0;
    memmove(d, d + total, len - total);
    p->in.len -= (uint32_t)total;
    if (close_after) pub_reset(p, "server closed the keep-alive connection");
    return 1;
}

static void pub_event(pub_conn *p, uint32_t events) {
    if (!p->connected) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) die("connect to the publish port %d: %s", opt.pub_port, strerror(err));
        p->connected = 1;
        ep_ctl(EPOLL_CTL_MOD, p->fd, EPOLLIN, p);
        return;
    }
    if ((events & EPOLLOUT) && flush_out(p->fd, &p->out, p) < 0) {
        pub_reset(p, "write failed");
        return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        char tmp[16384];
        ssize_t n = recv(p->fd, tmp, sizeof tmp, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            pub_reset(p, n == 0 ? "end of stream" : strerror(errno));
            return;
        }
        if (n > 0) {
            buf_append(&p->in, tmp, (size_t)n);
            while (pub_response(p)) {
            }
        }
    }
}

static pub_conn *free_pub(void) {
    for (int i = 0; i < opt.pub_conns; i++)
        if (pubs[i].connected && !pubs[i].busy && pubs[i].out.len == 0) return &pubs[i];
    return NULL;
}

/* Closed loop: the window slides past events that are complete, refused, or older than STALE_EVENT_NS. */
static void advance_window(uint64_t t) {
    while (st.oldest_open < st.published) {
        event_slot *e = &st.events[st.oldest_open];
        if (e->state == 1) break; /* the publish is not answered yet */
        if (e->state == 2 && e->remaining > 0 && t - e->sent < STALE_EVENT_NS) break;
        st.oldest_open++;
    }
}

/* ---- self-test ---------------------------------------------------------------------------------------- */

/* Sample frames as Herald (and Nchan) write them, fed to ws_text over a socketpair: each setup step's server
 * frame, the client frame it must answer with (NULL: none) and the state after it. */
struct step {
    const char *in, *out;
    uint8_t state;
};

static const struct step native_steps[] = {
    {"{\"type\":\"connected\",\"connection_id\":\"1.2\"}",
     "{\"type\":\"subscribe\",\"id\":1,\"channel\":\"public.bench.0\"}", WS_ACK},
    {"{\"type\":\"ack\",\"id\":1,\"ok\":true,\"channel\":\"public.bench.0\"}", NULL, WS_READY},
    {NULL, NULL, 0},
};
static const struct step socketio_steps[] = {
    {"0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
     "\"maxPayload\":1000000}",
     "40{\"token\":\"tok.en\"}", WS_JOIN},
    {"2", "3", WS_JOIN},
    {"40{\"sid\":\"250310217.410724851\",\"pid\":\"85e735d5eec796761a0294e7d1d203c6\"}",
     "421[\"subscribe\",{\"channel\":\"public.bench.0\"}]", WS_ACK},
    {"42[\"subscribed\",{\"channel\":\"public.bench.0\",\"status\":\"success\"}]", NULL, WS_ACK},
    {"431[{\"success\":true,\"channel\":\"public.bench.0\"}]", NULL, WS_READY},
    {"2", "3", WS_READY},
    {NULL, NULL, 0},
};
static const struct step pusher_steps[] = {
    {"{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"123.456\\\","
     "\\\"activity_timeout\\\":25}\"}",
     "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"public.bench.0\"}}", WS_ACK},
    {"{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"public.bench.0\",\"data\":\"{}\"}", NULL,
     WS_READY},
    {"{\"event\":\"pusher:ping\",\"data\":{}}", "{\"event\":\"pusher:pong\",\"data\":{}}", WS_READY},
    {NULL, NULL, 0},
};
static const struct step socketio_refused[] = {
    {"0{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
     "40{\"token\":\"tok.en\"}", WS_JOIN},
    {"44{\"message\":\"Authentication failed: Invalid token\"}", NULL, WS_DONE},
    {NULL, NULL, 0},
};
static const struct step pusher_refused[] = {
    {"{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\"}\"}",
     "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"public.bench.0\"}}", WS_ACK},
    {"{\"event\":\"pusher:subscription_error\",\"channel\":\"public.bench.0\",\"data\":{\"type\":\"AuthError\","
     "\"error\":\"Unauthorized\",\"status\":403}}",
     NULL, WS_DONE},
    {NULL, NULL, 0},
};

/* Deliveries of each protocol carrying {"t":1000,"n":first…first+count-1}. */
static const struct {
    enum protocol proto;
    const char *frame;
    int count, first;
} sample_deliveries[] = {
    {PROTO_NATIVE,
     "{\"type\":\"event\",\"id\":\"evt_1\",\"event\":\"bench.tick\",\"channel\":\"public.bench.0\",\"timestamp\":"
     "\"2025-07-17T10:30:00Z\",\"priority\":\"high\",\"data\":{\"t\":1000,\"n\":5},\"offset\":1,\"epoch\":\"e1\"}",
     1, 5},
    {PROTO_NATIVE,
     "{\"type\":\"batch\",\"events\":[{\"type\":\"event\",\"id\":\"evt_2\",\"event\":\"bench.tick\",\"channel\":"
     "\"public.bench.0\",\"data\":{\"t\":1000,\"n\":6},\"offset\":2},{\"type\":\"event\",\"id\":\"evt_3\","
     "\"event\":\"bench.tick\",\"channel\":\"public.bench.0\",\"data\":{\"t\":1000,\"n\":7},\"offset\":3}]}",
     2, 6},
    {PROTO_NCHAN, "{\"t\":1000,\"n\":5}", 1, 5},
    {PROTO_SOCKETIO,
     "42[\"bench.tick\",{\"t\":1000,\"n\":5},{\"id\":\"evt_1\",\"channel\":\"public.bench.0\",\"timestamp\":"
     "\"2025-07-17T10:30:00Z\",\"priority\":\"high\",\"offset\":1},\"d89zadytdd28:1\"]",
     1, 5},
    {PROTO_PUSHER, "{\"event\":\"bench.tick\",\"channel\":\"public.bench.0\",\"data\":\"{\\\"t\\\":1000,\\\"n\\\":5}\"}",
     1, 5},
    /* Near misses: no sequence number, a timestamp that is not "t", a sequence that is not a number. */
    {PROTO_NATIVE, "{\"type\":\"event\",\"data\":{\"t\":1000}}", 0, 5},
    {PROTO_NATIVE, "{\"timestamp\":1000,\"n\":5}", 0, 5},
    {PROTO_PUSHER, "{\"event\":\"x\",\"data\":\"{\\\"t\\\":1000,\\\"n\\\":\\\"5\\\"}\"}", 0, 5},
};

static int self_failures;

static void check(int ok, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "herald-load: self-test %s ", ok ? "ok  " : "FAIL");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (!ok) self_failures++;
}

/* One masked client frame from fd, unmasked and NUL-terminated; -1 when none is waiting. */
static int read_client_frame(int fd, char *out, size_t cap) {
    unsigned char h[4], mask[4];
    if (recv(fd, h, 2, MSG_DONTWAIT) != 2) return -1;
    size_t len = h[1] & 0x7f;
    if (len == 126) {
        if (recv(fd, h + 2, 2, MSG_DONTWAIT) != 2) return -1;
        len = (size_t)h[2] << 8 | h[3];
    }
    if (!(h[1] & 0x80) || len + 1 > cap || recv(fd, mask, 4, MSG_DONTWAIT) != 4) return -1;
    if (recv(fd, out, len, MSG_DONTWAIT) != (ssize_t)len) return -1;
    for (size_t i = 0; i < len; i++) out[i] ^= (char)mask[i & 3];
    out[len] = 0;
    return (int)len;
}

static void run_steps(enum protocol proto, const char *name, const struct step *steps) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0) die("socketpair: %s", strerror(errno));
    opt.proto = proto;
    ws_conn *c = &conns[0];
    memset(c, 0, sizeof *c);
    c->kind = KIND_WS;
    c->fd = sv[0];
    c->state = WS_WELCOME;
    st.in_progress = 1;
    for (int i = 0; steps[i].in; i++) {
        char sent[2048];
        ws_text(c, steps[i].in, strlen(steps[i].in));
        int n = read_client_frame(sv[1], sent, sizeof sent);
        int ok = c->state == steps[i].state &&
                 (steps[i].out ? n >= 0 && !strcmp(sent, steps[i].out) : n < 0);
        check(ok, "%s step %d: %.40s%s -> state %d%s%s", name, i + 1, steps[i].in, strlen(steps[i].in) > 40 ? "…" : "",
              c->state, n >= 0 ? ", sent " : "", n >= 0 ? sent : "");
        if (c->state == WS_DONE) break;
    }
    ws_close(c);
    close(sv[1]);
}

static int self_test(void) {
    static char *tok[] = {"tok.en"};
    tokens = tok;
    ntokens = 1;
    opt.channels = 1;
    conns = calloc(1, sizeof *conns);
    subscribers = calloc(1, sizeof *subscribers);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!conns || !subscribers || epfd < 0 || hist_init(&st.setup_hist) || hist_init(&st.latency))
        die("self-test: out of memory");

    run_steps(PROTO_NATIVE, "native", native_steps);
    run_steps(PROTO_SOCKETIO, "socketio", socketio_steps);
    run_steps(PROTO_PUSHER, "pusher", pusher_steps);
    int refused_before = st.fail_refused;
    run_steps(PROTO_SOCKETIO, "socketio refused", socketio_refused);
    run_steps(PROTO_PUSHER, "pusher refused", pusher_refused);
    check(st.fail_refused == refused_before + 2, "refusals counted as refused (%d)", st.fail_refused - refused_before);

    event_grow(8);
    for (int i = 0; i < (int)(sizeof sample_deliveries / sizeof *sample_deliveries); i++) {
        const char *f = sample_deliveries[i].frame, *pos = f, *end = f + strlen(f);
        uint64_t stamp, seq;
        int found = 0, right = 1;
        while (next_delivery(&pos, end, &stamp, &seq)) {
            right &= stamp == 1000 && seq == (uint64_t)(sample_deliveries[i].first + found);
            found++;
        }
        /* And through ws_text, as a delivery on an established connection of that protocol. */
        for (int s = 5; s <= 7; s++) st.events[s].state = 2, st.events[s].remaining = 1;
        uint64_t before = st.delivered;
        opt.proto = sample_deliveries[i].proto;
        conns[0].state = WS_READY;
        conns[0].fd = -1;
        ws_text(&conns[0], f, strlen(f));
        check(found == sample_deliveries[i].count && right && st.delivered - before == (uint64_t)found,
              "%s delivery %d: %d found (want %d), %llu counted", proto_names[sample_deliveries[i].proto], i + 1, found,
              sample_deliveries[i].count, (unsigned long long)(st.delivered - before));
    }
    fprintf(stderr, "herald-load: self-test: %d failure(s)\n", self_failures);
    return self_failures ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: herald-load [options]\n"
            "  --protocol P              native: welcome, subscribe, ack (the default); socketio: Engine.IO\n"
            "                            handshake, CONNECT with the token, subscribe event until its ACK; pusher:\n"
            "                            connection_established, pusher:subscribe until subscription_succeeded;\n"
            "                            nchan: the upgrade completes setup\n"
            "  --host ADDR               loopback address of the server (127.0.0.1)\n"
            "  --ws-port P --ws-path T   WebSocket port and path template ({token}, {channel}); default per\n"
            "                            protocol: /ws?token={token}, /socket.io/?EIO=4&transport=websocket,\n"
            "                            /app/lottery-key?protocol=7&client=js&version=8.4.0&flash=false\n"
            "  --tokens FILE             one token per line, used round-robin per connection\n"
            "  --conns N                 connections to open (100)\n"
            "  --concurrency K           connections being set up at once (256)\n"
            "  --channels M              connection i subscribes to channel i %% M (1)\n"
            "  --channel-fmt F           printf format of a channel name (public.bench.%%d)\n"
            "  --src-addrs K             spread connections over 127.0.0.1..K source addresses (1)\n"
            "  --setup-timeout S         give up on setup after S seconds (60)\n"
            "  --hold S                  keep the connections idle for S seconds before publishing (0)\n"
            "  --pub-port P --pub-path T publish port and path template ({channel}) (/api/broadcast)\n"
            "  --pub-auth V              Authorization header value (\"Bearer dev-api-key\"; empty for none)\n"
            "  --pub-conns N             keep-alive publish connections (4)\n"
            "  --rate R                  publish R events/s (fixed rate), round-robin over the channels\n"
            "  --outstanding N           or: closed loop, N events in flight until delivered everywhere\n"
            "  --duration S              publish for S seconds (0: no publishing)\n"
            "  --events N                stop publishing after N events (0: no limit)\n"
            "  --drain S                 wait at most S seconds for outstanding deliveries (5)\n"
            "  --deadline S              abort the whole run after S seconds (default: sum of phases + 30)\n"
            "  --self-test               check the frame handling of every protocol on sample frames, no network\n");
}

static void load_tokens(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    size_t cap = 1024;
    tokens = malloc(cap * sizeof *tokens);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!n) continue;
        if ((size_t)ntokens == cap) tokens = realloc(tokens, (cap *= 2) * sizeof *tokens);
        tokens[ntokens++] = strdup(line);
    }
    free(line);
    fclose(f);
    if (!ntokens) die("%s: no tokens", path);
}

static void raise_nofile(rlim_t need) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur >= need) return;
    if (rl.rlim_max < need) {
        struct rlimit want = {need, need};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) return;
        die("RLIMIT_NOFILE: need %llu descriptors, hard limit is %llu and cannot be raised (%s)",
            (unsigned long long)need, (unsigned long long)rl.rlim_max, strerror(errno));
    }
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) die("setrlimit: %s", strerror(errno));
}

static double ms(uint64_t ns) { return (double)ns / 1e6; }

static void print_hist(const char *name, const hist_t *h) {
    printf("\"%s\":{\"count\":%llu,\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"mean\":%.3f}", name,
           (unsigned long long)h->total, ms(hist_percentile(h, 50)), ms(hist_percentile(h, 90)),
           ms(hist_percentile(h, 99)), ms(hist_percentile(h, 99.9)), ms(h->total ? h->max : 0), hist_mean(h) / 1e6);
}

int main(int argc, char **argv) {
    static struct option longopts[] = {
        {"protocol", 1, 0, 'P'}, {"host", 1, 0, 'h'},         {"ws-port", 1, 0, 'w'},     {"ws-path", 1, 0, 'W'},
        {"tokens", 1, 0, 't'},   {"conns", 1, 0, 'c'},        {"concurrency", 1, 0, 'k'}, {"channels", 1, 0, 'm'},
        {"channel-fmt", 1, 0, 'f'}, {"src-addrs", 1, 0, 's'}, {"setup-timeout", 1, 0, 'T'}, {"hold", 1, 0, 'H'},
        {"pub-port", 1, 0, 'p'}, {"pub-path", 1, 0, 'q'},     {"pub-auth", 1, 0, 'a'},    {"pub-conns", 1, 0, 'n'},
        {"rate", 1, 0, 'r'},     {"outstanding", 1, 0, 'o'},  {"duration", 1, 0, 'd'},    {"events", 1, 0, 'e'},
        {"drain", 1, 0, 'D'},    {"deadline", 1, 0, 'X'},     {"help", 0, 0, '?'},        {"self-test", 0, 0, 'S'},
        {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'P':
            if (!strcmp(optarg, "native")) opt.proto = PROTO_NATIVE;
            else if (!strcmp(optarg, "nchan")) opt.proto = PROTO_NCHAN;
            else if (!strcmp(optarg, "socketio")) opt.proto = PROTO_SOCKETIO;
            else if (!strcmp(optarg, "pusher")) opt.proto = PROTO_PUSHER;
            else die("--protocol: native, socketio, pusher or nchan");
            break;
        case 'S': return self_test();
        case 'h': snprintf(opt.host, sizeof opt.host, "%s", optarg); break;
        case 'w': opt.ws_port = atoi(optarg); break;
        case 'W': opt.ws_path = optarg; break;
        case 't': opt.tokens_file = optarg; break;
        case 'c': opt.conns = atoi(optarg); break;
        case 'k': opt.concurrency = atoi(optarg); break;
        case 'm': opt.channels = atoi(optarg); break;
        case 'f': opt.channel_fmt = optarg; break;
        case 's': opt.src_addrs = atoi(optarg); break;
        case 'T': opt.setup_timeout = atof(optarg); break;
        case 'H': opt.hold = atof(optarg); break;
        case 'p': opt.pub_port = atoi(optarg); break;
        case 'q': opt.pub_path = optarg; break;
        case 'a': opt.pub_auth = optarg; break;
        case 'n': opt.pub_conns = atoi(optarg); break;
        case 'r': opt.rate = atof(optarg); break;
        case 'o': opt.outstanding = atoi(optarg); break;
        case 'd': opt.duration = atof(optarg); break;
        case 'e': opt.max_events = atol(optarg); break;
        case 'D': opt.drain = atof(optarg); break;
        case 'X': opt.deadline = atof(optarg); break;
        default: usage(); return 2;
        }
    }
    if (opt.conns < 0 || opt.channels < 1 || opt.concurrency < 1 || opt.pub_conns < 1 || opt.src_addrs < 1 ||
        opt.src_addrs > 250)
        die("bad sizes: --conns >= 0, --channels >= 1, --concurrency >= 1, --pub-conns >= 1, 1 <= --src-addrs <= 250");
    int publishing = opt.duration > 0 && (opt.rate > 0 || opt.outstanding > 0);
    if (opt.duration > 0 && !publishing) die("--duration needs --rate or --outstanding");
    if (!opt.ws_path) opt.ws_path = default_ws_paths[opt.proto];
    if (opt.proto == PROTO_NATIVE && opt.conns > 0 && !opt.tokens_file && strstr(opt.ws_path, "{token}"))
        die("--tokens FILE is required for the native protocol");
    if (opt.proto == PROTO_SOCKETIO && opt.conns > 0 && !opt.tokens_file)
        die("--tokens FILE is required for Socket.IO (the token goes in the CONNECT packet's auth)");
    if (opt.tokens_file) load_tokens(opt.tokens_file);
    if (inet_pton(AF_INET, opt.host, &ws_addr.sin_addr) != 1) die("--host: an IPv4 address");
    if ((ntohl(ws_addr.sin_addr.s_addr) >> 24) != 127) die("--host: loopback addresses only (127.0.0.0/8)");
    ws_addr.sin_family = AF_INET;
    ws_addr.sin_port = htons((uint16_t)opt.ws_port);
    pub_addr = ws_addr;
    pub_addr.sin_port = htons((uint16_t)opt.pub_port);
    if (opt.deadline <= 0) opt.deadline = opt.setup_timeout + opt.hold + opt.duration + opt.drain + 30;

    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_deadline);
    alarm((unsigned)(opt.deadline + 0.999));
    raise_nofile((rlim_t)opt.conns + (rlim_t)opt.pub_conns + 64);

    rng_state ^= now_ns() | 1;
    rbuf = malloc(READ_BUF);
    conns = calloc((size_t)(opt.conns ? opt.conns : 1), sizeof *conns);
    pubs = calloc((size_t)opt.pub_conns, sizeof *pubs);
    subscribers = calloc((size_t)opt.channels, sizeof *subscribers);
    if (!rbuf || !conns || !pubs || !subscribers) die("out of memory");
    for (int i = 0; i < opt.conns; i++) conns[i].fd = -1;
    if (hist_init(&st.setup_hist) || hist_init(&st.latency) || hist_init(&st.pub_ack)) die("out of memory");
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1: %s", strerror(errno));

    struct epoll_event evs[1024];
    uint64_t t0 = now_ns();
    uint64_t setup_deadline = t0 + (uint64_t)(opt.setup_timeout * 1e9);
    int next = 0;

    /* Phase 1: setup. */
    while (st.established + st.failed < opt.conns) {
        uint64_t t = now_ns();
        if (t > setup_deadline) break;
        while (next < opt.conns && st.in_progress < opt.concurrency) ws_start(next++);
        int n = epoll_wait(epfd, evs, 1024, 10);
        for (int i = 0; i < n; i++) {
            uint8_t kind = *(uint8_t *)evs[i].data.ptr;
            if (kind == KIND_WS) ws_event(evs[i].data.ptr, evs[i].events);
        }
    }
    for (int i = 0; i < next; i++) {
        ws_conn *c = &conns[i];
        if (c->state != WS_READY && c->state != WS_DONE) setup_failed(c, &st.fail_timeout);
    }
    st.fail_timeout += opt.conns - next;
    st.failed += opt.conns - next;
    uint64_t setup_end = now_ns();
    double setup_span = st.setup_last > st.setup_first ? (double)(st.setup_last - st.setup_first) / 1e9 : 0;
    logf_("setup: %d of %d established, %d failed, in %.2f s%s%s", st.established, opt.conns, st.failed,
          (double)(setup_end - t0) / 1e9, st.first_error[0] ? "; first error: " : "", st.first_error);
    /* The runner samples the server here: every connection that will be established is. */
    fprintf(stderr, "herald-load: READY established=%d\n", st.established);
    fflush(stderr);

    /* Phase 2: hold, answering pings; phase 3: publish; phase 4: drain. */
    uint64_t hold_end = setup_end + (uint64_t)(opt.hold * 1e9);
    uint64_t pub_end = 0, drain_end = 0;
    int phase = opt.hold > 0 ? 2 : 3;
    int pubs_open = 0;
    uint64_t seq = 0;
    for (;;) {
        uint64_t t = now_ns();
        if (phase == 2 && t >= hold_end) {
            fprintf(stderr, "herald-load: HELD established=%d\n", st.established - st.closed_after_setup);
            fflush(stderr);
            phase = 3;
        }
        if (phase == 3) {
            if (!publishing) break;
            if (!pubs_open) {
                for (int i = 0; i < opt.pub_conns; i++) pub_connect(&pubs[i]);
                pubs_open = 1;
            } else if (!st.pub_start && free_pub()) {
                st.pub_start = t;
                pub_end = t + (uint64_t)(opt.duration * 1e9);
            }
            if (st.pub_start) {
                if (t >= pub_end || (opt.max_events && (long)seq >= opt.max_events)) {
                    st.pub_end = t;
                    drain_end = t + (uint64_t)(opt.drain * 1e9);
                    phase = 4;
                } else if (opt.rate > 0) {
                    uint64_t due = (uint64_t)((double)(t - st.pub_start) * opt.rate / 1e9) + 1;
                    pub_conn *p;
                    while (seq < due && (!opt.max_events || (long)seq < opt.max_events) && (p = free_pub()))
                        pub_send(p, seq++);
                } else {
                    advance_window(t);
                    pub_conn *p;
                    while (seq - st.oldest_open < (uint64_t)opt.outstanding &&
                           (!opt.max_events || (long)seq < opt.max_events) && (p = free_pub()))
                        pub_send(p, seq++);
                }
            }
        }
        if (phase == 4) {
            int busy = 0;
            for (int i = 0; i < opt.pub_conns; i++) busy |= pubs[i].busy;
            if (t >= drain_end || (!busy && st.delivered >= st.expected)) break;
        }
        int n = epoll_wait(epfd, evs, 1024, 1);
        for (int i = 0; i < n; i++) {
            uint8_t kind = *(uint8_t *)evs[i].data.ptr;
            if (kind == KIND_WS) ws_event(evs[i].data.ptr, evs[i].events);
            else pub_event(evs[i].data.ptr, evs[i].events);
        }
    }
    uint64_t t_end = now_ns();

    double pub_secs = st.pub_end > st.pub_start ? (double)(st.pub_end - st.pub_start) / 1e9 : 0;
    uint64_t last = st.last_delivery > st.pub_end ? st.last_delivery : st.pub_end;
    double deliver_secs = last > st.pub_start && st.pub_start ? (double)(last - st.pub_start) / 1e9 : 0;
    long long loss = (long long)st.expected - (long long)st.delivered;
    printf("{\"protocol\":\"%s\",\"conns\":%d,\"channels\":%d,", proto_names[opt.proto], opt.conns, opt.channels);
    printf("\"setup\":{\"established\":%d,\"failed\":%d,\"failed_connect\":%d,\"failed_status\":%d,"
           "\"failed_closed\":%d,\"failed_refused\":%d,\"failed_timeout\":%d,\"seconds\":%.3f,\"per_second\":%.1f,",
           st.established, st.failed, st.fail_connect, st.fail_status, st.fail_closed, st.fail_refused,
           st.fail_timeout, setup_span, setup_span > 0 ? st.established / setup_span : 0);
    print_hist("latency_ms", &st.setup_hist);
    printf("},\"closed_after_setup\":%d,\"server_pings\":%llu,", st.closed_after_setup, (unsigned long long)st.pings);
    printf("\"publish\":{\"mode\":\"%s\",\"target_rate\":%.1f,\"outstanding\":%d,\"seconds\":%.3f,\"published\":%llu,"
           "\"accepted\":%llu,\"refused\":%llu,\"errors\":%llu,\"rate\":%.1f,",
           !publishing ? "none" : opt.rate > 0 ? "rate" : "closed", opt.rate, opt.outstanding, pub_secs,
           (unsigned long long)st.published, (unsigned long long)st.accepted, (unsigned long long)st.refused,
           (unsigned long long)st.pub_errors, pub_secs > 0 ? st.accepted / pub_secs : 0);
    print_hist("ack_ms", &st.pub_ack);
    printf("},\"delivery\":{\"expected\":%llu,\"delivered\":%llu,\"loss\":%lld,\"duplicates\":%llu,\"unknown\":%llu,"
           "\"events_completed\":%llu,\"seconds\":%.3f,\"per_second\":%.1f,\"events_per_second\":%.1f,",
           (unsigned long long)st.expected, (unsigned long long)st.delivered, loss > 0 ? loss : 0,
           (unsigned long long)st.duplicates, (unsigned long long)st.unknown, (unsigned long long)st.completed,
           deliver_secs, deliver_secs > 0 ? st.delivered / deliver_secs : 0,
           deliver_secs > 0 ? st.completed / deliver_secs : 0);
    print_hist("latency_ms", &st.latency);
    printf("},\"wall_seconds\":%.3f,\"first_error\":\"%s\"}\n", (double)(t_end - t0) / 1e9, st.first_error);
    fflush(stdout);

    for (int i = 0; i < next; i++) ws_close(&conns[i]);
    for (int i = 0; i < opt.pub_conns; i++)
        if (pubs_open) close(pubs[i].fd);
    return 0;
}
