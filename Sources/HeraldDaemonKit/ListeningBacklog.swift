import Glibc
import HeraldSystemd
import NIOCore

/// NIO's `ServerBootstrap.withBoundSocket` calls `listen(2)` again on the socket it adopts, with its own backlog
/// option (128 unless set before the channel exists, which the bootstrap does not allow). A burst of clients
/// connecting at once then overflows the accept queue and the kernel drops their SYNs — each waits a second for
/// the retry. Listening once more with the backlog systemd and `herald run` bound the socket with restores it;
/// on Linux a second `listen` on a listening socket only changes the backlog.
public enum ListeningBacklog {
    /// Sets the adopted listening socket `fd` back to `backlog`; a failure is reported, not thrown, since the
    /// socket still works with the smaller queue.
    public static func restore(_ fd: CInt, to backlog: CInt = SocketBinder.defaultBacklog) -> Bool {
        Glibc.listen(fd, backlog) == 0
    }
}
