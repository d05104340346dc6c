package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// shutdownGrace is how long ListenAndServe lets in-flight requests finish
// before it closes what is left (idle keep-alive connections of clients
// included: an emulator owes them nothing).
const shutdownGrace = 2 * time.Second

// ListenAndServe serves the sandbox on addr until ctx is cancelled, then
// shuts down gracefully and returns nil. addr must be a loopback address
// ("127.0.0.1:8080", "[::1]:0", "localhost:0"): the sandbox authenticates
// nobody. ready, when not nil, is called with the address actually
// listened on (useful with port 0) once connections are accepted. The state
// is not flushed; call Close for that.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox address %q: %w", addr, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("sandbox address %q is not a loopback address: the sandbox has no authentication", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	if err != nil {
		return fmt.Errorf("sandbox shutdown: %w", err)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
