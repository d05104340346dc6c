package sandbox

import (
	"fmt"
	"net/netip"
)

// newUUID returns a random (version 4) UUID from the server's seeded RNG, so a
// fixed Options.Seed gives the same ids run after run. Callers hold s.mu.
func (s *Server) newUUID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := s.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newContractID returns a 14-digit contract number like the documented
// "41228459000100". Hourly contracts have the empty id instead.
func (s *Server) newContractID() string {
	return fmt.Sprintf("4%013d", s.rng.Int64N(1e13))
}

// Public addresses come from the IPv4 documentation ranges (RFC 5737) and,
// once those are used up, from the benchmarking range 198.18.0.0/15
// (RFC 2544), so the sandbox never hands out an address someone owns.
// Internal addresses come from 10.32.0.0/16 like the documented examples.

// allocateIPs returns a public and an internal address that no instance or
// load balancer of st uses.
func (st *state) allocateIPs() []ipRec {
	publicPools := []string{"203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "198.18.0.0/15"}
	internalPool := []string{"10.32.0.0/16"}
	used := map[string]bool{}
	for _, in := range st.instances {
		for _, ip := range in.IPs {
			used[ip.IP] = true
		}
	}
	for _, lb := range st.lbs {
		for _, ip := range lb.IPs {
			used[ip.IP] = true
		}
	}
	return []ipRec{
		{IP: firstFree(publicPools, used), PrefixLength: "32", Version: 4, NetworkType: "PUBLIC", MainIP: true},
		{IP: firstFree(internalPool, used), PrefixLength: "27", Version: 4, NetworkType: "INTERNAL"},
	}
}

// firstFree returns the lowest address of the pools, skipping network and
// broadcast-looking addresses (.0 and .255), that is not in used.
func firstFree(pools []string, used map[string]bool) string {
	for _, p := range pools {
		prefix := netip.MustParsePrefix(p)
		for a := prefix.Addr(); prefix.Contains(a); a = a.Next() {
			last := a.As4()[3]
			if last == 0 || last == 255 || used[a.String()] {
				continue
			}
			return a.String()
		}
	}
	return "0.0.0.0" // 130,000 addresses are used up; not worth an error path
}
