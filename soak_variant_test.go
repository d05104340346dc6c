package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The chaos soak's mutating configuration: a web tier whose every iteration
// is a random, valid edit of the previous one. Valid means a fault-free plan
// of it never errors: instance types only grow (lsw.m5a.large → xlarge →
// 2xlarge, eligible upgrades in the sandbox catalog), disks only grow,
// images come from the catalog and fit a 20 GB CENTRAL disk, targets are
// present instances, a listener forwards to a present group, and
// settings.maxDeletes is high enough for any variant. Stray objects are not
// declared and no kind is pruned, so they must survive every apply.

// soakImages are the catalog images valid for lsw.m5a.* on a CENTRAL disk
// of 20 GB or more (Windows needs 50 GB and is left out).
var soakImages = []string{"UBUNTU_24_04_64BIT", "UBUNTU_22_04_64BIT", "DEBIAN_12_64BIT",
	"ALMALINUX_9_64BIT", "ROCKYLINUX_9_64BIT", "FREEBSD_14_64BIT"}

// soakTypes are the instance types in upgrade order.
var soakTypes = []string{"lsw.m5a.large", "lsw.m5a.xlarge", "lsw.m5a.2xlarge"}

const soakInstances = 4 // web-1..web-4

type soakInstance struct {
	present bool
	state   string // RUNNING | STOPPED
	image   string
	typ     int // index into soakTypes
	disk    int
}

type soakGroup struct {
	present  bool
	protocol string // HTTP | TCP (a change replaces the group)
	port     int
	uri      string
	targets  []int // indexes of present instances
}

type soakListener struct {
	protocol string
	port     int
	group    string // "web" or "alt"
}

// soakVariant is one configuration of the web tier.
type soakVariant struct {
	inst      [soakInstances]soakInstance
	web, alt  soakGroup
	balance   string
	xff       bool
	idle      int
	listeners []soakListener
	tlsKey    string // the value of EDGE_TLS_KEY
	edits     []string
}

// soakFirstVariant is where the soak starts: two running instances behind the
// web group, HTTP on 80.
func soakFirstVariant() soakVariant {
	v := soakVariant{balance: "roundrobin", xff: true, idle: 60, tlsKey: soakTLSKey(0)}
	for i := range 2 {
		v.inst[i] = soakInstance{present: true, state: "RUNNING", image: soakImages[0], disk: 20}
	}
	v.web = soakGroup{present: true, protocol: "HTTP", port: 80, uri: "/healthz", targets: []int{0, 1}}
	v.listeners = []soakListener{{"HTTP", 80, "web"}}
	return v
}

func soakTLSKey(n int) string {
	return fmt.Sprintf("-----BEGIN PRIVATE KEY-----\nsoak-%d\n-----END PRIVATE KEY-----\n", n)
}

// soakEdit is one kind of edit; it reports what it did ("" when it could
// not apply to this variant).
type soakEdit func(v *soakVariant, r *rand.Rand) string

// soakEdits are the edits a step draws from, with repeats as weights.
var soakEdits = []soakEdit{
	soakEditPresence, soakEditPresence, soakEditPower, soakEditPower, soakEditImage, soakEditType, soakEditDisk,
	soakEditTargets, soakEditTargets, soakEditGroupPort, soakEditGroupURI, soakEditGroupProtocol,
	soakEditAlt, soakEditAlt, soakEditBalance, soakEditListeners, soakEditListeners, soakEditRepoint, soakEditKey,
}

// soakNextVariant returns a variant of v with one to three random edits.
func soakNextVariant(v soakVariant, r *rand.Rand) soakVariant {
	n := soakVariant{inst: v.inst, web: soakCloneGroup(v.web), alt: soakCloneGroup(v.alt), balance: v.balance,
		xff: v.xff, idle: v.idle, listeners: slices.Clone(v.listeners), tlsKey: v.tlsKey}
	for range 1 + r.IntN(3) {
		if what := soakEdits[r.IntN(len(soakEdits))](&n, r); what != "" {
			n.edits = append(n.edits, what)
		}
	}
	n.fixup()
	return n
}

func soakCloneGroup(g soakGroup) soakGroup { g.targets = slices.Clone(g.targets); return g }

