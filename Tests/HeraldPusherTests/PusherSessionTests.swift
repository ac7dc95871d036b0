import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldPusher

@Suite struct PusherSessionTests {
    let start = SessionInstant(deadline: .uptimeNanoseconds(1_000_000_000_000), wallMilliseconds: 1_752_748_200_000)
    let app = AppConfig(id: "shop", key: "shop-key", secret: "shop-secret")
    var credentials: AppCredentials { AppCredentials(key: app.key, secret: app.secret) }

    private func settings(clientEventsPerMinute: Int = 100) -> EdgeSettings {
        var settings = EdgeSettings(HeraldConfiguration())
        settings.apps = [app]
        settings.clientEventsPerMinute = clientEventsPerMinute
        return settings
    }

    private func session(_ settings: EdgeSettings? = nil) -> PusherSession {
        var session = PusherSession(
            connectionID: "1.2", app: app, refusal: nil, settings: settings ?? self.settings(), lane: DeliveryLane(3),
            now: start)
        _ = session.start(now: start)
        return session
    }

    private func send(_ session: inout PusherSession, _ text: String) -> [ConnectionAction] {
        session.receive(text: ByteBuffer(string: text), now: start)
    }

    @Test func opensAnonymouslyWithTheSocketID() {
        var session = PusherSession(
            connectionID: "1.2", app: app, refusal: nil, settings: settings(), lane: DeliveryLane(3), now: start)
        let actions = session.start(now: start)
        #expect(actions.first == .opened(nil))
        #expect(text(actions[1])?.contains(#"\"socket_id\":\"1.2\""#) == true)
    }

    @Test func anUnknownKeyOrVersionIsAnErrorAndAClose() {
        for (path, query, code) in [
            ("/app/nope", "protocol=7", UInt16(4001)), ("/app/shop-key", "protocol=4", 4007),
            ("/app/shop-key", "", 4008), ("/app/shop-key", "protocol=x", 4006),
        ] {
            var context = SessionContext(
                connectionID: "1.2", request: ConnectionRequest(uri: path + "?" + query, headers: [:]), principal: nil,
                settings: settings(), lanes: [DeliveryLane(0)], now: start)
            context.settings.apps = [app]
            var session = PusherProtocol().makeSession(context)
            let actions = session.start(now: start)
            #expect(text(actions[0])?.contains(#""code":\#(code)"#) == true, "\(path)?\(query)")
            guard case .close(let close, _) = actions.last else {
                Issue.record("no close for \(path)?\(query)")
                continue
            }
            #expect(close.rawValue == code)
            #expect(session.isClosed)
        }
        var valid = SessionContext(
            connectionID: "1.2", request: ConnectionRequest(uri: "/app/shop-key?protocol=6", headers: [:]),
            principal: nil, settings: settings(), lanes: [DeliveryLane(0)], now: start)
        valid.settings.apps = [app]
        var session = PusherProtocol().makeSession(valid)
        #expect(session.start(now: start).first == .opened(nil))
    }

