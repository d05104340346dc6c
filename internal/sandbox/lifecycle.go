package sandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Instances and load balancers share one lifecycle: the same state enum,
// the same transitions (CREATING→RUNNING, STARTING→RUNNING,
// STOPPING→STOPPED, DESTROYING→DESTROYED), the same contracts (HOURLY ends
// at once, MONTHLY is DELETE_SCHEDULED until the end of its term) and the
// same addresses. machine holds that part of both records; it is embedded,
// so its fields sit at the top level of each record in the state document.

// machine is the lifecycle part of an instance or a load balancer.
type machine struct {
	State      string      `json:"state"`
	NextState  string      `json:"nextState,omitempty"`
	StateUntil *time.Time  `json:"stateUntil,omitempty"`
	RemoveAt   *time.Time  `json:"removeAt,omitempty"`
	Contract   contractRec `json:"contract"`
	IPs        []ipRec     `json:"ips"`
	StartedAt  *time.Time  `json:"startedAt"`
	CreatedAt  time.Time   `json:"createdAt"`
}

// machineKind is what the shared handlers need to know about a kind: its
// noun in messages, the path parameter naming one, and how to find one in
// the current state (nil: there is none).
type machineKind struct {
	noun  string
	param string
	find  func(id string) *machine
}

// instanceKind and lbKind read s.st when called, so they see Seed and Reset.
func (s *Server) instanceKind() machineKind {
	return machineKind{noun: "instance", param: "instanceId", find: func(id string) *machine {
		if in, ok := s.st.instances[id]; ok {
			return &in.machine
		}
		return nil
	}}
}

func (s *Server) lbKind() machineKind {
	return machineKind{noun: "load balancer", param: "loadBalancerId", find: func(id string) *machine {
		if lb, ok := s.st.lbs[id]; ok {
			return &lb.machine
		}
		return nil
	}}
}

// of returns the object named by the kind's path parameter or the
// documented 404.
func (k machineKind) of(rq *request) (*machine, error) {
	m := k.find(rq.params[k.param])
	if m == nil {
		return nil, errNotFound()
	}
	return m, nil
}

// beginTransition puts m into a transitional state that ends in final after
// the server's delay.
func (s *Server) beginTransition(m *machine, transitional, final string, from time.Time) {
	until := from.Add(s.delay)
	m.State, m.NextState, m.StateUntil = transitional, final, &until
}

// advanceMachine applies the first due transition of m, if any.
func (s *Server) advanceMachine(m *machine, now time.Time) bool {
	if m.NextState != "" && m.StateUntil != nil && !now.Before(*m.StateUntil) {
		s.completeTransition(m, *m.StateUntil)
		return true
	}
	ends := m.Contract.EndsAt
	if m.Contract.State == contractDeleteScheduled && ends != nil && !now.Before(*ends) &&
		m.State != stateDestroying && m.State != stateDestroyed {
		s.beginTransition(m, stateDestroying, stateDestroyed, *ends)
		return true
	}
	return false
}

// expired reports whether a DESTROYED object's retention is over.
func (m *machine) expired(now time.Time) bool {
	return m.State == stateDestroyed && m.RemoveAt != nil && !now.Before(*m.RemoveAt)
}

