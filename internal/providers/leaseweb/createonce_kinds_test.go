package leaseweb

/*
Every kind that creates, raced against a twin on the real emulator: two
Creates of the same declaration run at once and a barrier holds their
create calls until both have looked the key up, so both see it free. One
object must be left, both Creates must return it, and for kinds the API
does not keep unique the loser must have deleted its own.
*/

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// postBarrier holds the first n POSTs to a path ending in suffix until all
// n have arrived (or their context ends), then lets everything through.
type postBarrier struct {
	next   http.RoundTripper
	suffix string
	wait   func(ctx context.Context) error
	mu     sync.Mutex
	held   int
	n      int
}

func (b *postBarrier) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, b.suffix) {
		b.mu.Lock()
		hold := b.held < b.n
		b.held++
		b.mu.Unlock()
		if hold {
			if err := b.wait(req.Context()); err != nil {
				return nil, err
			}
		}
	}
	return b.next.RoundTrip(req)
}

// twinTimes really waits, as races need; half the window comfortably covers
// the barrier on a loaded machine.
var twinTimes = onceTimes{Window: 800 * time.Millisecond, Tries: 4, Backoff: 10 * time.Millisecond}

func TestCreateTwinsPerKind(t *testing.T) {
	listenerAfter := model.Object{"loadBalancer": idEdge, "protocol": "HTTP", "port": int64(8080), "targetGroup": idTGWeb}
	tests := []struct {
		name   string
		suffix string // of the create path
		create func(e *lbEnv, gate providers.Gate) (string, error)
		count  func(e *lbEnv) int // objects holding the key that lswctl may touch
		// deletes is the route a losing twin deletes its object with; ""
		// when the API refuses the second create instead.
		deletes string
	}{
		{
			name: "instance", suffix: instancesPath,
			create: func(e *lbEnv, gate providers.Gate) (string, error) {
				return e.kind.Create(e.ctx, gate, sbOp("web-9", sbAfter(nil)))
			},
			count: func(e *lbEnv) int {
				n := 0
				for _, in := range e.live("web-9") {
					if untouchable(e.details(in.ID)) == "" {
						n++
					}
				}
				return n
			},
			deletes: sbDelete,
		},
		{
			name: "target group", suffix: targetGroupsPath,
			create: func(e *lbEnv, gate providers.Gate) (string, error) {
				return e.tgs.Create(e.ctx, gate, tgOp("fresh", "", tgAfter(model.Object{"targets": []any{idWeb1}})))
			},
			count: func(e *lbEnv) int {
				found, err := e.tgs.byName(e.ctx, "fresh", "eu-west-3")
				if err != nil {
					e.t.Fatal(err)
				}
				return len(found)
			},
			deletes: rTGDelete,
		},
		{
			name: "load balancer", suffix: loadBalancersPath,
			create: func(e *lbEnv, gate providers.Gate) (string, error) {
				return e.lbs.Create(e.ctx, gate, lbOp("edge-2", "", lbDecl(model.Object{"balance": "source"})))
			},
			count: func(e *lbEnv) int {
				n := 0
				for _, lb := range readAll(t, e.lbs) {
					if lb.Addr.Name == "edge-2" && lb.Untouchable == "" {
						n++
					}
				}
				return n
			},
			deletes: rLBDelete,
		},
		{
			name: "listener", suffix: "/listeners",
			create: func(e *lbEnv, gate providers.Gate) (string, error) {
				return e.ls.Create(e.ctx, gate, lsOp("edge/HTTP:8080", "", listenerAfter))
			},
			count: func(e *lbEnv) int {
				_, ok := e.touchableListeners()["edge/HTTP:8080"]
				if ok {
					return 1
				}
				return 0
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := tgSeed()
			doc.LoadBalancers = []sbLB{sbEdge()}
			e := newLBEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, doc)
			e.kind.once, e.tgs.once, e.lbs.once = twinTimes, twinTimes, twinTimes
			both := barrier(2)
			e.rec.next = &postBarrier{next: e.rec.next, suffix: tt.suffix, wait: both, n: 2}

			var ids [2]string
			var errs [2]error
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Go(func() { ids[i], errs[i] = tt.create(e, providers.NoGate) })
			}
			wg.Wait()

			if errs[0] != nil || errs[1] != nil || ids[0] == "" || ids[0] != ids[1] {
				t.Fatalf("twins returned %q, %v and %q, %v; want the same object", ids[0], errs[0], ids[1], errs[1])
			}
			if n := tt.count(e); n != 1 {
				t.Errorf("%d objects hold the key after the race, want 1", n)
			}
			st := e.srv.Stats()
			if st.ByRoute["POST "+routeOf(tt.suffix)] != 2 {
				t.Errorf("requests %v: want both creates sent", st.ByRoute)
			}
			if tt.deletes != "" && st.ByRoute[tt.deletes] != 1 {
				t.Errorf("requests %v: want the loser's object deleted once", st.ByRoute)
			}
			if tt.deletes == "" && st.ByStatus[http.StatusBadRequest] != 1 {
				t.Errorf("statuses %v: want the second listener refused", st.ByStatus)
			}
		})
	}
}

// routeOf maps a create path suffix to its route template.
func routeOf(suffix string) string {
	if suffix == "/listeners" {
		return loadBalancersPath + "/{loadBalancerId}/listeners"
	}
	return suffix
}

// TestCreateAdoptsWhatAppeared: an object that holds the key when the
// create is about to be sent (made since the plan, by another run or by
// hand) is adopted instead of creating a second one; one that differs in
// what would force a replacement is a conflict naming it, and nothing is
// created.
func TestCreateAdoptsWhatAppeared(t *testing.T) {
	elsewhere := sbWeb("web-9")
	elsewhere.Region = "us-east-1"
	for _, tt := range []struct {
		name    string
		seed    sbInstance
		wantErr string
	}{
		{name: "same declaration", seed: sbWeb("web-9")},
		{name: "another region", seed: elsewhere, wantErr: "region us-east-1, not eu-west-3: two configurations disagree"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: -1}, tt.seed)
			seeded := e.idOf("web-9")
			e.resetCounters()

			id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("web-9", sbAfter(nil)))

			if st := e.srv.Stats(); st.ByRoute[sbLaunch] != 0 {
				t.Errorf("%d launches, want none", st.ByRoute[sbLaunch])
			}
			if tt.wantErr == "" && (err != nil || id != seeded) {
				t.Errorf("Create = %q, %v; want the instance that appeared, %s", id, err, seeded)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), seeded)) {
				t.Errorf("Create = %q, %v; want a conflict naming %s and %q", id, err, seeded, tt.wantErr)
			}
		})
	}
}
