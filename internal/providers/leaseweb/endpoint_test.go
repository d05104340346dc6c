package leaseweb

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
)

func TestCheckEndpoint(t *testing.T) {
	tests := []struct {
		raw, want, wantErr string
	}{
		{raw: "https://api.leaseweb.com", want: "https://api.leaseweb.com"},
		{raw: "https://api.leaseweb.com/", want: "https://api.leaseweb.com"},
		{raw: "HTTPS://api.leaseweb.com:8443/prefix/", want: "https://api.leaseweb.com:8443/prefix"},
		{raw: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{raw: "http://127.1.2.3", want: "http://127.1.2.3"},
		{raw: "http://[::1]", want: "http://[::1]"},
		{raw: "http://[::1]:9000/x", want: "http://[::1]:9000/x"},
		{raw: "http://localhost", want: "http://localhost"},
		{raw: "http://LocalHost:8080", want: "http://LocalHost:8080"},
		{raw: "http://example.com",
			wantErr: `LEASEWEB_API_URL "http://example.com": plain http is only allowed for loopback addresses`},
		{raw: "http://10.0.0.1:8080",
			wantErr: `LEASEWEB_API_URL "http://10.0.0.1:8080": plain http is only allowed for loopback addresses`},
		{raw: "http://localhost.example.com",
			wantErr: `LEASEWEB_API_URL "http://localhost.example.com": plain http is only allowed for loopback addresses`},
		{raw: "http://[::ffff:127.0.0.1]:80", want: "http://[::ffff:127.0.0.1]:80"},
		{raw: "https://localhost.", want: "https://localhost."},
		// A trailing dot makes a DNS name, which a resolver may point anywhere.
		{raw: "http://127.0.0.1.:8080",
			wantErr: `LEASEWEB_API_URL "http://127.0.0.1.:8080": plain http is only allowed for loopback addresses, and a name with a trailing dot is looked up in DNS: write 127.0.0.1 without it`},
		{raw: "http://localhost.",
			wantErr: `LEASEWEB_API_URL "http://localhost.": plain http is only allowed for loopback addresses, and a name with a trailing dot is looked up in DNS: write localhost without it`},
		{raw: "http://localhost.localdomain",
			wantErr: `LEASEWEB_API_URL "http://localhost.localdomain": plain http is only allowed for loopback addresses`},
		{raw: "http://127.1",
			wantErr: `LEASEWEB_API_URL "http://127.1": plain http is only allowed for loopback addresses`},
		{raw: "http://2130706433",
			wantErr: `LEASEWEB_API_URL "http://2130706433": plain http is only allowed for loopback addresses`},
		{raw: "ftp://api.leaseweb.com",
			wantErr: `LEASEWEB_API_URL "ftp://api.leaseweb.com": unsupported scheme "ftp", want https`},
		{raw: "api.leaseweb.com",
			wantErr: `LEASEWEB_API_URL "api.leaseweb.com": not an absolute URL, want https://host`},
		{raw: "https://",
			wantErr: `LEASEWEB_API_URL "https://": not an absolute URL, want https://host`},
		{raw: "",
			wantErr: `LEASEWEB_API_URL "": not an absolute URL, want https://host`},
		{raw: "::garbage",
			wantErr: `LEASEWEB_API_URL "::garbage": missing protocol scheme`},
		{raw: "https://api.leaseweb.com:port",
			wantErr: `LEASEWEB_API_URL "https://api.leaseweb.com:port": invalid port ":port" after host`},
		{raw: "https://user:pw@api.leaseweb.com",
			wantErr: `LEASEWEB_API_URL "https://user:pw@api.leaseweb.com": credentials in the URL are not allowed, set LEASEWEB_API_KEY instead`},
		{raw: "https://api.leaseweb.com/?x=1",
			wantErr: `LEASEWEB_API_URL "https://api.leaseweb.com/?x=1": a query or fragment is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := CheckEndpoint(tt.raw)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.String() != tt.want {
				t.Errorf("got %q, want %q", u, tt.want)
			}
		})
	}
}

// TestLoopbackCheckNeverResolves: the loopback check reads the host's text
// only. With the process's resolver replaced by one that counts its DNS
// queries, checking names that only DNS could answer sends none.
func TestLoopbackCheckNeverResolves(t *testing.T) {
	var queries atomic.Int32
	saved := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		queries.Add(1)
		return nil, errors.New("no DNS in tests")
	}}
	t.Cleanup(func() { net.DefaultResolver = saved })
	for _, host := range []string{"lswctl-loopback-check.invalid", "localhost.", "127.0.0.1.", "loopback.lswctl.invalid.", "localhost", "127.0.0.1"} {
		isLoopback(host)
		_, _ = CheckEndpoint("http://" + host + ":8080")
	}
	if n := queries.Load(); n != 0 {
		t.Errorf("%d DNS queries, want none", n)
	}
	// The counter works: a lookup of such a name does query.
	_, _ = net.DefaultResolver.LookupHost(context.Background(), "lswctl-loopback-check.invalid")
	if queries.Load() == 0 {
		t.Error("the counting resolver saw no query for a real lookup")
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.255.0.9": true, "::1": true, "::ffff:127.0.0.1": true,
		"localhost.": false, "127.0.0.1.": false, "::1.": false, "localhost.localdomain": false, "my.localhost": false,
		"127.1": false, "0x7f000001": false, "2130706433": false, "10.0.0.1": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
