#ifndef HERALD_CSYSTEMD_SHIM_H
#define HERALD_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

/* Swift's Glibc module is built without _GNU_SOURCE, so the GNU-only pieces Herald needs are declared here. */

/* glibc >= 2.34. Declared again because spawn.h hides it behind __USE_GNU. */
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

/* Closes every descriptor >= from in the child, so a spawned daemon inherits only what it was handed. */
static inline int herald_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

/* Linux `struct ucred`, hidden behind __USE_GNU in bits/socket.h. */
struct herald_ucred {
    pid_t pid;
    uid_t uid;
    gid_t gid;
};

#define HERALD_SCM_CREDENTIALS 0x02

/*
 Receives one datagram into buffer. When the socket has SO_PASSCRED set, the kernel attaches the sender's
 credentials and *sender_pid receives its pid; otherwise *sender_pid is 0. Returns recvmsg's result.
 The datagram is truncated to length bytes (MSG_TRUNC is reported through *truncated).
 */
static inline ssize_t herald_recv_with_sender_pid(int fd, void *buffer, size_t length, pid_t *sender_pid,
                                                  int *truncated) {
    struct iovec iov = {.iov_base = buffer, .iov_len = length};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(struct herald_ucred))];
    } control;
    struct msghdr message;
    memset(&message, 0, sizeof(message));
    memset(&control, 0, sizeof(control));
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = &control;
    message.msg_controllen = sizeof(control);
    *sender_pid = 0;
    *truncated = 0;
    ssize_t received = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
    if (received < 0) {
        return received;
    }
    *truncated = (message.msg_flags & MSG_TRUNC) != 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c != NULL; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == HERALD_SCM_CREDENTIALS &&
            c->cmsg_len == CMSG_LEN(sizeof(struct herald_ucred))) {
            struct herald_ucred credentials;
            memcpy(&credentials, CMSG_DATA(c), sizeof(credentials));
            *sender_pid = credentials.pid;
        }
    }
    return received;
}

/* Exit status decoding: the W* macros are not imported into Swift. */
static inline int herald_wifexited(int status) { return WIFEXITED(status); }
static inline int herald_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int herald_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int herald_wtermsig(int status) { return WTERMSIG(status); }

#endif
