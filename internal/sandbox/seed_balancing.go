package sandbox

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Seeding of the load balancing kinds; buildState (seed.go) calls these in
// dependency order: target groups, auto scaling groups (which link target
// groups), instances, then targets (which name instances) and load
// balancers with their listeners (which name target groups).

// seedGroups builds the target groups and auto scaling groups of doc.
func (s *Server) seedGroups(st *state, doc *stateDocument, now time.Time) error {
	for i, tg := range doc.TargetGroups {
		if err := s.normaliseTG(tg); err != nil {
			return fmt.Errorf("targetGroups[%d]: %w", i, err)
		}
		if _, dup := st.tgs[tg.ID]; dup {
			return fmt.Errorf("targetGroups[%d]: duplicate id %s", i, tg.ID)
		}
		st.insertTG(tg)
	}
	for i, a := range doc.AutoScalingGroups {
		if err := s.normaliseASG(a, now); err != nil {
			return fmt.Errorf("autoScalingGroups[%d]: %w", i, err)
		}
		if err := linkASG(st, a); err != nil {
			return fmt.Errorf("autoScalingGroups[%d]: %w", i, err)
		}
		if _, dup := st.asgs[a.ID]; dup {
			return fmt.Errorf("autoScalingGroups[%d]: duplicate id %s", i, a.ID)
		}
		st.asgs[a.ID] = a
	}
	return nil
}

// seedBalancers checks the targets of the target groups, once the instances
// are built, and builds the load balancers of doc with their listeners.
func (s *Server) seedBalancers(st *state, doc *stateDocument, now time.Time) error {
	for i, tg := range st.sortedTGs() {
		if err := checkTargets(st, tg); err != nil {
			return fmt.Errorf("targetGroups[%d]: %w", i, err)
		}
	}
	for i, lb := range doc.LoadBalancers {
		if err := s.normaliseLB(st, lb, now); err != nil {
			return fmt.Errorf("loadBalancers[%d]: %w", i, err)
		}
		if _, dup := st.lbs[lb.ID]; dup {
			return fmt.Errorf("loadBalancers[%d]: duplicate id %s", i, lb.ID)
		}
		st.insertLB(lb)
	}
	return nil
}

// normaliseTG checks a seeded target group and fills in its defaults:
// protocol HTTP, port 80, no health check, no targets.
func (s *Server) normaliseTG(tg *tgRec) error {
	if tg == nil {
		return errors.New("null entry")
	}
	if tg.ID == "" {
		tg.ID = s.newUUID()
	}
	if tg.Name == "" {
		return errors.New("name is required")
	}
	if _, ok := s.cat.region(tg.Region); !ok {
		return fmt.Errorf("region %q is not a region", tg.Region)
	}
	tg.Protocol = cmp.Or(tg.Protocol, "HTTP")
	if !slices.Contains(protocols(), tg.Protocol) {
		return fmt.Errorf("protocol %q is not HTTP, HTTPS or TCP", tg.Protocol)
	}
	tg.Port = cmp.Or(tg.Port, 80)
	if tg.Port < 1 || tg.Port > 65535 {
		return fmt.Errorf("port %d is not between 1 and 65535", tg.Port)
	}
	if tg.Targets == nil {
		tg.Targets = []string{}
	}
	if hc := tg.HealthCheck; hc != nil {
		if err := hc.check(); err != nil {
			return fmt.Errorf("healthCheck: %w", err)
		}
	}
	return nil
}

// check applies the API's health check rules to a seeded health check.
func (hc *healthCheckRec) check() error {
	switch {
	case !slices.Contains(protocols(), hc.Protocol):
		return fmt.Errorf("protocol %q is not HTTP, HTTPS or TCP", hc.Protocol)
	case hc.URI == "":
		return errors.New("uri is required")
	case hc.Port < 1 || hc.Port > 65535:
		return fmt.Errorf("port %d is not between 1 and 65535", hc.Port)
	case hc.Protocol == "TCP" && hc.Method != "":
		return errors.New("method is not allowed when protocol is TCP")
	case hc.Protocol != "TCP" && !slices.Contains(httpMethods(), hc.Method):
		return fmt.Errorf("method %q is not GET, HEAD, POST or OPTIONS", hc.Method)
	}
	return nil
}

