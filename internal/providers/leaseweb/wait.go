package leaseweb

import (
	"context"
	"fmt"
	"time"
)

// pollTimes tunes readiness polling: exponential from First to Max, giving
// up after Timeout.
type pollTimes struct {
	First, Max, Timeout time.Duration
}

// poll calls check until it reports done, an error, or the timeout. check
// returns a description of the current state for the timeout message.
func (t pollTimes) poll(ctx context.Context, what string, check func(ctx context.Context) (done bool, state string, err error)) error {
	deadline := time.Now().Add(t.Timeout)
	wait := t.First
	for {
		done, state, err := check(ctx)
		if err != nil || done {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s (last state %s)", t.Timeout, what, state)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		wait = min(wait*2, t.Max)
	}
}
