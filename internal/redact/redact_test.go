package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// pem is a multi-line secret with characters every escaper treats
// differently: quotes, a backslash, <, >, &, /, +, non-ASCII and an emoji.
const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw+/ggSjAgEAAoIBAQC7\n" +
	"\"quoted\" back\\slash <tag> & café 🔑\n-----END PRIVATE KEY-----\n"

// leaks reports which encodings of secret remain in out.
func leaks(out, secret string) []string {
	var found []string
	check := func(name, form string) {
		if len(form) >= MinLen && strings.Contains(out, form) {
			found = append(found, name)
		}
	}
	check("raw", secret)
	check("trimmed", strings.TrimSpace(secret))
	j, _ := json.Marshal(secret)
	check("json", string(j[1:len(j)-1]))
	check("hex", hex.EncodeToString([]byte(secret)))
	check("HEX", strings.ToUpper(hex.EncodeToString([]byte(secret))))
	check("base64", base64.StdEncoding.EncodeToString([]byte(secret)))
	check("base64url", base64.RawURLEncoding.EncodeToString([]byte(secret)))
	return found
}

func TestScrubForms(t *testing.T) {
	r := New()
	r.Add(pem, "s3cr3t-api-key/+x")
	secret := pem
	b := []byte(secret)
	jsonHTML, _ := json.Marshal(secret)
	var noHTML bytes.Buffer
	enc := json.NewEncoder(&noHTML)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	cases := map[string]string{
		"raw":              "before " + secret + " after",
		"json":             `{"privateKey":` + string(jsonHTML) + `}`,
		"json no html":     `{"privateKey":` + strings.TrimSpace(noHTML.String()) + `}`,
		"json slashes":     `{"k":"` + strings.ReplaceAll(string(jsonHTML[1:len(jsonHTML)-1]), "/", `\/`) + `"}`,
		"ascii json":       `{"k":"` + asciiJSON(secret) + `"}`,
		"go quoted":        fmt.Sprintf("error: %q", secret),
		"go quoted ascii":  fmt.Sprintf("error: %+q", secret),
		"hex":              "x=" + hex.EncodeToString(b) + ";",
		"HEX":              "x=" + strings.ToUpper(hex.EncodeToString(b)) + ";",
		"base64":           "data:" + base64.StdEncoding.EncodeToString(b),
		"base64 raw":       "data:" + base64.RawStdEncoding.EncodeToString(b) + ".",
		"base64url":        "t=" + base64.URLEncoding.EncodeToString(b),
		"base64url raw":    "t=" + base64.RawURLEncoding.EncodeToString(b) + ".",
		"percent":          "?q=" + url.QueryEscape(secret),
		"path escaped":     "/x/" + url.PathEscape(secret),
		"collapsed":        "body: " + strings.Join(strings.Fields(secret), " ") + " end",
		"trimmed":          "'" + strings.TrimSpace(secret) + "'",
		"re-indented":      "  > " + strings.ReplaceAll(secret, "\n", "\n  > "),
		"other key":        `X-Lsw-Auth: s3cr3t-api-key/+x`,
		"other key quoted": `{"key":"s3cr3t-api-key\/+x"}`,
	}
	for name, text := range cases {
		out := r.Scrub(text)
		if l := leaks(out, secret); len(l) > 0 {
			t.Errorf("%s: %v survive in %q", name, l, out)
		}
		if strings.Contains(out, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw") || strings.Contains(out, "s3cr3t-api-key") {
			t.Errorf("%s: a part survives in %q", name, out)
		}
		if !strings.Contains(out, Mask) {
			t.Errorf("%s: nothing masked in %q", name, out)
		}
	}
}

// TestScrubBase64Aligned hides the secret inside a larger base64 blob, at
// every offset, with random bytes around it: no 4-character window of the
// part that only the secret determines may survive.
func TestScrubBase64Aligned(t *testing.T) {
	secret := "marker-7f3a9c-base64-alignment"
	r := New()
	r.Add(secret)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
		for before := range 7 {
			for after := range 4 {
				blob := make([]byte, 0, before+len(secret)+after)
				for range before {
					blob = append(blob, byte(rng.IntN(256)))
				}
				blob = append(blob, secret...)
				for range after {
					blob = append(blob, byte(rng.IntN(256)))
				}
				text := enc.EncodeToString(blob)
				out := r.Scrub("v=" + text)
				if !strings.Contains(out, Mask) {
					t.Errorf("offset %d+%d: secret not found in %s", before, after, text)
					continue
				}
				core := alignedCore(enc.WithPadding(base64.NoPadding), []byte(secret), before%3)
				for i := 0; i+8 <= len(core); i++ {
					if strings.Contains(out, core[i:i+8]) {
						t.Fatalf("offset %d+%d: %q of the secret's encoding survives in %s", before, after, core[i:i+8], out)
					}
				}
			}
		}
	}
}

