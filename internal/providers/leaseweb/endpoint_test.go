package leaseweb

import "testing"

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
