package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// hostileRef is a live reference chosen by whoever else can name objects in
// the account: it tries to forge a plan line, recolour the terminal and, in
// a pull-request comment, a heading, a link and HTML. As JSON, the way the
// API would send it.
const hostileRef = `web\n+   create  instance.evil \u001b[31mred\u001b[0m\r# heading [x](http://evil) <img src=x> a|b`

// forged matches a line that only the hostile string could have produced.
var forged = regexp.MustCompile(`(?m)^(\+   create  instance\.evil|# heading|\+ create instance\.evil)`)

// rewriting answers every GET of the instance list with body edited by edit.
func rewriting(edit func([]byte) []byte) func(http.RoundTripper) http.RoundTripper {
	return func(base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := base.RoundTrip(r)
			if err != nil || r.Method != http.MethodGet || r.URL.Path != "/publicCloud/v1/instances" {
				return resp, err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return nil, err
			}
			body = edit(body)
			resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			resp.Header.Del("Content-Length")
			return resp, nil
		})
	}
}

func checkInert(t *testing.T, what, out string) {
	t.Helper()
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("%s holds a raw escape or carriage return:\n%q", what, out)
	}
	if forged.MatchString(out) {
		t.Errorf("%s holds a line forged by a live string:\n%s", what, out)
	}
}

// TestHostileLiveReference: live strings edited out of band to hostile
// values — an instance's reference, its type — are printed escaped by plan
// and drift, in text and in markdown.
func TestHostileLiveReference(t *testing.T) {
	r := newRun(t)
	if code := r.main("apply", "--sandbox", "--auto-approve"); code != ExitOK {
		t.Fatalf("apply: exit %d\n%s", code, r.stderr.String())
	}
	for _, tt := range []struct {
		field string // the live field made hostile
		args  []string
	}{
		{`"reference":"web"`, []string{"plan", "--sandbox"}},
		{`"reference":"web"`, []string{"plan", "--sandbox", "--format", "markdown"}},
		{`"type":"lsw.m5a.large"`, []string{"drift", "--sandbox"}},
		{`"type":"lsw.m5a.large"`, []string{"drift", "--sandbox", "--format", "markdown"}},
	} {
		var out, errs bytes.Buffer
		e := interruptEnv(r.dir, nil, &out, &errs, false, "-1ms")
		name, _, _ := strings.Cut(tt.field, ":")
		e.WrapTransport = rewriting(func(b []byte) []byte {
			return bytes.ReplaceAll(b, []byte(tt.field), []byte(name+`:"`+hostileRef+`"`))
		})
		Main(context.Background(), append([]string{"lswctl"}, tt.args...), e)
		if !strings.Contains(out.String(), `web\n+   create  instance.evil`) {
			t.Errorf("%v: the hostile %s is not shown escaped:\n%s%s", tt.args, name, out.String(), errs.String())
		}
		checkInert(t, strings.Join(tt.args, " "), out.String()+errs.String())
	}
}

// TestHostileAPIError: an API error message is printed escaped on stderr.
func TestHostileAPIError(t *testing.T) {
	dir := writeConfigDir(t, config)
	var out, errs bytes.Buffer
	e := interruptEnv(dir, nil, &out, &errs, false, "-1ms")
	e.WrapTransport = func(http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body := `{"errorCode": "ACCESS_DENIED", "errorMessage": "` + hostileRef + `"}`
			return &http.Response{StatusCode: http.StatusForbidden, Request: r, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(body))}, nil
		})
	}
	if code := Main(context.Background(), []string{"lswctl", "plan", "--sandbox"}, e); code != ExitError {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), `web\n+   create  instance.evil \x1b[31mred`) {
		t.Errorf("the API's message is not shown escaped:\n%s", errs.String())
	}
	checkInert(t, "stderr", out.String()+errs.String())
}
