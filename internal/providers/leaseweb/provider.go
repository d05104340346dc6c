package leaseweb

import (
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// Name is the provider's registered name.
const Name = "leaseweb"

func init() {
	providers.Register(providers.Registration{
		Name:    Name,
		Schemas: []model.KindSchema{instanceSchema, targetGroupSchema, loadBalancerSchema, listenerSchema, asgSchema},
		Factory: New,
	})
}

// sandboxURL is the base URL used with the in-process sandbox transport; the
// transport answers whatever the host.
const sandboxURL = "https://sandbox.lswctl.invalid"

// Provider is the Leaseweb provider: one client shared by every kind.
type Provider struct {
	client *Client
	kinds  []providers.Kind
}

// New builds the provider from the environment: LEASEWEB_API_KEY (or
// LEASEWEB_TOKEN) and LEASEWEB_API_URL.
func New(cfg providers.Config) (providers.Provider, error) {
	lookup := cfg.LookupEnv
	key, ok := lookup("LEASEWEB_API_KEY")
	if !ok || key == "" {
		key, _ = lookup("LEASEWEB_TOKEN")
	}
	base, _ := lookup("LEASEWEB_API_URL")
	poll := pollTimes{First: time.Second, Max: 15 * time.Second, Timeout: 30 * time.Minute}
	// lock paces retries of target changes answered 423 Locked (see
	// targetgroups_apply.go); only First and Max are used.
	lock := pollTimes{First: time.Second, Max: 15 * time.Second}
	// Against the real API: pages of 50 (its documented default is 5) and
	// the client's shared rate limit. The in-process sandbox needs neither,
	// and its small default pages keep the paging code exercised.
	pageSize, limit := 50, rate.Limit(0)
	// once tunes the create protocol (createonce.go). Half its window
	// must cover a lookup and a create answered by the API, for every run
	// that may race this one.
	once := onceTimes{Window: 10 * time.Second, Tries: 4, Backoff: time.Second}
	if cfg.Sandbox {
		key, base = "lswctl-sandbox-key", sandboxURL // sandbox.APIKey; any key works there
		poll = pollTimes{First: 50 * time.Millisecond, Max: time.Second, Timeout: 5 * time.Minute}
		lock = pollTimes{First: 100 * time.Millisecond, Max: time.Second}
		pageSize, limit = 0, rate.Inf
		once = onceTimes{Window: 300 * time.Millisecond, Tries: 4, Backoff: 50 * time.Millisecond}
	}
	if key == "" {
		return nil, fmt.Errorf("LEASEWEB_API_KEY is not set: create an API key in the Leaseweb Customer Portal and export it, or use --sandbox")
	}
	c, err := NewClient(ClientOptions{
		BaseURL:    base,
		APIKey:     key,
		UserAgent:  "lswctl/" + cfg.Version,
		HTTPClient: cfg.HTTPClient,
		Debug:      cfg.Debug,
		PageSize:   pageSize,
		RateLimit:  limit,
	})
	if err != nil {
		return nil, err
	}
	if !cfg.Sandbox && isLoopback(c.base.Hostname()) {
		// A loopback API is `lswctl sandbox serve` or a test server: it
		// answers within milliseconds.
		once = onceTimes{Window: time.Second, Tries: 4, Backoff: 250 * time.Millisecond}
	}
	p := &Provider{client: c}
	lbs := newLoadBalancers(c, poll, once)
	p.kinds = []providers.Kind{
		newInstances(c, poll, once),
		newTargetGroups(c, lock, once),
		lbs,
		newListeners(c, lbs),
		newAutoScalingGroups(c),
	}
	return p, nil
}

// Name returns "leaseweb".
func (p *Provider) Name() string { return Name }

// Kinds returns the kinds this provider serves.
func (p *Provider) Kinds() []providers.Kind { return p.kinds }
