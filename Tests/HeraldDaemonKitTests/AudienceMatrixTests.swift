import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import NIOCore
import Testing

/// The seed access matrix, end to end: the authorizer decides each event's audience once and the edge's
/// `Audience.admits` applies it to every principal.
@Suite("Seed access matrix")
struct AudienceMatrixTests {
    let matrix = AudienceMatrix(EventsConfig())

    enum Who: String, CaseIterable, CustomTestStringConvertible {
        case admin, manager, staff, owner, otherCustomer, guest
        var testDescription: String { rawValue }

        var principal: Principal? {
            switch self {
            case .admin: Principal(userID: "1", roles: ["admin"])
            case .manager: Principal(userID: "2", roles: ["manager"])
            case .staff: Principal(userID: "3", roles: ["staff"])
            case .owner: Principal(userID: "123", roles: ["customer"])
            case .otherCustomer: Principal(userID: "456", roles: ["customer"])
            case .guest: nil
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let event: String
        let channel: String
        let data: String
        let admitted: Set<String>
        var testDescription: String { "\(event) \(data)" }
    }

    static let cases: [Case] = [
        Case(
            event: "order:created", channel: "orders", data: #"{"orderId":9,"customerId":123}"#,
            admitted: ["admin", "manager", "staff", "owner"]),
        Case(
            event: "order:shipped", channel: "orders", data: #"{"customerId":"123"}"#,
            admitted: ["admin", "manager", "staff", "owner"]),
        Case(
            event: "customer:updated", channel: "customers", data: #"{"customerId":123}"#,
            admitted: ["admin", "manager", "staff"]),
        Case(
            event: "product:updated", channel: "orders", data: #"{"productId":5}"#,
            admitted: ["admin", "manager", "staff", "owner", "otherCustomer", "guest"]),
        Case(
            event: "inventory:low", channel: "inventory", data: #"{"sku":"A"}"#,
            admitted: ["admin", "manager", "staff"]),
        Case(
            event: "payment:captured", channel: "payments", data: #"{"customerId":123,"amount":10}"#,
            admitted: ["admin", "manager", "owner"]),
        Case(event: "system:maintenance", channel: "system", data: #"{"at":"02:00"}"#, admitted: ["admin"]),
        Case(
            event: "system:maintenance", channel: "system", data: #"{"targetRoles":["staff","customer"]}"#,
            admitted: ["admin", "staff", "owner", "otherCustomer"]),
        Case(
            event: "order:created", channel: "orders", data: #"{"orderId":9}"#, admitted: ["admin", "manager", "staff"]),
        Case(
            event: "system:maintenance", channel: "system", data: #"{"targetRoles":"staff"}"#, admitted: ["admin"]),
        Case(
            event: "order:created", channel: "public.shop", data: #"{"customerId":123}"#,
            admitted: ["admin", "manager", "staff", "owner", "otherCustomer", "guest"]),
    ]

    @Test(arguments: cases)
    func admitsExactly(_ example: Case) {
        let audience = matrix.audience(
            name: example.event, channels: [example.channel], data: ByteBuffer(string: example.data),
            publisher: Audience())
        let admitted = Set(Who.allCases.filter { audience.admits($0.principal, socketID: "s-\($0)") }.map(\.rawValue))
        #expect(admitted == example.admitted)
    }

    @Test func ownerIsReadAsAString() {
        let audience = matrix.audience(
            name: "order:created", channels: ["orders"], data: ByteBuffer(string: #"{"customerId":123}"#),
            publisher: Audience())
        #expect(audience == Audience(roles: ["admin", "manager", "staff"], owners: ["123"]))
    }

    @Test func publisherRolesNarrowTheGrant() {
        let data = ByteBuffer(string: #"{"customerId":123}"#)
        let toAdmins = matrix.audience(
            name: "order:created", channels: ["orders"], data: data, publisher: Audience(roles: ["admin", "customer"]))
        #expect(toAdmins == Audience(roles: ["admin"], owners: ["123"]))
        let toStaff = matrix.audience(
            name: "payment:captured", channels: ["payments"], data: data, publisher: Audience(roles: ["staff"]))
        #expect(toStaff == Audience(roles: [], owners: nil))
        #expect(!toStaff.admits(Who.staff.principal, socketID: "s"))
        #expect(!toStaff.admits(Who.owner.principal, socketID: "s"))
    }

    @Test func publisherExclusionsStillApply() {
        let audience = matrix.audience(
            name: "order:created", channels: ["orders"], data: ByteBuffer(string: #"{"customerId":123}"#),
            publisher: Audience(excludeUserIDs: ["123"], excludeSocketID: "s-admin"))
        #expect(!audience.admits(Who.owner.principal, socketID: "s-owner"))
        #expect(!audience.admits(Who.admin.principal, socketID: "s-admin"))
        #expect(audience.admits(Who.staff.principal, socketID: "s-staff"))
    }

    @Test func unmatchedEventsKeepThePublisherAudience() {
        let publisher = Audience(userIDs: ["7"])
        let audience = matrix.audience(
            name: "forum.comment.created", channels: ["orders"], data: ByteBuffer(string: "{}"), publisher: publisher)
        #expect(audience == publisher)
    }

    @Test func dataThatIsNotAnObjectHasNoOwner() {
        let audience = matrix.audience(
            name: "payment:captured", channels: ["payments"], data: ByteBuffer(string: "[123]"),
            publisher: Audience())
        #expect(audience == Audience(roles: ["admin", "manager"]))
    }
}
