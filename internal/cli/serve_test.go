package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSandboxServe starts `lswctl sandbox serve` on a free loopback port,
// points a plan at it through LEASEWEB_API_URL as a user would, and stops
// it with the context, as Ctrl-C does.
func TestSandboxServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	served := make(chan int, 1)
	go func() {
		env := Env{Stdout: w, Stderr: w, LookupEnv: func(string) (string, bool) { return "", false },
			Getwd: func() (string, error) { return t.TempDir(), nil }, IsTerminal: func(any) bool { return false }}
		served <- Main(ctx, []string{"lswctl", "sandbox", "serve", "--addr", "127.0.0.1:0", "--delay", "10ms"}, env)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no ready line: %v", err)
	}
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "http://127.0.0.1:") {
		t.Fatalf("ready line = %q", line)
	}
	go io.Copy(io.Discard, out)

	r := newRun(t)
	r.vars["LEASEWEB_API_URL"], r.vars["LEASEWEB_API_KEY"] = fields[3], "anything"
	if code := r.main("apply", "--auto-approve"); code != ExitOK {
		t.Fatalf("apply against sandbox serve: exit %d\n%s%s", code, r.stdout.String(), r.stderr.String())
	}
	if code := r.main("plan", "--detailed-exitcode"); code != ExitOK {
		t.Fatalf("plan after apply: exit %d\n%s", code, r.stdout.String())
	}
	// Close the client's spare connections, or the server's graceful
	// shutdown waits for them.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	cancel()
	select {
	case code := <-served:
		if code != ExitOK {
			t.Errorf("sandbox serve exited %d after the interrupt", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox serve did not stop on interrupt")
	}
}