func TestScrubLeavesOtherTextAlone(t *testing.T) {
	r := New()
	r.Add("a", "ab", "abc", "hunter22")
	text := "a ab abc abcd, digest 3f7a9c0e, id 6f1c2d3e-aaaa-4bbb-8ccc-0123456789ab, YWJj 616263"
	if got := r.Scrub(text); got != text {
		t.Errorf("short values or their forms were redacted:\n got %q\nwant %q", got, text)
	}
	if got := r.Scrub("pw=hunter22!"); got != "pw="+Mask+"!" {
		t.Errorf("Scrub = %q", got)
	}
}

func TestScrubTruncated(t *testing.T) {
	r := New()
	secret := "truncated-secret-value-0123456789"
	r.Add(secret)
	for _, cut := range []int{4, 10, len(secret) - 1} {
		text := "message: " + secret[:cut] + "…"
		out := r.Scrub(text)
		if strings.Contains(out, secret[:cut]) {
			t.Errorf("cut at %d: prefix survives in %q", cut, out)
		}
	}
	if out := r.Scrub("message: tru…"); out != "message: tru…" {
		t.Errorf("a prefix shorter than MinLen was masked: %q", out)
	}
}

func TestScrubOverlapping(t *testing.T) {
	r := New()
	r.Add("alpha-bravo-charlie", "charlie-delta-echo")
	out := r.Scrub("x alpha-bravo-charlie-delta-echo y")
	if out != "x "+Mask+" y" {
		t.Errorf("Scrub = %q", out)
	}
}

// TestWriterSplit writes text holding secrets in two parts at every split
// point, and byte by byte: the result is always exactly Scrub of the whole.
func TestWriterSplit(t *testing.T) {
	r := New()
	r.Add("split-secret-value", pem)
	text := "head split-secret-value mid " + base64.StdEncoding.EncodeToString([]byte(pem)) + " tail spl"
	want := r.Scrub(text)
	for i := 0; i <= len(text); i++ {
		var out bytes.Buffer
		w := r.Writer(&out)
		w.Write([]byte(text[:i]))
		w.Write([]byte(text[i:]))
		w.Flush()
		if out.String() != want {
			t.Fatalf("split at %d:\n got %q\nwant %q", i, out.String(), want)
		}
	}
	var out bytes.Buffer
	w := r.Writer(&out)
	for i := range len(text) {
		w.Write([]byte{text[i]})
	}
	w.Flush()
	if out.String() != want {
		t.Fatalf("byte by byte:\n got %q\nwant %q", out.String(), want)
	}
}

// TestWriterPassesPlainTextAtOnce checks that ordinary output is not held
// back, so progress lines appear when they are written.
func TestWriterPassesPlainTextAtOnce(t *testing.T) {
	r := New()
	r.Add("zebra-secret")
	var out bytes.Buffer
	w := r.Writer(&out)
	w.Write([]byte("instance.web-1: Creation complete\n"))
	if out.String() != "instance.web-1: Creation complete\n" {
		t.Errorf("held back: %q", out.String())
	}
	w.Write([]byte("Only 'yes' will be accepted: zeb"))
	if out.String() != "instance.web-1: Creation complete\nOnly 'yes' will be accepted: " {
		t.Errorf("wrote %q", out.String())
	}
	FlushingReader{R: strings.NewReader("yes\n"), Writers: []*Writer{w}}.Read(make([]byte, 4))
	if !strings.HasSuffix(out.String(), "accepted: zeb") {
		t.Errorf("a prompt is not flushed before reading: %q", out.String())
	}
}

// TestWriterConcurrent adds values and writes from many goroutines (run
// with -race).
func TestWriterConcurrent(t *testing.T) {
	r := New()
	var out bytes.Buffer
	w := r.Writer(&out)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := fmt.Sprintf("concurrent-secret-%d", i)
			r.Add(s)
			for range 50 {
				fmt.Fprintf(w, "line %s\n", s)
			}
		}()
	}
	wg.Wait()
	w.Flush()
	if strings.Contains(out.String(), "concurrent-secret") {
		t.Errorf("a secret added before its writes leaked:\n%s", out.String())
	}
}
