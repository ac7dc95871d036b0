import HeraldModel
import HeraldWire
import Logging

extension ChannelHub {
    /// A batcher window's flush: events of one channel, in delivery order. Events already delivered on their
    /// channel are dropped, as single deliveries are; the rest move the channel's position to the last one's
    /// and go to the event loops as one delivery, encoded once per lane in use, that each connection gets in
    /// one write (or the part of it its audience admits).
    func deliver(batch events: [WireEvent]) {
        let channel = events.first?.channels.first ?? ""
        guard events.allSatisfy({ ($0.channels.first ?? "") == channel }) else {
            // The batcher sends one channel per batch; a mixed one is split, each channel keeping its order.
            var channels: [String] = []
            var byChannel: [String: [WireEvent]] = [:]
            for event in events {
                let channel = event.channels.first ?? ""
                if byChannel[channel] == nil { channels.append(channel) }
                byChannel[channel, default: []].append(event)
            }
            for channel in channels { deliver(batch: byChannel[channel] ?? [], on: channel) }
            return
        }
        deliver(batch: events, on: channel)
    }

    private func deliver(batch events: [WireEvent], on channel: String) {
        let fresh = events.filter { isFirstDelivery(of: $0, on: channel) }
        guard let last = fresh.last else { return }
        guard table.advance(channel, epoch: last.epoch, offset: last.offset),
            let loops = table.loops(subscribedTo: channel), let lanes = table.lanes(of: channel)
        else {
            counters.unrouted += fresh.count
            logger.debug(
                "no subscribers left for a batch",
                metadata: ["herald.channel": "\(channel)", "herald.events": "\(fresh.count)"])
            return
        }
        counters.deliveries += fresh.count
        counters.batches += 1
        let delivery = Delivery(
            batch: fresh, channel: channel, lanes: lanes, encoders: encoders, allocator: allocator)
        enqueue(delivery, to: loops)
    }

    /// Remembers that `event` reached `channel`; false, counted as a duplicate, when it had before. One event
    /// may be published on several channels under one id, so duplicates are per (id, channel).
    func isFirstDelivery(of event: WireEvent, on channel: String) -> Bool {
        guard seen.insert(EventID(uncheckedRawValue: event.id.rawValue + " " + channel)) else {
            counters.duplicates += 1
            logger.debug(
                "dropped a duplicate delivery",
                metadata: ["herald.event.id": "\(event.id)", "herald.channel": "\(channel)"])
            return false
        }
        return true
    }
}