func soakEditPresence(v *soakVariant, r *rand.Rand) string {
	i := r.IntN(soakInstances)
	in := &v.inst[i]
	if in.present {
		if v.presentCount() < 2 {
			return ""
		}
		in.present = false
		return fmt.Sprintf("web-%d absent", i+1)
	}
	*in = soakInstance{present: true, state: soakPick(r, "RUNNING", "RUNNING", "STOPPED"),
		image: soakImages[r.IntN(len(soakImages))], disk: 20}
	if r.IntN(2) == 0 {
		v.web.targets = append(v.web.targets, i)
	}
	return fmt.Sprintf("web-%d present", i+1)
}

func soakEditPower(v *soakVariant, r *rand.Rand) string {
	in, i := v.somePresent(r)
	in.state = map[string]string{"RUNNING": "STOPPED", "STOPPED": "RUNNING"}[in.state]
	return fmt.Sprintf("web-%d %s", i+1, in.state)
}

func soakEditImage(v *soakVariant, r *rand.Rand) string {
	in, i := v.somePresent(r)
	old := in.image
	for in.image == old {
		in.image = soakImages[r.IntN(len(soakImages))]
	}
	return fmt.Sprintf("web-%d image %s (replace)", i+1, in.image)
}

func soakEditType(v *soakVariant, r *rand.Rand) string {
	in, i := v.somePresent(r)
	if in.typ == len(soakTypes)-1 {
		return ""
	}
	in.typ++
	return fmt.Sprintf("web-%d type %s", i+1, soakTypes[in.typ])
}

func soakEditDisk(v *soakVariant, r *rand.Rand) string {
	in, i := v.somePresent(r)
	in.disk += 5 * (1 + r.IntN(2))
	return fmt.Sprintf("web-%d disk %d", i+1, in.disk)
}

func soakEditTargets(v *soakVariant, r *rand.Rand) string {
	g, name := &v.web, "web"
	if v.alt.present && r.IntN(3) == 0 {
		g, name = &v.alt, "alt"
	}
	g.targets = nil
	for i, in := range v.inst {
		if in.present && r.IntN(3) > 0 {
			g.targets = append(g.targets, i)
		}
	}
	return fmt.Sprintf("%s targets %v", name, g.targets)
}

func soakEditGroupPort(v *soakVariant, r *rand.Rand) string {
	v.web.port = soakPick(r, 80, 8000, 8080, 8888)
	return fmt.Sprintf("web port %d", v.web.port)
}

func soakEditGroupURI(v *soakVariant, r *rand.Rand) string {
	v.web.uri = soakPick(r, "/healthz", "/health", "/ready", "/status")
	return "web uri " + v.web.uri
}

func soakEditGroupProtocol(v *soakVariant, r *rand.Rand) string {
	v.web.protocol = map[string]string{"HTTP": "TCP", "TCP": "HTTP"}[v.web.protocol]
	return "web protocol " + v.web.protocol + " (replace)"
}

func soakEditAlt(v *soakVariant, r *rand.Rand) string {
	if v.alt.present {
		v.alt.present = false
		return "alt absent"
	}
	v.alt = soakGroup{present: true, protocol: "HTTP", port: 8080, uri: "/alt"}
	return "alt present"
}

func soakEditBalance(v *soakVariant, r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		v.balance = soakPick(r, "roundrobin", "leastconn", "source")
		return "balance " + v.balance
	case 1:
		v.xff = !v.xff
		return fmt.Sprintf("xForwardedFor %v", v.xff)
	}
	v.idle = soakPick(r, 30, 60, 120)
	return fmt.Sprintf("idleTimeOut %d", v.idle)
}

// soakPorts are the listeners a variant chooses from.
var soakPorts = []soakListener{{"HTTP", 80, "web"}, {"HTTP", 8080, "web"}, {"HTTPS", 443, "web"}}

func soakEditListeners(v *soakVariant, r *rand.Rand) string {
	l := soakPorts[r.IntN(len(soakPorts))]
	if i := v.listenerIndex(l.protocol, l.port); i >= 0 {
		v.listeners = slices.Delete(v.listeners, i, i+1)
		return fmt.Sprintf("listener %s:%d removed", l.protocol, l.port)
	}
	if v.alt.present && r.IntN(2) == 0 {
		l.group = "alt"
	}
	v.listeners = append(v.listeners, l)
	return fmt.Sprintf("listener %s:%d -> %s", l.protocol, l.port, l.group)
}

