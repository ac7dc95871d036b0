import HeraldModel
import HeraldWire

extension WireFailure {
    /// The one place Swift errors become wire codes for `error` frames and failed responses.
    public init(_ error: any Error) {
        switch error {
        case let error as HeraldError: self.init(code: error.code.rawValue, message: error.message)
        case let error as WireError: self.init(code: error.code.rawValue, message: "\(error)")
        default: self.init(code: ErrorCode.internal.rawValue, message: "\(error)")
        }
    }
}