// completeTransition lands m in its next state at time at.
func (s *Server) completeTransition(m *machine, at time.Time) {
	next := m.NextState
	from := m.State
	m.State, m.NextState, m.StateUntil = next, "", nil
	switch {
	case from == stateCreating:
		m.IPs = s.st.allocateIPs()
		t := at
		m.StartedAt = &t
		if m.Contract.State == contractPending {
			m.Contract.State = contractActive
		}
	case next == stateDestroyed:
		m.IPs = []ipRec{}
		m.Contract.State = contractInactive
		remove := at.Add(destroyedRetention * s.delay)
		m.RemoveAt = &remove
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

// addPowerActions adds POST {path}/start, /stop and /reboot for kind k.
func (s *Server) addPowerActions(rt *router, path string, k machineKind) {
	rt.add(http.MethodPost, path+"/start", s.powerAction(k, stateStopped, stateStarting, stateRunning))
	rt.add(http.MethodPost, path+"/stop", s.powerAction(k, stateRunning, stateStopping, stateStopped))
	rt.add(http.MethodPost, path+"/reboot", s.powerAction(k, stateRunning, stateStarting, stateRunning))
}

// powerAction returns the handler of POST .../start, .../stop or .../reboot
// of an instance or a load balancer: 202 with no body when the object is in
// state need, after which it is in transitional until the delay has passed
// and then in final; 400 otherwise. A reboot goes through STARTING (the API
// has no REBOOTING state).
func (s *Server) powerAction(k machineKind, need, transitional, final string) handlerFunc {
	return func(rq *request) (response, error) {
		m, err := k.of(rq)
		if err != nil {
			return response{}, err
		}
		if m.State != need {
			return response{}, errPrecondition(k.param,
				fmt.Sprintf("The %s must be %s; it is %s.", k.noun, need, m.State))
		}
		s.beginTransition(m, transitional, final, rq.now)
		s.dirty = true
		return emptyResponse(http.StatusAccepted)
	}
}

// terminable is the precondition of DELETE: not while CREATING, DESTROYING
// or DESTROYED, nor when already scheduled for termination.
func terminable(k machineKind, m *machine) error {
	switch m.State {
	case stateCreating, stateDestroying, stateDestroyed:
		return errPrecondition(k.param, fmt.Sprintf("The %s cannot be terminated while it is %s.", k.noun, m.State))
	}
	if m.Contract.State != contractDeleteScheduled {
		return nil
	}
	msg := fmt.Sprintf("The %s is already scheduled for termination.", k.noun)
	if m.Contract.EndsAt != nil {
		msg = fmt.Sprintf("The %s is already scheduled for termination at %s.", k.noun,
			m.Contract.EndsAt.UTC().Format(time.RFC3339))
	}
	return errPrecondition(k.param, msg)
}

// checkReason validates the reasonCode and reason of a terminate body;
// required says whether reasonCode must be there (MONTHLY instances, every
// load balancer).
func checkReason(f *fields, required bool, why string) {
	code, hasCode := f.str("reasonCode")
	switch {
	case hasCode:
		f.enum("reasonCode", code, cancellationReasons())
	case required && !f.has("reasonCode"):
		f.add("reasonCode", why)
	}
	if reason, _ := f.str("reason"); code == "CANCEL_OTHER" && reason == "" {
		f.add("reason", "This value is required when reasonCode is CANCEL_OTHER.")
	}
}

// terminate applies a validated DELETE: MONTHLY contracts are scheduled to
// end with the current term, HOURLY ones start DESTROYING now.
func (s *Server) terminate(m *machine, now time.Time) {
	if m.Contract.Type == contractMonthly {
		end := contractEnd(m.Contract, now)
		m.Contract.State, m.Contract.EndsAt = contractDeleteScheduled, &end
	} else {
		s.beginTransition(m, stateDestroying, stateDestroyed, now)
	}
	s.dirty = true
}

// transitions maps each transitional state to where it ends.
func transitions() map[string]string {
	return map[string]string{
		stateCreating: stateRunning, stateStarting: stateRunning,
		stateStopping: stateStopped, stateDestroying: stateDestroyed,
	}
}

// normaliseLifecycle checks the state of a seeded object and completes a
// transitional one.
func (s *Server) normaliseLifecycle(m *machine, now time.Time) error {
	m.State = cmp.Or(m.State, stateRunning)
	valid := []string{stateCreating, stateDestroyed, stateDestroying, "FAILED", stateRunning,
		stateStarting, stateStopped, stateStopping, "UNKNOWN"}
	if !slices.Contains(valid, m.State) {
		return fmt.Errorf("state %q is not an instance state", m.State)
	}
	if next, ok := transitions()[m.State]; ok && m.NextState == "" {
		until := now.Add(s.delay)
		m.NextState, m.StateUntil = next, &until
	}
	if m.NextState != "" && m.StateUntil == nil {
		return fmt.Errorf("nextState %s needs stateUntil", m.NextState)
	}
	if m.StartedAt == nil && m.State != stateCreating {
		t := m.CreatedAt
		m.StartedAt = &t
	}
	if m.State == stateDestroyed && m.RemoveAt == nil {
		t := now.Add(destroyedRetention * s.delay)
		m.RemoveAt = &t
	}
	for i := range m.IPs {
		ip := &m.IPs[i]
		ip.PrefixLength = cmp.Or(ip.PrefixLength, "32")
		ip.Version = cmp.Or(ip.Version, 4)
		ip.NetworkType = cmp.Or(ip.NetworkType, "PUBLIC")
	}
	return nil
}

// normaliseContract checks the contract of a seeded object and fills in its
// defaults.
func (s *Server) normaliseContract(m *machine, now time.Time) error {
	c := &m.Contract
	c.Type = cmp.Or(c.Type, contractHourly)
	if !slices.Contains(contractTypes(), c.Type) {
		return fmt.Errorf("contract.type %q is not HOURLY or MONTHLY", c.Type)
	}
	c.BillingFrequency = cmp.Or(c.BillingFrequency, 1)
	if c.Type == contractMonthly {
		c.Term = cmp.Or(c.Term, 1)
		if c.ID == "" {
			c.ID = s.newContractID()
		}
	}
	switch {
	case c.State != "":
	case m.State == stateCreating:
		c.State = contractPending
	case m.State == stateDestroyed:
		c.State = contractInactive
	default:
		c.State = contractActive
	}
	valid := []string{contractActive, contractDeleteScheduled, contractPending, contractInactive, "CANCELLED"}
	if !slices.Contains(valid, c.State) {
		return fmt.Errorf("contract.state %q is not a contract state", c.State)
	}
	if c.StartsAt.IsZero() {
		c.StartsAt = m.CreatedAt
	}
	if c.State == contractDeleteScheduled && c.EndsAt == nil {
		end := contractEnd(*c, now)
		c.EndsAt = &end
	}
	return nil
}
