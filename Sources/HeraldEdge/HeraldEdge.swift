// HeraldEdge