func soakEditRepoint(v *soakVariant, r *rand.Rand) string {
	if len(v.listeners) == 0 || !v.alt.present {
		return ""
	}
	l := &v.listeners[r.IntN(len(v.listeners))]
	l.group = map[string]string{"web": "alt", "alt": "web"}[l.group]
	return fmt.Sprintf("listener %s:%d -> %s", l.protocol, l.port, l.group)
}

func soakEditKey(v *soakVariant, r *rand.Rand) string {
	v.tlsKey = soakTLSKey(r.IntN(1 << 30))
	return "TLS key rotated"
}

// fixup keeps the variant valid after edits: targets are present instances
// (sorted, unique), listeners forward to present groups, in a stable order.
func (v *soakVariant) fixup() {
	for _, g := range []*soakGroup{&v.web, &v.alt} {
		g.targets = slices.DeleteFunc(g.targets, func(i int) bool { return !v.inst[i].present })
		slices.Sort(g.targets)
		g.targets = slices.Compact(g.targets)
	}
	if !v.alt.present {
		v.alt.targets = nil
		for i := range v.listeners {
			v.listeners[i].group = "web"
		}
	}
	slices.SortFunc(v.listeners, func(a, b soakListener) int { return a.port - b.port })
}

func (v *soakVariant) presentCount() int {
	n := 0
	for _, in := range v.inst {
		if in.present {
			n++
		}
	}
	return n
}

// somePresent returns a random present instance (there is always one).
func (v *soakVariant) somePresent(r *rand.Rand) (*soakInstance, int) {
	var idx []int
	for i, in := range v.inst {
		if in.present {
			idx = append(idx, i)
		}
	}
	i := idx[r.IntN(len(idx))]
	return &v.inst[i], i
}

func (v *soakVariant) listenerIndex(protocol string, port int) int {
	return slices.IndexFunc(v.listeners, func(l soakListener) bool { return l.protocol == protocol && l.port == port })
}

func soakPick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// yaml renders the variant as an lswctl configuration.
func (v *soakVariant) yaml() string {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n  maxDeletes: 50\ninstances:\n")
	for i, in := range v.inst {
		if !in.present {
			fmt.Fprintf(&b, "  web-%d: {ensure: absent}\n", i+1)
			continue
		}
		fmt.Fprintf(&b, "  web-%d:\n    region: eu-west-3\n    type: %s\n    image: %s\n", i+1, soakTypes[in.typ], in.image)
		fmt.Fprintf(&b, "    rootDisk: {size: %d, storageType: CENTRAL}\n    contract: {type: HOURLY}\n    state: %s\n",
			in.disk, in.state)
	}
	b.WriteString("targetGroups:\n")
	for _, g := range []struct {
		name string
		g    soakGroup
	}{{"web", v.web}, {"alt", v.alt}} {
		if !g.g.present {
			fmt.Fprintf(&b, "  %s: {ensure: absent}\n", g.name)
			continue
		}
		var targets []string
		for _, i := range g.g.targets {
			targets = append(targets, fmt.Sprintf("web-%d", i+1))
		}
		fmt.Fprintf(&b, "  %s:\n    region: eu-west-3\n    protocol: %s\n    port: %d\n", g.name, g.g.protocol, g.g.port)
		fmt.Fprintf(&b, "    healthCheck: {protocol: HTTP, method: GET, uri: %s, port: 80}\n", g.g.uri)
		fmt.Fprintf(&b, "    targets: [%s]\n", strings.Join(targets, ", "))
	}
	b.WriteString("loadBalancers:\n  edge:\n    region: eu-west-3\n    type: lsw.m4.large\n")
	b.WriteString("    contract: {type: HOURLY, cancelReason: CANCEL_PRODUCT_SWITCH}\n")
	fmt.Fprintf(&b, "    balance: %s\n    xForwardedFor: %v\n    idleTimeOut: %d\n", v.balance, v.xff, v.idle)
	if len(v.listeners) == 0 {
		b.WriteString("    listeners: []\n")
		return b.String()
	}
	b.WriteString("    listeners:\n")
	for _, l := range v.listeners {
		fmt.Fprintf(&b, "      - protocol: %s\n        port: %d\n        targetGroup: %s\n", l.protocol, l.port, l.group)
		if l.protocol == "HTTPS" {
			b.WriteString("        certificate:\n          certificate: {file: certs/edge.pem}\n" +
				"          privateKey: {env: EDGE_TLS_KEY}\n")
		}
	}
	return b.String()
}
