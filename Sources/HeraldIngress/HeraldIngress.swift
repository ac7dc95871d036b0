// HeraldIngress