// linkASG checks the target groups a seeded auto scaling group names.
func linkASG(st *state, a *asgRec) error {
	if a.TargetGroupIDs == nil {
		a.TargetGroupIDs = []string{}
	}
	for i, id := range a.TargetGroupIDs {
		tg, ok := st.tgs[id]
		switch {
		case !ok:
			return fmt.Errorf("targetGroupIds[%d]: %s is not in targetGroups", i, id)
		case tg.Region != a.Region:
			return fmt.Errorf("targetGroupIds[%d]: target group %s is in %s, the group in %s", i, id, tg.Region, a.Region)
		case slices.Contains(a.TargetGroupIDs[:i], id):
			return fmt.Errorf("targetGroupIds[%d]: %s appears twice", i, id)
		}
	}
	return nil
}

// checkTargets checks that a seeded target group's targets are instances
// of the document, in its region, each listed once.
func checkTargets(st *state, tg *tgRec) error {
	for i, id := range tg.Targets {
		in, ok := st.instances[id]
		switch {
		case !ok:
			return fmt.Errorf("targets[%d]: %s is not in instances", i, id)
		case in.Region != tg.Region:
			return fmt.Errorf("targets[%d]: instance %s is in %s, the target group in %s", i, id, in.Region, tg.Region)
		case slices.Contains(tg.Targets[:i], id):
			return fmt.Errorf("targets[%d]: %s appears twice", i, id)
		}
	}
	return nil
}

// normaliseLB checks a seeded load balancer and fills in its defaults: the
// lifecycle and contract ones of instances, and the configuration of a new
// load balancer (roundrobin, idle timeout 60).
func (s *Server) normaliseLB(st *state, lb *lbRec, now time.Time) error {
	if lb == nil {
		return errors.New("null entry")
	}
	if lb.ID == "" {
		lb.ID = s.newUUID()
	}
	if _, ok := s.cat.region(lb.Region); !ok {
		return fmt.Errorf("region %q is not a region", lb.Region)
	}
	if _, ok := s.cat.instanceType(lb.Type); !ok {
		return fmt.Errorf("type %q is not in the sandbox catalog", lb.Type)
	}
	if lb.CreatedAt.IsZero() {
		lb.CreatedAt = now
	}
	if err := s.normaliseLifecycle(&lb.machine, now); err != nil {
		return err
	}
	if err := s.normaliseContract(&lb.machine, now); err != nil {
		return err
	}
	c := &lb.Configuration
	c.Balance = cmp.Or(c.Balance, "roundrobin")
	c.IdleTimeOut = cmp.Or(c.IdleTimeOut, 60)
	if !slices.Contains(balances(), c.Balance) {
		return fmt.Errorf("configuration.balance %q is not roundrobin, leastconn or source", c.Balance)
	}
	if lb.Listeners == nil {
		lb.Listeners = []*listenerRec{}
	}
	for i, l := range lb.Listeners {
		if err := s.normaliseListener(st, lb, l); err != nil {
			return fmt.Errorf("listeners[%d]: %w", i, err)
		}
		if slices.ContainsFunc(lb.Listeners[:i], func(o *listenerRec) bool { return o.Port == l.Port }) {
			return fmt.Errorf("listeners[%d]: port %d is used twice", i, l.Port)
		}
	}
	return nil
}

// normaliseListener checks a seeded listener: protocol, port and
// targetGroupId are required; ids are generated.
func (s *Server) normaliseListener(st *state, lb *lbRec, l *listenerRec) error {
	if l == nil {
		return errors.New("null entry")
	}
	if l.ID == "" {
		l.ID = s.newUUID()
	}
	if l.RuleID == "" {
		l.RuleID = s.newUUID()
	}
	tg, ok := st.tgs[l.TargetGroupID]
	switch {
	case !slices.Contains(protocols(), l.Protocol):
		return fmt.Errorf("protocol %q is not HTTP, HTTPS or TCP", l.Protocol)
	case l.Port < 1 || l.Port > 65535:
		return fmt.Errorf("port %d is not between 1 and 65535", l.Port)
	case !ok:
		return fmt.Errorf("targetGroupId %q is not in targetGroups", l.TargetGroupID)
	case tg.Region != lb.Region:
		return fmt.Errorf("target group %s is in %s, the load balancer in %s", tg.ID, tg.Region, lb.Region)
	case l.Protocol == "HTTPS" && (l.Certificate == nil || l.Certificate.PrivateKey == "" || l.Certificate.Certificate == ""):
		return errors.New("an HTTPS listener needs certificate.privateKey and certificate.certificate")
	case l.Protocol != "HTTPS" && l.Certificate != nil:
		return errors.New("only an HTTPS listener has a certificate")
	}
	return nil
}
