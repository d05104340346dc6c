package sandbox

import (
	"cmp"
	"slices"
	"time"
)

// Transitional states are not timers: an object stores the state it is in,
// the state it is heading for and when it gets there (nextState,
// stateUntil). Every request first calls advance with the current time, under
// the lock, and applies every transition whose time has come, each at its
// own scheduled time (so startedAt is the moment CREATING ended, not the
// moment someone looked). Because only timestamps are stored, a state file
// written by one process keeps advancing when the next process loads it.
// The same pass keeps the links between kinds consistent (see sweep).

// Instance and load balancer states and contract states of the OpenAPI
// document.
const (
	stateCreating   = "CREATING"
	stateRunning    = "RUNNING"
	stateStarting   = "STARTING"
	stateStopping   = "STOPPING"
	stateStopped    = "STOPPED"
	stateDestroying = "DESTROYING"
	stateDestroyed  = "DESTROYED"

	contractPending         = "PENDING"
	contractActive          = "ACTIVE"
	contractDeleteScheduled = "DELETE_SCHEDULED"
	contractInactive        = "INACTIVE"

	contractHourly  = "HOURLY"
	contractMonthly = "MONTHLY"
)

// destroyedRetention is how many Delays a DESTROYED instance or load
// balancer stays visible (GET and list) before it disappears and GET
// answers 404.
const destroyedRetention = 10

// state holds every mutable object, one map per kind. New kinds (floating
// IPs, ...) get their own map here, their own record type in the state
// document and their own handler file. Listeners live inside their load
// balancer.
type state struct {
	instances map[string]*instanceRec
	asgs      map[string]*asgRec
	lbs       map[string]*lbRec
	tgs       map[string]*tgRec
	seq       int64 // creation order, for deterministic listing
}

func newState() *state {
	return &state{instances: map[string]*instanceRec{}, asgs: map[string]*asgRec{},
		lbs: map[string]*lbRec{}, tgs: map[string]*tgRec{}}
}

// instanceRec is an instance as stored, in memory and in the state document.
type instanceRec struct {
	ID                  string  `json:"id"`
	Reference           *string `json:"reference"`
	Region              string  `json:"region"`
	Type                string  `json:"type"`
	ImageID             string  `json:"imageId"`
	MarketAppID         *string `json:"marketAppId,omitempty"`
	RootDiskSize        int     `json:"rootDiskSize"`
	RootDiskStorageType string  `json:"rootDiskStorageType"`
	machine
	SSHKey             sealed `json:"sshKey,omitempty"`   // see sealed.go
	UserData           sealed `json:"userData,omitempty"` // see sealed.go
	AutoScalingGroupID string `json:"autoScalingGroupId,omitempty"`

	seq int64
}

// contractRec is an instance's or a load balancer's contract.
type contractRec struct {
	Type             string     `json:"type"`
	Term             int        `json:"term"`
	BillingFrequency int        `json:"billingFrequency"`
	ID               string     `json:"id"`
	State            string     `json:"state"`
	StartsAt         time.Time  `json:"startsAt"`
	EndsAt           *time.Time `json:"endsAt"`
}

// ipRec is one IP address of an instance or a load balancer.
type ipRec struct {
	IP            string  `json:"ip"`
	PrefixLength  string  `json:"prefixLength"`
	Version       int     `json:"version"`
	NetworkType   string  `json:"networkType"`
	MainIP        bool    `json:"mainIp"`
	NullRouted    bool    `json:"nullRouted"`
	ReverseLookup *string `json:"reverseLookup"`
}

// asgRec is an auto scaling group, stored in the autoScalingGroup wire
// shape plus the ids of the target groups registered with it. ASGs come
// only from Seed: the API can read them and link target groups, not create
// or delete them.
type asgRec struct {
	ID             string     `json:"id"`
	Type           string     `json:"type"`
	State          string     `json:"state"`
	DesiredAmount  *int       `json:"desiredAmount"`
	Region         string     `json:"region"`
	Reference      string     `json:"reference"`
	CreatedAt      time.Time  `json:"createdAt"`
	UpdatedAt      time.Time  `json:"updatedAt"`
	StartsAt       *time.Time `json:"startsAt"`
	EndsAt         *time.Time `json:"endsAt"`
	MinimumAmount  *int       `json:"minimumAmount"`
	MaximumAmount  *int       `json:"maximumAmount"`
	CPUThreshold   *int       `json:"cpuThreshold"`
	WarmupTime     *int       `json:"warmupTime"`
	CooldownTime   *int       `json:"cooldownTime"`
	TargetGroupIDs []string   `json:"targetGroupIds"`
}

// lbRec is a load balancer with its listeners.
type lbRec struct {
	ID        string  `json:"id"`
	Reference *string `json:"reference"`
	Region    string  `json:"region"`
	Type      string  `json:"type"`
	machine
	Configuration lbConfigRec    `json:"configuration"`
	Listeners     []*listenerRec `json:"listeners"`

	seq int64
}

