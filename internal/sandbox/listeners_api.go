package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// Listeners belong to a load balancer and have no state of their own: they
// change at once. Rules (inferred where the API is silent):
//
//   - POST needs the load balancer RUNNING (400 otherwise).
//   - The default rule's target group must exist and be in the load
//     balancer's region.
//   - A port is used by at most one listener of a load balancer.
//   - A certificate is required when the protocol is HTTPS and refused
//     otherwise; a PUT that changes the protocol away from HTTPS drops it.
//   - POST and PUT document no 404: an unknown load balancer or listener is
//     a 400 naming the path parameter. GET and DELETE answer 404.
//   - Only GET of one listener returns the certificate, private key
//     included, as documented; list, POST and PUT never do. Its parts
//     come back sealed ("sha256:…", see sealed.go).

// listenerOf returns the listener named by the {listenerId} path parameter
// of lb, or nil.
func listenerOf(lb *lbRec, rq *request) *listenerRec {
	i := slices.IndexFunc(lb.Listeners, func(l *listenerRec) bool { return l.ID == rq.params["listenerId"] })
	if i < 0 {
		return nil
	}
	return lb.Listeners[i]
}

// listListeners serves GET /loadBalancers/{loadBalancerId}/listeners.
func (s *Server) listListeners(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	items, meta := listPage(lb.Listeners, nil, p, func(l *listenerRec) wireListener { return l.wire() })
	return jsonResponse(http.StatusOK, wireListenerList{Listeners: items, Metadata: meta})
}

// getListener serves GET /loadBalancers/{loadBalancerId}/listeners/{listenerId}.
func (s *Server) getListener(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	l := listenerOf(lb, rq)
	if l == nil {
		return response{}, errNotFound()
	}
	return jsonResponse(http.StatusOK, l.details())
}

// lbForListenerWrite finds the load balancer of a POST or PUT, whose
// documented answers have no 404.
func (s *Server) lbForListenerWrite(rq *request) (*lbRec, error) {
	lb, ok := s.st.lbs[rq.params["loadBalancerId"]]
	if !ok {
		return nil, errPrecondition("loadBalancerId",
			fmt.Sprintf("Load balancer %s does not exist.", rq.params["loadBalancerId"]))
	}
	return lb, nil
}

// createListener serves POST /loadBalancers/{loadBalancerId}/listeners (201).
func (s *Server) createListener(rq *request) (response, error) {
	lb, err := s.lbForListenerWrite(rq)
	if err != nil {
		return response{}, err
	}
	if lb.State != stateRunning {
		return response{}, errPrecondition("loadBalancerId",
			fmt.Sprintf("The load balancer must be RUNNING to add a listener; it is %s.", lb.State))
	}
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	l := &listenerRec{ID: s.newUUID(), RuleID: s.newUUID()}
	if !f.has("protocol") {
		f.add("protocol", msgRequired)
	}
	if !f.has("port") {
		f.add("port", msgRequired)
	}
	if !f.has("defaultRule") {
		f.add("defaultRule", msgRequired)
	}
	s.applyListenerOpts(f, lb, l)
	if err := f.result(); err != nil {
		return response{}, err
	}
	lb.Listeners = append(lb.Listeners, l)
	s.dirty = true
	return jsonResponse(http.StatusCreated, l.wire())
}

// updateListener serves PUT /loadBalancers/{loadBalancerId}/listeners/{listenerId}
// (200): a partial update of protocol, port, certificate and default rule.
func (s *Server) updateListener(rq *request) (response, error) {
	lb, err := s.lbForListenerWrite(rq)
	if err != nil {
		return response{}, err
	}
	cur := listenerOf(lb, rq)
	if cur == nil {
		return response{}, errPrecondition("listenerId",
			fmt.Sprintf("Listener %s does not exist on load balancer %s.", rq.params["listenerId"], lb.ID))
	}
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	next := *cur
	s.applyListenerOpts(f, lb, &next)
	if err := f.result(); err != nil {
		return response{}, err
	}
	*cur = next
	s.dirty = true
	return jsonResponse(http.StatusOK, cur.wire())
}

// applyListenerOpts validates the loadBalancerListenerOpts members present
// in f and applies them to l, then checks the rules that involve several
// members or other objects.
func (s *Server) applyListenerOpts(f *fields, lb *lbRec, l *listenerRec) {
	if p, ok := f.str("protocol"); ok && f.enum("protocol", p, protocols()) {
		l.Protocol = p
	}
	if port, ok := f.integer("port"); f.port("port", port, ok) {
		l.Port = port
		if slices.ContainsFunc(lb.Listeners, func(o *listenerRec) bool { return o.Port == port && o.ID != l.ID }) {
			f.add("port", fmt.Sprintf("Port %d is already used by another listener of this load balancer.", port))
		}
	}
	if rule, ok := f.object("defaultRule"); ok {
		id := rule.requiredString("targetGroupId")
		tg, exists := s.st.tgs[id]
		switch {
		case id == "":
		case !exists:
			rule.add("targetGroupId", fmt.Sprintf("Target group %s does not exist.", id))
		case tg.Region != lb.Region:
			rule.add("targetGroupId", fmt.Sprintf("Target group %s is in region %s; the load balancer is in %s.",
				id, tg.Region, lb.Region))
		default:
			l.TargetGroupID = id
		}
	}
	if c, ok := f.object("certificate"); ok {
		cert := &certRec{PrivateKey: seal(c.requiredString("privateKey")), Certificate: seal(c.requiredString("certificate"))}
		if chain, ok := c.str("chain"); ok {
			if chain == "" {
				c.add("chain", msgRequired)
			}
			cert.Chain = seal(chain)
		}
		l.Certificate = cert
	}
	switch {
	case l.Protocol == "HTTPS" && l.Certificate == nil && !f.has("certificate"):
		f.add("certificate", "This value is required when protocol is HTTPS.")
	case l.Protocol != "HTTPS" && f.has("certificate"):
		f.add("certificate", "A certificate can only be used with protocol HTTPS.")
	case l.Protocol != "HTTPS":
		l.Certificate = nil
	}
}

// deleteListener serves DELETE /loadBalancers/{loadBalancerId}/listeners/{listenerId} (204).
func (s *Server) deleteListener(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	l := listenerOf(lb, rq)
	if l == nil {
		return response{}, errNotFound()
	}
	lb.Listeners = slices.DeleteFunc(lb.Listeners, func(o *listenerRec) bool { return o == l })
	s.dirty = true
	return emptyResponse(http.StatusNoContent)
}
