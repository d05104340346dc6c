package sandbox

// Wire structs of the load balancing kinds: load balancers, listeners,
// target groups and targets, auto scaling group details. Named after the
// OpenAPI document's schemas, like those in wire.go.

type wireHealthCheck struct {
	Protocol string  `json:"protocol"`
	Method   *string `json:"method"`
	URI      string  `json:"uri"`
	Host     *string `json:"host"`
	Port     int     `json:"port"`
}

// wireTargetGroup is the targetGroup schema (also the items of
// instanceDetails.targetGroups and autoScalingGroupDetails.targetGroups).
type wireTargetGroup struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Protocol    string           `json:"protocol"`
	Port        int              `json:"port"`
	Region      string           `json:"region"`
	HealthCheck *wireHealthCheck `json:"healthCheck"`
}

type wireTargetGroupList struct {
	TargetGroups []wireTargetGroup `json:"targetGroups"`
	Metadata     wireMetadata      `json:"_metadata"`
}

// wireHealthStatus is _schemas_healthCheckStatus.
type wireHealthStatus struct {
	State       string `json:"state"`
	Description string `json:"description"`
}

type wireTarget struct {
	ID          string            `json:"id"`
	Reference   string            `json:"reference"`
	Image       wireImage         `json:"image"`
	State       string            `json:"state"`
	IPs         []wireIP          `json:"ips"`
	HealthCheck *wireHealthStatus `json:"healthCheck"`
}

type wireTargetList struct {
	Targets  []wireTarget `json:"targets"`
	Metadata wireMetadata `json:"_metadata"`
}

type wireStickySession struct {
	Enabled     bool `json:"enabled"`
	MaxLifeTime int  `json:"maxLifeTime"`
}

type wireLBConfiguration struct {
	StickySession *wireStickySession `json:"stickySession"`
	Balance       string             `json:"balance"`
	XForwardedFor bool               `json:"xForwardedFor"`
	IdleTimeOut   int                `json:"idleTimeOut"`
}

// wireLBCommon is what loadBalancer (list item) and loadBalancerDetails share.
type wireLBCommon struct {
	ID             string               `json:"id"`
	Type           string               `json:"type"`
	Resources      wireResources        `json:"resources"`
	Reference      *string              `json:"reference"`
	State          string               `json:"state"`
	StartedAt      *wireTime            `json:"startedAt"`
	Region         string               `json:"region"`
	Configuration  *wireLBConfiguration `json:"configuration"`
	PrivateNetwork *wirePrivateNetwork  `json:"privateNetwork"`
}

// wireLoadBalancer is a list item: contract type/term/billingFrequency only,
// IPs without ddos.
type wireLoadBalancer struct {
	wireLBCommon
	Contract wireContract `json:"contract"`
	IPs      []wireIP     `json:"ips"`
}

type wireLoadBalancerDetails struct {
	wireLBCommon
	Contract wireContractDetails `json:"contract"`
	IPs      []wireIPDetails     `json:"ips"`
}

type wireLoadBalancerList struct {
	LoadBalancers []wireLoadBalancer `json:"loadBalancers"`
	Metadata      wireMetadata       `json:"_metadata"`
}

type wireListenerRule struct {
	ID            string `json:"id"`
	Default       bool   `json:"default"`
	TargetGroupID string `json:"targetGroupId"`
}

// wireListener is loadBalancerListener: list items, and the answer to POST
// and PUT. It never carries the certificate.
type wireListener struct {
	Protocol string             `json:"protocol"`
	Port     int                `json:"port"`
	ID       string             `json:"id"`
	Rules    []wireListenerRule `json:"rules"`
}

type wireSSLCertificate struct {
	PrivateKey  string `json:"privateKey"`
	Certificate string `json:"certificate"`
	Chain       string `json:"chain,omitempty"`
}

// wireListenerDetails is loadBalancerListenerDetails (GET of one listener):
// the certificate with its private key, in clear, as documented.
type wireListenerDetails struct {
	wireListener
	SSLCertificates []wireSSLCertificate `json:"sslCertificates"`
}

type wireListenerList struct {
	Listeners []wireListener `json:"listeners"`
	Metadata  wireMetadata   `json:"_metadata"`
}

type wireASGDetails struct {
	wireASG
	TargetGroups []wireTargetGroup `json:"targetGroups"`
}

type wireASGList struct {
	AutoScalingGroups []*wireASG   `json:"autoScalingGroups"`
	Metadata          wireMetadata `json:"_metadata"`
}

// wireAutoScaledInstance is autoScaledInstance; reference is left out when
// the instance has none (the schema's string is not nullable).
type wireAutoScaledInstance struct {
	ID                string          `json:"id"`
	Type              string          `json:"type"`
	Resources         wireResources   `json:"resources"`
	Region            string          `json:"region"`
	Reference         *string         `json:"reference,omitempty"`
	State             string          `json:"state"`
	ProductType       string          `json:"productType"`
	HasPrivateNetwork bool            `json:"hasPrivateNetwork"`
	IPs               []wireIPDetails `json:"ips"`
}

