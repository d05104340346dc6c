package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// What the soak checks, read from the sandbox's state file between runs
// (the file --sandbox keeps; see internal/sandbox/state.go): every live
// object by its natural key. Live means not DESTROYING, not DESTROYED and
// not scheduled for deletion, the objects lswctl itself must treat as
// existing. The out-of-band changes the soak makes between runs (strays,
// clean-up after a duplicate) go through a sandbox of its own on the same
// state file, fault-free.

type soakMachine struct {
	ID        string  `json:"id"`
	Reference *string `json:"reference"`
	State     string  `json:"state"`
	Contract  struct {
		State string `json:"state"`
	} `json:"contract"`
}

func (m soakMachine) live() bool {
	return m.State != "DESTROYING" && m.State != "DESTROYED" && m.Contract.State != "DELETE_SCHEDULED"
}

func (m soakMachine) ref() string {
	if m.Reference == nil {
		return ""
	}
	return *m.Reference
}

type soakDoc struct {
	Instances    []soakMachine `json:"instances"`
	TargetGroups []struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Region string `json:"region"`
	} `json:"targetGroups"`
	LoadBalancers []struct {
		soakMachine
		Listeners []struct {
			ID       string `json:"id"`
			Protocol string `json:"protocol"`
			Port     int    `json:"port"`
		} `json:"listeners"`
	} `json:"loadBalancers"`
}

// soakObject is one live object: its id and the API path that deletes it.
type soakObject struct {
	id, path string
}

// soakInventory maps natural keys ("instance web-1", "targetGroup web@eu-west-3",
// "loadBalancer edge", "listener edge/HTTP:80") to the live objects holding
// them, oldest first.
type soakInventory map[string][]soakObject

func readSoakInventory(path string) (soakInventory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc soakDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	inv := soakInventory{}
	const p = "/publicCloud/v1/"
	for _, in := range doc.Instances {
		if in.live() {
			inv.add("instance "+in.ref(), in.ID, p+"instances/"+in.ID)
		}
	}
	for _, tg := range doc.TargetGroups {
		inv.add("targetGroup "+tg.Name+"@"+tg.Region, tg.ID, p+"targetGroups/"+tg.ID)
	}
	for _, lb := range doc.LoadBalancers {
		if !lb.live() {
			continue
		}
		inv.add("loadBalancer "+lb.ref(), lb.ID, p+"loadBalancers/"+lb.ID)
		for _, l := range lb.Listeners {
			// Listeners of a duplicated load balancer are told apart by
			// its id, so only listeners that share one count as duplicates.
			inv.add(fmt.Sprintf("listener %s[%s]/%s:%d", lb.ref(), lb.ID, l.Protocol, l.Port), l.ID,
				p+"loadBalancers/"+lb.ID+"/listeners/"+l.ID)
		}
	}
	return inv, nil
}

func (inv soakInventory) add(key, id, path string) {
	inv[key] = append(inv[key], soakObject{id: id, path: path})
}

// duplicates lists every key held by more than one live object.
func (inv soakInventory) duplicates() []string {
	var out []string
	for k, objs := range inv {
		if len(objs) > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", k, len(objs)))
		}
	}
	slices.Sort(out)
	return out
}

// has reports whether a live object holds key.
func (inv soakInventory) has(key string) bool { return len(inv[key]) > 0 }

// edgeListeners returns the listener keys of the live load balancer edge
// ("HTTP:80", ...).
func (inv soakInventory) edgeListeners() []string {
	var out []string
	for k := range inv {
		if rest, ok := strings.CutPrefix(k, "listener edge["); ok {
			_, port, _ := strings.Cut(rest, "]/")
			out = append(out, port)
		}
	}
	slices.Sort(out)
	return out
}

// soakSandbox is a fault-free sandbox on the soak's state file, for the
// changes the soak makes out of band between runs. Close saves the state.
type soakSandbox struct {
	srv *sandbox.Server
	rt  http.RoundTripper
}

func openSoakSandbox(statePath string) (*soakSandbox, error) {
	srv, err := sandbox.New(sandbox.Options{StatePath: statePath, Delay: soakDelay})
	if err != nil {
		return nil, err
	}
	return &soakSandbox{srv: srv, rt: srv.Transport()}, nil
}

func (o *soakSandbox) Close() error { return o.srv.Close() }

// do sends one API request; a 2xx answer is decoded into out (when set).
func (o *soakSandbox) do(method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "https://api.leaseweb.com"+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-LSW-Auth", sandbox.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := o.rt.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(b, out)
	}
	return resp.StatusCode, nil
}

// createStrayGroup creates an unmanaged target group.
func (o *soakSandbox) createStrayGroup(name string) error {
	_, err := o.do(http.MethodPost, soakTGPath, map[string]any{
		"name": name, "protocol": "HTTP", "port": 80, "region": "eu-west-3"}, nil)
	return err
}

// createStrayInstance launches an unmanaged instance.
func (o *soakSandbox) createStrayInstance(ref string) error {
	_, err := o.do(http.MethodPost, "/publicCloud/v1/instances", map[string]any{
		"reference": ref, "region": "eu-west-3", "type": "lsw.m5a.large", "imageId": "UBUNTU_24_04_64BIT",
		"rootDiskSize": 5, "rootDiskStorageType": "CENTRAL", "contractType": "HOURLY"}, nil)
	return err
}

// remove deletes a live object. An instance or a load balancer refuses
// deletion while CREATING or changing power state, so that is retried for a
// while; a target group a listener uses is refused for good.
func (o *soakSandbox) remove(obj soakObject) error {
	var body any
	tries := 1
	if machine := !strings.Contains(obj.path, "/targetGroups/") && !strings.Contains(obj.path, "/listeners/"); machine {
		tries = 100
		if strings.Contains(obj.path, "/loadBalancers/") {
			body = map[string]string{"reasonCode": "CANCEL_PRODUCT_SWITCH"}
		}
	}
	var err error
	for range tries {
		var status int
		if status, err = o.do(http.MethodDelete, obj.path, body, nil); err == nil || status == http.StatusNotFound {
			return nil
		}
		time.Sleep(soakDelay)
	}
	return err
}