// lbConfigRec is a load balancer's configuration.
type lbConfigRec struct {
	StickySession *stickySessionRec `json:"stickySession"`
	Balance       string            `json:"balance"`
	XForwardedFor bool              `json:"xForwardedFor"`
	IdleTimeOut   int               `json:"idleTimeOut"`
}

type stickySessionRec struct {
	Enabled     bool `json:"enabled"`
	MaxLifeTime int  `json:"maxLifeTime"`
}

// listenerRec is a listener: its default rule (the only rule the API
// manages) is ruleId → targetGroupId.
type listenerRec struct {
	ID            string   `json:"id"`
	Protocol      string   `json:"protocol"`
	Port          int      `json:"port"`
	RuleID        string   `json:"ruleId"`
	TargetGroupID string   `json:"targetGroupId"`
	Certificate   *certRec `json:"certificate,omitempty"`
}

// certRec is a listener's SSL certificate, sealed (see sealed.go).
type certRec struct {
	PrivateKey  sealed `json:"privateKey"`
	Certificate sealed `json:"certificate"`
	Chain       sealed `json:"chain,omitempty"`
}

// tgRec is a target group. Targets are instance ids in registration order.
// LockedUntil is the end of the 423 window after a register or deregister.
type tgRec struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Protocol    string          `json:"protocol"`
	Port        int             `json:"port"`
	Region      string          `json:"region"`
	HealthCheck *healthCheckRec `json:"healthCheck"`
	Targets     []string        `json:"targets"`
	LockedUntil *time.Time      `json:"lockedUntil,omitempty"`

	seq int64
}

// healthCheckRec is a target group's health check; "" is null on the wire.
type healthCheckRec struct {
	Protocol string `json:"protocol"`
	Method   string `json:"method,omitempty"`
	URI      string `json:"uri"`
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port"`
}

// bySeq returns the values of m in creation order.
func bySeq[T any](m map[string]*T, seq func(*T) int64) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}

// sortedInstances returns the instances in creation order.
func (st *state) sortedInstances() []*instanceRec {
	return bySeq(st.instances, func(in *instanceRec) int64 { return in.seq })
}

// sortedLBs returns the load balancers in creation order.
func (st *state) sortedLBs() []*lbRec {
	return bySeq(st.lbs, func(lb *lbRec) int64 { return lb.seq })
}

// sortedTGs returns the target groups in creation order.
func (st *state) sortedTGs() []*tgRec {
	return bySeq(st.tgs, func(tg *tgRec) int64 { return tg.seq })
}

// sortedASGs returns the auto scaling groups by creation time, then id.
func (st *state) sortedASGs() []*asgRec {
	out := make([]*asgRec, 0, len(st.asgs))
	for _, a := range st.asgs {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *asgRec) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// insertInstance stores a new instance at the end of the creation order.
func (st *state) insertInstance(in *instanceRec) {
	st.seq++
	in.seq = st.seq
	st.instances[in.ID] = in
}

// insertLB stores a new load balancer at the end of the creation order.
func (st *state) insertLB(lb *lbRec) {
	st.seq++
	lb.seq = st.seq
	st.lbs[lb.ID] = lb
}

// insertTG stores a new target group at the end of the creation order.
func (st *state) insertTG(tg *tgRec) {
	st.seq++
	tg.seq = st.seq
	st.tgs[tg.ID] = tg
}

// advance applies every transition that is due at now. It reports whether
// anything changed, so the caller can persist.
func (s *Server) advance(now time.Time) bool {
	changed := false
	for _, in := range s.st.sortedInstances() {
		for s.advanceMachine(&in.machine, now) {
			changed = true
		}
		if in.expired(now) {
			delete(s.st.instances, in.ID)
			changed = true
		}
	}
	for _, lb := range s.st.sortedLBs() {
		for s.advanceMachine(&lb.machine, now) {
			changed = true
		}
		if lb.expired(now) {
			delete(s.st.lbs, lb.ID)
			changed = true
		}
	}
	return s.st.sweep(now) || changed
}

// sweep keeps the links between kinds consistent after transitions: a
// load balancer loses its listeners when it starts DESTROYING; an instance
// leaves its target groups when it is DESTROYED (or gone); a target group's
// 423 window is forgotten once it is over.
func (st *state) sweep(now time.Time) bool {
	changed := false
	for _, lb := range st.lbs {
		if (lb.State == stateDestroying || lb.State == stateDestroyed) && len(lb.Listeners) > 0 {
			lb.Listeners = []*listenerRec{}
			changed = true
		}
	}
	for _, tg := range st.tgs {
		kept := slices.DeleteFunc(slices.Clone(tg.Targets), func(id string) bool {
			in, ok := st.instances[id]
			return !ok || in.State == stateDestroyed
		})
		if len(kept) != len(tg.Targets) {
			tg.Targets = kept
			changed = true
		}
		if tg.LockedUntil != nil && !now.Before(*tg.LockedUntil) {
			tg.LockedUntil = nil
			changed = true
		}
	}
	return changed
}
