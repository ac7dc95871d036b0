import HeraldSystemd
import Testing

@Suite struct ListenedSocketsTests {
    @Test func mapsNamesToDescriptorsInOrder() throws {
        let sockets = ListenedSockets(fileDescriptors: [3, 4, 5], names: ["http", "admin", "http"])
        #expect(sockets.names == ["http", "admin"])
        #expect(sockets.take("http") == [3, 5])
        #expect(sockets.take("admin") == [4])
        #expect(sockets.take("input").isEmpty)
        #expect(try sockets.fd(named: "admin") == 4)
        #expect(!sockets.isEmpty)
    }

    @Test func unnamedDescriptorsAreCalledUnknown() {
        let sockets = ListenedSockets(fileDescriptors: [3, 4], names: ["input"])
        #expect(sockets.entries.map(\.name) == ["input", "unknown"])
        #expect(sockets.take("unknown") == [4])
    }

    @Test func missingNameErrorSaysWhatWasPassedAndWhatToDo() {
        let sockets = ListenedSockets(fileDescriptors: [3, 4], names: ["input", "admin"])
        #expect {
            _ = try sockets.fd(named: "http")
        } throws: { error in
            let message = (error as? SystemdError)?.message ?? ""
            return message.contains("'http'") && message.contains("'input', 'admin'")
                && message.contains("FileDescriptorName=") && message.contains("--listen http=ADDRESS")
        }
    }

    @Test func missingNameWithNothingPassedSaysSo() {
        let sockets = ListenedSockets(fileDescriptors: [], names: [])
        #expect(sockets.isEmpty)
        #expect {
            _ = try sockets.fd(named: "websocket")
        } throws: { error in
            let message = (error as? SystemdError)?.message ?? ""
            return message.contains("no sockets were passed") && message.contains("--listen websocket=ADDRESS")
        }
    }

    @Test func oneNameOnSeveralDescriptorsIsAmbiguousForFdNamed() {
        let sockets = ListenedSockets(fileDescriptors: [3, 4], names: ["websocket", "websocket"])
        #expect {
            _ = try sockets.fd(named: "websocket")
        } throws: { error in
            ((error as? SystemdError)?.message ?? "").contains("2 sockets are named 'websocket'")
        }
    }
}
