package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// Load balancers share the lifecycle of instances (lifecycle.go): a launch
// is CREATING with a PENDING contract and becomes RUNNING, with a public
// and an internal address, after Options.Delay; start, stop and reboot
// behave as for instances. DELETE always needs a reasonCode and answers
// 202: HOURLY → DESTROYING → DESTROYED → gone after the retention, MONTHLY →
// DELETE_SCHEDULED until the end of the term (there is no
// cancelTermination for load balancers). A load balancer loses its
// listeners when it starts DESTROYING.

// loadBalancer returns the load balancer named by the {loadBalancerId} path
// parameter or the documented 404.
func (s *Server) loadBalancer(rq *request) (*lbRec, error) {
	lb, ok := s.st.lbs[rq.params["loadBalancerId"]]
	if !ok {
		return nil, errNotFound()
	}
	return lb, nil
}

// listLoadBalancers serves GET /publicCloud/v1/loadBalancers with the exact
// filters reference, id, region, type, state, contractType, contractState
// and ip.
func (s *Server) listLoadBalancers(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	items, meta := listPage(s.st.sortedLBs(), func(lb *lbRec) bool { return lbMatches(rq, lb) }, p, s.lbListItem)
	return jsonResponse(http.StatusOK, wireLoadBalancerList{LoadBalancers: items, Metadata: meta})
}

func lbMatches(rq *request, lb *lbRec) bool {
	ref := ""
	if lb.Reference != nil {
		ref = *lb.Reference
	}
	if !matchesAll(rq, map[string]string{"reference": ref, "id": lb.ID, "region": lb.Region, "type": lb.Type,
		"state": lb.State, "contractType": lb.Contract.Type, "contractState": lb.Contract.State}) {
		return false
	}
	if f, ok := filterOf(rq, "ip", false); ok {
		return slices.ContainsFunc(lb.IPs, func(ip ipRec) bool { return f.match(ip.IP) })
	}
	return true
}

// getLoadBalancer serves GET /publicCloud/v1/loadBalancers/{loadBalancerId}.
func (s *Server) getLoadBalancer(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(http.StatusOK, s.lbDetails(lb))
}

// launchLoadBalancer serves POST /publicCloud/v1/loadBalancers: region, type
// and contractType are required; the type must be offered in the region
// (load balancer types are the instance types: the documented
// /v1/loadBalancerTypes does not exist); contractTerm and billingFrequency
// follow the instance rules. The configuration cannot be set here; it
// starts as in the documented example: no sticky session, roundrobin, no
// X-Forwarded-For, idle timeout 60.
func (s *Server) launchLoadBalancer(rq *request) (response, error) {
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	lb := &lbRec{ID: s.newUUID(), Region: f.requiredString("region"), Type: f.requiredString("type"),
		Configuration: defaultLBConfig(), Listeners: []*listenerRec{}}
	s.checkLBType(f, lb.Region, lb.Type)
	lb.Contract = checkLaunchContract(f)
	if ref, ok := f.str("reference"); ok {
		lb.Reference = &ref
	}
	if err := f.result(); err != nil {
		return response{}, err
	}
	lb.IPs, lb.CreatedAt = []ipRec{}, rq.now
	lb.Contract.State, lb.Contract.StartsAt = contractPending, rq.now
	if lb.Contract.Type == contractMonthly {
		lb.Contract.ID = s.newContractID()
	}
	s.beginTransition(&lb.machine, stateCreating, stateRunning, rq.now)
	s.st.insertLB(lb)
	s.dirty = true
	return jsonResponse(http.StatusCreated, s.lbDetails(lb))
}

func defaultLBConfig() lbConfigRec {
	return lbConfigRec{Balance: "roundrobin", IdleTimeOut: 60}
}

// checkLBType validates region and a load balancer type for it.
func (s *Server) checkLBType(f *fields, region, typ string) {
	_, regionOK := s.cat.region(region)
	if region != "" && !regionOK {
		f.add("region", msgNotAChoice)
	}
	if !f.enum("type", typ, s.cat.typeNames) {
		return
	}
	if t, ok := s.cat.instanceType(typ); !ok || regionOK && !t.offeredIn(region) {
		f.add("type", fmt.Sprintf("Load balancer type %s is not available in region %s.", typ, region))
	}
}

