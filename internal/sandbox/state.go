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

// Instance states and contract states of the OpenAPI document.
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

// destroyedRetention is how many Delays a DESTROYED instance stays visible
// (GET and list) before it disappears and GET answers 404.
const destroyedRetention = 10

// state holds every mutable object, one map per kind. New kinds (load
// balancers, target groups, floating IPs, ...) get their own map here, their
// own record type in the state document and their own handler file.
type state struct {
	instances map[string]*instanceRec
	asgs      map[string]*asgRec
	seq       int64 // creation order, for deterministic listing
}

func newState() *state {
	return &state{instances: map[string]*instanceRec{}, asgs: map[string]*asgRec{}}
}

// instanceRec is an instance as stored, in memory and in the state document.
type instanceRec struct {
	ID                  string      `json:"id"`
	Reference           *string     `json:"reference"`
	Region              string      `json:"region"`
	Type                string      `json:"type"`
	ImageID             string      `json:"imageId"`
	MarketAppID         *string     `json:"marketAppId,omitempty"`
	RootDiskSize        int         `json:"rootDiskSize"`
	RootDiskStorageType string      `json:"rootDiskStorageType"`
	State               string      `json:"state"`
	NextState           string      `json:"nextState,omitempty"`
	StateUntil          *time.Time  `json:"stateUntil,omitempty"`
	RemoveAt            *time.Time  `json:"removeAt,omitempty"`
	Contract            contractRec `json:"contract"`
	SSHKey              string      `json:"sshKey,omitempty"`
	UserData            string      `json:"userData,omitempty"`
	IPs                 []ipRec     `json:"ips"`
	StartedAt           *time.Time  `json:"startedAt"`
	CreatedAt           time.Time   `json:"createdAt"`
	AutoScalingGroupID  string      `json:"autoScalingGroupId,omitempty"`

	seq int64
}

// contractRec is an instance's contract.
type contractRec struct {
	Type             string     `json:"type"`
	Term             int        `json:"term"`
	BillingFrequency int        `json:"billingFrequency"`
	ID               string     `json:"id"`
	State            string     `json:"state"`
	StartsAt         time.Time  `json:"startsAt"`
	EndsAt           *time.Time `json:"endsAt"`
}

// ipRec is one IP address of an instance.
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
// shape. There are no ASG endpoints yet: ASGs come only from Seed, so that
// instances owned by one can be listed.
type asgRec struct {
	ID            string     `json:"id"`
	Type          string     `json:"type"`
	State         string     `json:"state"`
	DesiredAmount *int       `json:"desiredAmount"`
	Region        string     `json:"region"`
	Reference     string     `json:"reference"`
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	StartsAt      *time.Time `json:"startsAt"`
	EndsAt        *time.Time `json:"endsAt"`
	MinimumAmount *int       `json:"minimumAmount"`
	MaximumAmount *int       `json:"maximumAmount"`
	CPUThreshold  *int       `json:"cpuThreshold"`
	WarmupTime    *int       `json:"warmupTime"`
	CooldownTime  *int       `json:"cooldownTime"`
}

// sortedInstances returns the instances in creation order.
func (st *state) sortedInstances() []*instanceRec {
	out := make([]*instanceRec, 0, len(st.instances))
	for _, in := range st.instances {
		out = append(out, in)
	}
	slices.SortFunc(out, func(a, b *instanceRec) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// insertInstance stores a new instance at the end of the creation order.
func (st *state) insertInstance(in *instanceRec) {
	st.seq++
	in.seq = st.seq
	st.instances[in.ID] = in
}

// beginTransition puts in into a transitional state that ends in final after
// the server's delay.
func (s *Server) beginTransition(in *instanceRec, transitional, final string, from time.Time) {
	until := from.Add(s.delay)
	in.State, in.NextState, in.StateUntil = transitional, final, &until
}

// advance applies every transition that is due at now. It reports whether
// anything changed, so the caller can persist.
func (s *Server) advance(now time.Time) bool {
	changed := false
	for _, in := range s.st.sortedInstances() {
		for s.advanceInstance(in, now) {
			changed = true
		}
		if in.State == stateDestroyed && in.RemoveAt != nil && !now.Before(*in.RemoveAt) {
			delete(s.st.instances, in.ID)
			changed = true
		}
	}
	return changed
}

// advanceInstance applies the first due transition of in, if any.
func (s *Server) advanceInstance(in *instanceRec, now time.Time) bool {
	if in.NextState != "" && in.StateUntil != nil && !now.Before(*in.StateUntil) {
		s.completeTransition(in, *in.StateUntil)
		return true
	}
	ends := in.Contract.EndsAt
	if in.Contract.State == contractDeleteScheduled && ends != nil && !now.Before(*ends) &&
		in.State != stateDestroying && in.State != stateDestroyed {
		s.beginTransition(in, stateDestroying, stateDestroyed, *ends)
		return true
	}
	return false
}

// completeTransition lands in in its next state at time at.
func (s *Server) completeTransition(in *instanceRec, at time.Time) {
	next := in.NextState
	from := in.State
	in.State, in.NextState, in.StateUntil = next, "", nil
	switch {
	case from == stateCreating:
		in.IPs = s.st.allocateIPs()
		t := at
		in.StartedAt = &t
		if in.Contract.State == contractPending {
			in.Contract.State = contractActive
		}
	case next == stateDestroyed:
		in.IPs = []ipRec{}
		in.Contract.State = contractInactive
		remove := at.Add(destroyedRetention * s.delay)
		in.RemoveAt = &remove
	}
}

// contractEnd is the end of the MONTHLY contract period running at now:
// startsAt plus the smallest whole number of terms that lies after now.
func contractEnd(c contractRec, now time.Time) time.Time {
	term := max(c.Term, 1)
	end := c.StartsAt
	for n := 1; !end.After(now); n++ {
		end = c.StartsAt.AddDate(0, n*term, 0)
	}
	return end
}
