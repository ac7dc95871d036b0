/// The Pusher HTTP API endpoints ingress answers from the edges' state rather than by publishing.
public enum PusherQueryEndpoint: Sendable, Hashable {
    /// `GET /apps/{appId}/channels`: the occupied channels.
    case channels
    /// `GET /apps/{appId}/channels/{channel}`: one channel's state.
    case channel(String)
    /// `GET /apps/{appId}/channels/{channel}/users`: the users present on a presence channel.
    case users(channel: String)
    /// `POST /apps/{appId}/users/{userId}/terminate_connections`: close every connection of a user.
    case terminateConnections(userID: String)

    /// How the endpoint is written in messages, with placeholders.
    var template: String {
        switch self {
        case .channels: "GET /apps/{appId}/channels"
        case .channel: "GET /apps/{appId}/channels/{channel}"
        case .users: "GET /apps/{appId}/channels/{channel}/users"
        case .terminateConnections: "POST /apps/{appId}/users/{userId}/terminate_connections"
        }
    }
}