    @Test func publicChannelsAreDecidedByTheAuthorizerForNobodyInParticular() {
        var session = session()
        #expect(
            send(&session, #"{"event":"pusher:subscribe","data":{"channel":"products"}}"#) == [
                .authorizeSubscribe(.anonymous, channel: "products")
            ])
        #expect(
            session.subscribeVerdict(channel: "products", .success(())) == [
                .join(channel: "products", lane: DeliveryLane(3))
            ])
        let succeeded = session.joined(channel: "products", position: nil, recovery: nil)
        #expect(
            succeeded.compactMap(text) == [
                #"{"event":"pusher_internal:subscription_succeeded","channel":"products","data":"{}"}"#
            ])
    }

    @Test func aRefusedPublicChannelIsASubscriptionError() {
        var session = session()
        _ = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"admin.notifications"}}"#)
        let refused = session.subscribeVerdict(
            channel: "admin.notifications", .failure(WireFailure(.permissionDenied, "Unauthorized")))
        #expect(refused.compactMap(text).first?.contains(#""status":403"#) == true)
    }

    @Test func privateChannelsNeedTheAppsSignature() {
        var session = session()
        let auth = ChannelAuthorization.auth(socketID: "1.2", channel: "private-orders", credentials: credentials)
        #expect(
            send(&session, #"{"event":"pusher:subscribe","data":{"channel":"private-orders","auth":"\#(auth)"}}"#) == [
                .join(channel: "private-orders", lane: DeliveryLane(3))
            ])
        let forged = ChannelAuthorization.auth(
            socketID: "9.9", channel: "private-other", credentials: credentials)
        let refused = send(
            &session, #"{"event":"pusher:subscribe","data":{"channel":"private-other","auth":"\#(forged)"}}"#)
        #expect(refused.compactMap(text).first?.contains(#""status":401"#) == true)
        let unsigned = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"private-other"}}"#)
        #expect(unsigned.compactMap(text).first?.contains("pusher:subscription_error") == true)
    }

    @Test func presenceJoinsTheRosterAndAnswersWithTheMembers() {
        var session = session()
        let data = #"{"user_id":7,"user_info":{"name":"Ann"}}"#
        let auth = ChannelAuthorization.auth(
            socketID: "1.2", channel: "presence-room", channelData: data, credentials: credentials)
        let escaped = data.replacingOccurrences(of: "\"", with: "\\\"")
        _ = send(
            &session,
            #"{"event":"pusher:subscribe","data":{"channel":"presence-room","auth":"\#(auth)","channel_data":"\#(escaped)"}}"#
        )
        let member = PresenceMember(userID: "7", info: ByteBuffer(string: #"{"name":"Ann"}"#))
        #expect(
            session.joined(channel: "presence-room", position: nil, recovery: nil) == [
                .presenceJoin(channel: "presence-room", member: member)
            ])
        let answer = session.presenceJoined(channel: "presence-room", members: [member])
        #expect(answer.compactMap(text).first?.contains(#"\"count\":1"#) == true)
        // Leaving the channel leaves the roster too.
        let left = send(&session, #"{"event":"pusher:unsubscribe","data":{"channel":"presence-room"}}"#)
        #expect(left == [.leave(channel: "presence-room"), .presenceLeave(channel: "presence-room")])
    }

    @Test func clientEventsArePublishedToOthersOnJoinedPrivateChannelsOnly() throws {
        var session = session(settings(clientEventsPerMinute: 2))
        let refused = send(&session, #"{"event":"client-typing","channel":"private-a","data":{}}"#)
        #expect(refused.compactMap(text).first?.contains("has subscribed to") == true)
        let auth = ChannelAuthorization.auth(socketID: "1.2", channel: "private-a", credentials: credentials)
        _ = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"\#(auth)"}}"#)
        _ = session.joined(channel: "private-a", position: nil, recovery: nil)
        let published = send(&session, #"{"event":"client-typing","channel":"private-a","data":{"on":true}}"#)
        guard case .publish(let event, let ticket?) = try #require(published.first) else {
            Issue.record("not published: \(published)")
            return
        }
        #expect(session.published(ticket: ticket, .success(())).isEmpty, "a taken event is not acknowledged")
        #expect(event.name == "client-typing")
        #expect(event.channels == ["private-a"])
        #expect(event.audience.excludeSocketID == "1.2")
        #expect(String(buffer: event.data) == #"{"on":true}"#)
        _ = send(&session, #"{"event":"client-typing","channel":"private-a","data":{}}"#)
        let limited = send(&session, #"{"event":"client-typing","channel":"private-a","data":{}}"#)
        #expect(limited.compactMap(text).first?.contains(#""code":4301"#) == true)
    }

    @Test func aClientEventTheAuthorizerRefusesIsAPusherError() throws {
        var session = session(settings())
        let auth = ChannelAuthorization.auth(socketID: "1.2", channel: "private-a", credentials: credentials)
        _ = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"\#(auth)"}}"#)
        _ = session.joined(channel: "private-a", position: nil, recovery: nil)
        let published = send(&session, #"{"event":"client-typing","channel":"private-a","data":{}}"#)
        guard case .publish(_, let ticket?) = try #require(published.first) else {
            Issue.record("not published: \(published)")
            return
        }
        let refused = session.published(ticket: ticket, .failure(WireFailure(.rateLimitExceeded, "user over limit")))
        #expect(refused.compactMap(text).first?.contains(#""code":4301"#) == true)
        #expect(session.published(ticket: ticket, .failure(WireFailure(.rateLimitExceeded, "again"))).isEmpty)
    }

    @Test func clientEventsFollowTheChannelsClientEventRulesAndCarryTheSignedInUser() throws {
        var settings = settings()
        settings.clientEvents = ClientEventPolicy([ClientEventRule(channel: "private-*", events: ["client-ok-*"])])
        var session = session(settings)
        let userData = #"{"id":"55","user_info":{"name":"Bo"}}"#
        let signIn = UserAuthentication.auth(socketID: "1.2", userData: userData, credentials: credentials)
        let escaped = userData.replacingOccurrences(of: "\"", with: "\\\"")
        _ = send(&session, #"{"event":"pusher:signin","data":{"auth":"\#(signIn)","user_data":"\#(escaped)"}}"#)
        let auth = ChannelAuthorization.auth(socketID: "1.2", channel: "private-a", credentials: credentials)
        _ = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"\#(auth)"}}"#)
        _ = session.joined(channel: "private-a", position: nil, recovery: nil)
        let refused = send(&session, #"{"event":"client-typing","channel":"private-a","data":{}}"#)
        #expect(refused.compactMap(text).first?.contains("PERMISSION_DENIED") == true)
        let published = send(&session, #"{"event":"client-ok-move","channel":"private-a","data":{}}"#)
        guard case .publish(let event, _) = try #require(published.first) else {
            Issue.record("not published: \(published)")
            return
        }
        #expect(event.userID.map { String(buffer: $0) } == #""55""#)
        #expect(event.isClientEvent)
    }

    @Test func signInSetsThePrincipalAndJoinsTheUsersChannel() {
        var session = session()
        let userData = #"{"id":"55","user_info":{"name":"Bo"}}"#
        let auth = UserAuthentication.auth(socketID: "1.2", userData: userData, credentials: credentials)
        let escaped = userData.replacingOccurrences(of: "\"", with: "\\\"")
        let actions = send(&session, #"{"event":"pusher:signin","data":{"auth":"\#(auth)","user_data":"\#(escaped)"}}"#)
        #expect(actions.compactMap(text).first?.hasPrefix(#"{"event":"pusher:signin_success""#) == true)
        #expect(actions.contains(.opened(Principal(userID: "55", name: "Bo"))))
        #expect(actions.contains(.join(channel: "#server-to-user-55", lane: DeliveryLane(3))))

        var forged = self.session()
        let bad = send(&forged, #"{"event":"pusher:signin","data":{"auth":"shop-key:00","user_data":"{}"}}"#)
        #expect(
            bad.last
                == .close(
                    CloseCode(rawValue: 4009),
                    reason: "sign-in refused: the auth does not sign this user_data, or it has no id"))
    }

    @Test func aSubscriptionGivenUpBeforeItIsConfirmedIsNotConfirmed() {
        var session = session()
        // A public channel left while the authorizer decides.
        _ = send(&session, #"{"event":"pusher:subscribe","data":{"channel":"products"}}"#)
        _ = send(&session, #"{"event":"pusher:unsubscribe","data":{"channel":"products"}}"#)
        #expect(session.subscribeVerdict(channel: "products", .success(())) == [])
        // A presence channel left while the fan-out adds it: left again, and no member list-less confirmation.
        let data = #"{"user_id":"7"}"#
        let auth = ChannelAuthorization.auth(
            socketID: "1.2", channel: "presence-room", channelData: data, credentials: credentials)
        let subscribe =
            #"{"event":"pusher:subscribe","data":{"channel":"presence-room","auth":"\#(auth)","channel_data":"{\"user_id\":\"7\"}"}}"#
        _ = send(&session, subscribe)
        _ = send(&session, #"{"event":"pusher:unsubscribe","data":{"channel":"presence-room"}}"#)
        let left = session.joined(channel: "presence-room", position: nil, recovery: nil)
        #expect(left.first == .leave(channel: "presence-room"))
        #expect(left.compactMap(text).isEmpty)
        #expect(!left.contains { if case .presenceJoin = $0 { true } else { false } })
        // Subscribing again is confirmed, with the members.
        #expect(send(&session, subscribe) == [.join(channel: "presence-room", lane: DeliveryLane(3))])
        let member = PresenceMember(userID: "7", info: nil)
        #expect(
            session.joined(channel: "presence-room", position: nil, recovery: nil) == [
                .presenceJoin(channel: "presence-room", member: member)
            ])
        let answer = session.presenceJoined(channel: "presence-room", members: [member])
        #expect(answer.compactMap(text).first?.contains(#"\"count\":1"#) == true)
    }

    @Test func aSignedInUserMaySubscribeToItsOwnChannelAsPusherJSDoes() {
        var session = session()
        let early = send(&session, ##"{"event":"pusher:subscribe","data":{"auth":"","channel":"#server-to-user-55"}}"##)
        #expect(early.compactMap(text).first?.contains(#""status":403"#) == true)
        let userData = #"{"id":"55"}"#
        let auth = UserAuthentication.auth(socketID: "1.2", userData: userData, credentials: credentials)
        _ = send(&session, #"{"event":"pusher:signin","data":{"auth":"\#(auth)","user_data":"{\"id\":\"55\"}"}}"#)
        let joined = session.joined(channel: "#server-to-user-55", position: nil, recovery: nil)
        #expect(joined.compactMap(text).first?.contains("pusher_internal:subscription_succeeded") == true)
        let own = send(&session, ##"{"event":"pusher:subscribe","data":{"auth":"","channel":"#server-to-user-55"}}"##)
        #expect(
            own.compactMap(text) == [
                ##"{"event":"pusher_internal:subscription_succeeded","channel":"#server-to-user-55","data":"{}"}"##
            ])
        let other = send(&session, ##"{"event":"pusher:subscribe","data":{"auth":"","channel":"#server-to-user-56"}}"##)
        #expect(other.compactMap(text).first?.contains(#""status":403"#) == true)
    }

    @Test func aConnectionSignsInAsOneUserOnly() {
        var session = session()
        for (id, succeeds) in [("55", true), ("55", true), ("56", false)] {
            let userData = #"{"id":"\#(id)"}"#
            let auth = UserAuthentication.auth(socketID: "1.2", userData: userData, credentials: credentials)
            let escaped = userData.replacingOccurrences(of: "\"", with: "\\\"")
            let actions = send(
                &session, #"{"event":"pusher:signin","data":{"auth":"\#(auth)","user_data":"\#(escaped)"}}"#)
            let first = actions.compactMap(text).first ?? ""
            #expect(first.hasPrefix(#"{"event":"pusher:signin_success""#) == succeeds, "\(id): \(first)")
            #expect(actions.contains(.join(channel: "#server-to-user-56", lane: DeliveryLane(3))) == false)
            #expect(!session.isClosed)
        }
        #expect(session.core.principal?.userID == "55")
    }

    @Test func aClientsCloseIsEchoedWithItsOwnCode() {
        // A browser leaving the page closes with 1001, which the edge itself uses for "shutting down" (Pusher 4200).
        let cases: [(UInt16?, UInt16)] = [(1001, 1001), (4008, 4008), (1000, 1000), (nil, 1000)]
        for (sent, echoed) in cases {
            var session = session()
            #expect(session.closeReceived(code: sent) == [.close(CloseCode(rawValue: echoed), reason: "")])
            #expect(session.isClosed)
        }
    }

    @Test func heartbeatsAndClosesSpeakPusher() {
        var session = session()
        let ping = session.tick(now: SessionInstant(deadline: start.deadline + .seconds(25), wallMilliseconds: 0))
        #expect(ping.compactMap(text) == [#"{"event":"pusher:ping","data":{}}"#])
        let closing = session.terminate(.goingAway, reason: "shutting down")
        #expect(closing.last == .close(CloseCode(rawValue: 4200), reason: "shutting down"))
        #expect(send(&session, #"{"event":"pusher:ping"}"#) == [])
    }
}

@Suite struct PusherCapacityTests {
    @Test func aFullEdgeIsRefusedWithOverQuota() {
        var settings = EdgeSettings(HeraldConfiguration())
        settings.apps = [AppConfig(id: "shop", key: "shop-key", secret: "s")]
        let context = SessionContext(
            connectionID: "1.2", request: ConnectionRequest(uri: "/app/shop-key?protocol=7", headers: [:]),
            principal: nil, settings: settings, lanes: [DeliveryLane(0)],
            now: SessionInstant(deadline: .uptimeNanoseconds(1), wallMilliseconds: 0),
            overCapacity: "CONNECTION_LIMIT: full")
        var session = PusherProtocol().makeSession(context)
        let actions = session.start(now: context.now)
        #expect(
            actions.compactMap(text) == [
                #"{"event":"pusher:error","data":{"code":4004,"message":"CONNECTION_LIMIT: full"}}"#
            ])
        #expect(actions.last == .close(CloseCode(rawValue: 4004), reason: "CONNECTION_LIMIT: full"))
    }
}
