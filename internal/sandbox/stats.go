package sandbox

import (
	"maps"
	"sync"
)

// Stats counts the API requests a Server has seen since it started or since
// ResetStats. Control routes (/_sandbox/) are not counted.
type Stats struct {
	// Total is the number of API requests, dropped ones included.
	Total int `json:"total"`
	// ByRoute counts requests by "METHOD /route/template", e.g.
	// "GET /publicCloud/v1/instances/{instanceId}"; a request that matched
	// no route counts under "METHOD (no route)".
	ByRoute map[string]int `json:"byRoute"`
	// ByStatus counts answered requests by HTTP status.
	ByStatus map[int]int `json:"byStatus"`
	// Dropped counts requests whose connection was dropped by a fault.
	Dropped int `json:"dropped"`
	// Faults counts requests that an injected fault answered or dropped.
	Faults int `json:"faults"`
	// MaxInFlight is the largest number of API requests handled at once.
	MaxInFlight int `json:"maxInFlight"`
}

// statsCollector is the mutex-guarded Stats of a Server.
type statsCollector struct {
	mu       sync.Mutex
	s        Stats
	inFlight int
}

func newStats() Stats {
	return Stats{ByRoute: map[string]int{}, ByStatus: map[int]int{}}
}

// begin marks the start of a request.
func (c *statsCollector) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight++
	c.s.MaxInFlight = max(c.s.MaxInFlight, c.inFlight)
}

// end records a finished request. status is ignored when dropped.
func (c *statsCollector) end(routeKey string, status int, dropped, fault bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight--
	c.s.Total++
	c.s.ByRoute[routeKey]++
	if dropped {
		c.s.Dropped++
	} else {
		c.s.ByStatus[status]++
	}
	if fault {
		c.s.Faults++
	}
}

func (c *statsCollector) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByRoute = maps.Clone(c.s.ByRoute)
	out.ByStatus = maps.Clone(c.s.ByStatus)
	return out
}

func (c *statsCollector) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = newStats()
	c.s.MaxInFlight = c.inFlight
}
