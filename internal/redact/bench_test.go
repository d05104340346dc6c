package redact

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// BenchmarkWriter writes a 500-instance plan's worth of lines (about 1 MB)
// through a Writer that knows a 1.7 KB private key and an API key.
func BenchmarkWriter(b *testing.B) {
	r := New()
	r.Add("-----BEGIN PRIVATE KEY-----\n"+strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7abcdefgh\n", 28)+"-----END PRIVATE KEY-----\n",
		"lsw-api-key-5f1c0b7e-2d4a")
	lines := make([]string, 20000)
	for i := range lines {
		lines[i] = fmt.Sprintf("+   create  instance.web-%d\n      region = \"eu-west-3\"\n", i)
	}
	b.ResetTimer()
	for range b.N {
		w := r.Writer(io.Discard)
		for _, l := range lines {
			io.WriteString(w, l)
		}
		w.Flush()
	}
}
