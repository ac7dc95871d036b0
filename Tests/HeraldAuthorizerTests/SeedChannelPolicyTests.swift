import HeraldModel
import Testing

@testable import HeraldAuthorizer

@Suite struct SeedChannelPolicyTests {
    let policy = SeedChannelPolicy()
    let user42 = Principal(userID: "42", roles: ["member"])

    @Test(arguments: [
        "marketplace.global", "products", "product.9", "showcase.3", "public.news", "thread.456", "forum.2",
    ])
    func publicChannelsAreOpen(_ channel: String) {
        #expect(policy.maySubscribe(user42, to: channel))
    }

    @Test(arguments: [
        "user.42", "user.42.messages", "user.42.orders", "user.42.following", "private-user.42", "following.42",
    ])
    func ownChannelsAreOpenToTheirOwner(_ channel: String) {
        #expect(policy.maySubscribe(user42, to: channel))
        #expect(!policy.maySubscribe(Principal(userID: "43"), to: channel))
    }

    @Test(arguments: ["user.42.secrets", "admin.notifications", "conversation.1", "room.5", "thread.1.extra", "user."])
    func everythingElseIsRefused(_ channel: String) {
        #expect(!policy.maySubscribe(user42, to: channel))
    }

    @Test func tokenChannelsClaimGrantsExactNamesAndPrefixes() {
        let granted = Principal(userID: "1", channels: ["conversation.9", "room.*"])
        #expect(policy.maySubscribe(granted, to: "conversation.9"))
        #expect(!policy.maySubscribe(granted, to: "conversation.10"))
        #expect(policy.maySubscribe(granted, to: "room.lottery-1"))
        #expect(!policy.maySubscribe(granted, to: "roomy"))
    }
}