type wireAutoScaledInstanceList struct {
	Instances []wireAutoScaledInstance `json:"instances"`
	Metadata  wireMetadata             `json:"_metadata"`
}

// Conversions.

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (tg *tgRec) wire() wireTargetGroup {
	w := wireTargetGroup{ID: tg.ID, Name: tg.Name, Protocol: tg.Protocol, Port: tg.Port, Region: tg.Region}
	if hc := tg.HealthCheck; hc != nil {
		w.HealthCheck = &wireHealthCheck{Protocol: hc.Protocol, Method: optional(hc.Method),
			URI: hc.URI, Host: optional(hc.Host), Port: hc.Port}
	}
	return w
}

// targetGroupsOf is the reverse index of targets: the target groups that
// have instance id as a target, in creation order.
func (s *Server) targetGroupsOf(instanceID string) []wireTargetGroup {
	out := []wireTargetGroup{}
	for _, tg := range s.st.sortedTGs() {
		if tg.hasTarget(instanceID) {
			out = append(out, tg.wire())
		}
	}
	return out
}

// lbCommon renders what list items and details share. Seed guarantees that
// the type exists in the catalog.
func (s *Server) lbCommon(lb *lbRec) wireLBCommon {
	t, _ := s.cat.instanceType(lb.Type)
	c := lb.Configuration
	cfg := &wireLBConfiguration{Balance: c.Balance, XForwardedFor: c.XForwardedFor, IdleTimeOut: c.IdleTimeOut}
	if c.StickySession != nil {
		cfg.StickySession = &wireStickySession{Enabled: c.StickySession.Enabled, MaxLifeTime: c.StickySession.MaxLifeTime}
	}
	return wireLBCommon{
		ID: lb.ID, Type: lb.Type, Resources: t.resources(), Reference: lb.Reference,
		State: lb.State, StartedAt: wireTimePtr(lb.StartedAt), Region: lb.Region, Configuration: cfg,
	}
}

func (s *Server) lbListItem(lb *lbRec) wireLoadBalancer {
	return wireLoadBalancer{wireLBCommon: s.lbCommon(lb), Contract: lb.Contract.wire(), IPs: wireIPs(lb.IPs)}
}

func (s *Server) lbDetails(lb *lbRec) wireLoadBalancerDetails {
	return wireLoadBalancerDetails{wireLBCommon: s.lbCommon(lb), Contract: lb.Contract.details(),
		IPs: wireIPDetailsOf(lb.IPs)}
}

func (l *listenerRec) wire() wireListener {
	return wireListener{Protocol: l.Protocol, Port: l.Port, ID: l.ID,
		Rules: []wireListenerRule{{ID: l.RuleID, Default: true, TargetGroupID: l.TargetGroupID}}}
}

func (l *listenerRec) details() wireListenerDetails {
	certs := []wireSSLCertificate{}
	if c := l.Certificate; c != nil {
		certs = append(certs, wireSSLCertificate{PrivateKey: string(c.PrivateKey), Certificate: string(c.Certificate), Chain: string(c.Chain)})
	}
	return wireListenerDetails{wireListener: l.wire(), SSLCertificates: certs}
}

func (s *Server) asgDetails(a *asgRec) wireASGDetails {
	tgs := []wireTargetGroup{}
	for _, id := range a.TargetGroupIDs {
		if tg, ok := s.st.tgs[id]; ok {
			tgs = append(tgs, tg.wire())
		}
	}
	return wireASGDetails{wireASG: *a.wire(), TargetGroups: tgs}
}

// target renders a registered instance. Its health follows the instance's
// state when the group has a health check (RUNNING: HEALTHY; CREATING or
// STARTING: UNKNOWN; otherwise UNHEALTHY) and is null when it has none.
func (s *Server) target(tg *tgRec, in *instanceRec) wireTarget {
	im, _ := s.cat.image(in.ImageID)
	w := wireTarget{ID: in.ID, Image: im.wire(), State: in.State, IPs: wireIPs(in.IPs)}
	if in.Reference != nil {
		w.Reference = *in.Reference
	}
	if hc := tg.HealthCheck; hc != nil {
		switch in.State {
		case stateRunning:
			w.HealthCheck = &wireHealthStatus{State: "HEALTHY", Description: hc.Protocol + " check passed"}
		case stateCreating, stateStarting:
			w.HealthCheck = &wireHealthStatus{State: "UNKNOWN", Description: "The instance is " + in.State + "."}
		default:
			w.HealthCheck = &wireHealthStatus{State: "UNHEALTHY",
				Description: hc.Protocol + " check failed: the instance is " + in.State + "."}
		}
	}
	return w
}

func (s *Server) autoScaledInstance(in *instanceRec) wireAutoScaledInstance {
	t, _ := s.cat.instanceType(in.Type)
	return wireAutoScaledInstance{
		ID: in.ID, Type: in.Type, Resources: t.resources(), Region: in.Region, Reference: in.Reference,
		State: in.State, ProductType: "AUTO_SCALED_INSTANCE", IPs: wireIPDetailsOf(in.IPs),
	}
}