// updateLoadBalancer serves PUT /publicCloud/v1/loadBalancers/{loadBalancerId}:
// type (any type offered in the region), reference, contractType (HOURLY to
// MONTHLY with a term of 1, never back; the body has no contractTerm) and
// the configuration: stickySession ({enabled, maxLifeTime} or null),
// balance, xForwardedFor, idleTimeOut (positive). The load balancer must be
// RUNNING or STOPPED. Changes take effect at once.
func (s *Server) updateLoadBalancer(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	if lb.State != stateRunning && lb.State != stateStopped {
		return response{}, errPrecondition("loadBalancerId",
			fmt.Sprintf("The load balancer must be RUNNING or STOPPED to be updated; it is %s.", lb.State))
	}
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	next := *lb
	if typ, ok := f.str("type"); ok {
		s.checkLBType(f, lb.Region, typ)
		next.Type = typ
	}
	if ref, ok := f.str("reference"); ok {
		next.Reference = &ref
	}
	next.Contract = checkLBContract(f, lb.Contract, rq)
	next.Configuration = checkLBConfig(f, lb.Configuration)
	if err := f.result(); err != nil {
		return response{}, err
	}
	if next.Contract.Type == contractMonthly && lb.Contract.Type == contractHourly {
		next.Contract.ID = s.newContractID()
	}
	*lb = next
	s.dirty = true
	return jsonResponse(http.StatusOK, s.lbDetails(lb))
}

// checkLBContract applies a contractType change.
func checkLBContract(f *fields, cur contractRec, rq *request) contractRec {
	typ, ok := f.str("contractType")
	if !ok || !f.enum("contractType", typ, contractTypes()) || typ == cur.Type {
		return cur
	}
	if typ == contractHourly {
		f.add("contractType", "A MONTHLY contract cannot be changed to HOURLY.")
		return cur
	}
	next := cur
	next.Type, next.Term, next.BillingFrequency, next.StartsAt = contractMonthly, 1, 1, rq.now
	return next
}

// checkLBConfig applies the configuration members of an update.
func checkLBConfig(f *fields, cur lbConfigRec) lbConfigRec {
	next := cur
	switch sticky, ok := f.object("stickySession"); {
	case f.isNull("stickySession"):
		next.StickySession = nil
	case ok:
		enabled, hasEnabled := sticky.boolean("enabled")
		if !hasEnabled && !sticky.has("enabled") {
			sticky.add("enabled", msgRequired)
		}
		life, hasLife := sticky.requiredInteger("maxLifeTime")
		if hasLife && life < 1 {
			sticky.add("maxLifeTime", "This value should be positive.")
		}
		next.StickySession = &stickySessionRec{Enabled: enabled, MaxLifeTime: life}
	}
	if b, ok := f.str("balance"); ok && f.enum("balance", b, balances()) {
		next.Balance = b
	}
	if x, ok := f.boolean("xForwardedFor"); ok {
		next.XForwardedFor = x
	}
	if t, ok := f.integer("idleTimeOut"); ok {
		if t < 1 {
			f.add("idleTimeOut", "This value should be positive.")
		}
		next.IdleTimeOut = t
	}
	return next
}

// terminateLoadBalancer serves DELETE /publicCloud/v1/loadBalancers/{loadBalancerId}
// (202, no body). The body's reasonCode is required whatever the contract.
func (s *Server) terminateLoadBalancer(rq *request) (response, error) {
	lb, err := s.loadBalancer(rq)
	if err != nil {
		return response{}, err
	}
	if err := terminable(s.lbKind(), &lb.machine); err != nil {
		return response{}, err
	}
	f, err := parseFields(rq.body, false)
	if err != nil {
		return response{}, err
	}
	checkReason(f, true, msgRequired)
	if err := f.result(); err != nil {
		return response{}, err
	}
	s.terminate(&lb.machine, rq.now)
	if lb.State == stateDestroying {
		lb.Listeners = []*listenerRec{}
	}
	return emptyResponse(http.StatusAccepted)
}
