package leaseweb

/*
Creating an object exactly once.

Leaseweb has no lock, no conditional create and (a listener's port aside)
no uniqueness rule: two runs that both plan "+ create instance.web-1" both
get an instance. Every kind's Create therefore goes through one protocol,
createOnce.run, which needs from the kind only a lookup of the live objects
holding the key, the create call and a delete of an object this run made:

 1. Look up, inside the write slot and right before the create: when the
    key is already held, adopt (step 4) instead of creating.
 2. Create. The lookup and the create together run under a deadline of
    half the Window from the moment the lookup is sent; a create not
    answered by then is abandoned and counts as ambiguous.
 3. Verify, once Window has passed since the create's answer: list the key
    again. The keeper is the object with the smallest id. When it is not
    ours, ours is deleted (and waited for) and the keeper adopted.
 4. Adopt, once Window has passed since the key was first seen held: list
    again and take the object with the smallest id.

Why the smallest id and not the earliest createdAt: none of these objects
has a creation time on the wire. Instances and load balancers have
startedAt (null until the first start) and, in the details only,
contract.startsAt, to the second; target groups and listeners have no
timestamp at all. Seconds tie exactly when runs race, and a time-based
rule still needs an answer for the run that verifies before its twin's
create lands. Ids are random and never tie; Window makes them safe:

Claim. Say runs race for a key that no live object holds; t0 is when the
first of their objects lands, and G is the object with the smallest id
among those they create. Every run ends up with G, and every other object
is deleted by the run that made it. Why:

  - A run creates only when its lookup showed the key free, so the lookup
    was served before t0; its create is answered, hence landed, within
    Window/2 of sending that lookup, or abandoned then. The other half of
    the Window absorbs how late an abandoned create can still be acted on
    (the client notices its deadline late on a loaded machine; a request
    already at the API may complete): every object of the race lands
    before t0 + Window.
  - Every decision (step 3 or 4) uses a list sent Window after an answer
    that came after t0 (our create's, or the lookup that saw the key
    held), so after t0 + Window: it shows every object of the race that
    has not been deleted.
  - Objects are deleted only by the run that made them, after its
    decision, so after t0 + Window. G is never deleted: its maker's list
    shows nothing smaller. So every decision sees G and nothing smaller,
    picks G, and every other maker deletes its own object.
  - From t0 on the key is never free (nothing is deleted before G
    exists), so a run that looks up later adopts: there is one race.

This assumes lists are consistent (an object whose create was answered is
in every list sent afterwards), as the sandbox is, and that the API never
acts on an abandoned create more than Window/2 after its deadline. It does
not need synchronised clocks: each run measures its own durations.

A create that fails before it reaches the API (connection refused, DNS, a
429) or whose outcome is unknown (dropped connection, 5xx, the deadline)
is looked up again: objects that hold the key now may be ours and are
verified as ours (a non-keeper among them is deleted, which its maker
would do anyway); when there is none, nothing landed and the create is
repeated, up to Tries attempts with a doubling pause. What remains beyond
the protocol: a create whose answer is lost and that lands only after that
lookup, and another process deleting or changing objects mid-race. The
next plan names both objects in either case.

A kind whose API refuses a second object with the same key (listeners: one
per port) needs no waiting: a refused create is looked up and adopted.
*/

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lswctl/lswctl/internal/providers"
)

// onceTimes tunes the create protocol.
type onceTimes struct {
	// Window is how long decisions wait (see above); half of it bounds the
	// time from sending the lookup before a create to the create's answer.
	Window time.Duration
	// Tries bounds the attempts of a create that provably did not land.
	Tries int
	// Backoff is the pause before the second attempt; it doubles after.
	Backoff time.Duration
	// sleep waits for d or until ctx is done; nil uses a timer. Tests of a
	// single run, where there is no race to wait out, skip the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

func (o onceTimes) pause(ctx context.Context, d time.Duration) error {
	if o.sleep != nil {
		return o.sleep(ctx, d)
	}
	return sleepTimer(ctx, d)
}

// candidate is a live object that holds the key and that lswctl may touch.
type candidate struct {
	id string
	// misfit says why the object cannot stand for the declaration (an
	// attribute that would force a replacement differs), or "".
	misfit string
}

// onceSpec is what the protocol needs from a kind for one create.
type onceSpec struct {
	// what names the object in messages: "instance web-1".
	what string
	// lookup lists the candidates holding the key. own are ids this run
	// created, which need no further checks.
	lookup func(ctx context.Context, own []string) ([]candidate, error)
	// create sends the create call and returns the new object's id.
	create func(ctx context.Context) (string, error)
	// remove deletes an object this run created and waits until it no
	// longer holds the key; an object already gone counts as removed.
	remove func(ctx context.Context, id string) error
	// unique is set when the API refuses a second object with the key;
	// refused then reports whether a failed create may be that refusal.
	unique  bool
	refused func(error) bool
}

// retryable asks run for another attempt: nothing of this attempt holds
// the key. It reads as its cause.
type retryable struct{ err error }

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// run creates the object of s exactly once, or adopts the one that holds
// its key, and returns its id.
func (o onceTimes) run(ctx context.Context, gate providers.Gate, s onceSpec) (string, error) {
	wait, tries := o.Backoff, max(o.Tries, 1)
	var cause error // what to report: an answer of the API beats an attempt abandoned at its deadline
	for try := 1; ; try++ {
		id, err := o.attempt(ctx, gate, s)
		var again *retryable
		if !errors.As(err, &again) {
			return id, err
		}
		if cause == nil || !errors.Is(again.err, context.DeadlineExceeded) {
			cause = again.err
		}
		if try == tries {
			return "", fmt.Errorf("%w (gave up after %d attempts)", cause, try)
		}
		if err := o.pause(ctx, wait); err != nil {
			return "", fmt.Errorf("%w (while pausing after: %v)", err, cause)
		}
		wait *= 2
	}
}

// attempt is one round of the protocol. It returns a *retryable when
// nothing landed and the create may be repeated.
func (o onceTimes) attempt(ctx context.Context, gate providers.Gate, s onceSpec) (string, error) {
	var held []candidate
	var id string
	var lookupErr, createErr error
	err := gate(ctx, func(ctx context.Context) error {
		wctx, cancel := context.WithTimeout(ctx, o.Window/2)
		defer cancel()
		if held, lookupErr = s.lookup(wctx, nil); lookupErr == nil && len(held) == 0 {
			id, createErr = s.create(wctx)
		}
		return nil
	})
	answered := time.Now()
	switch {
	case err != nil:
		return "", err
	case lookupErr != nil:
		lookupErr = fmt.Errorf("looking up %s before creating it: %w", s.what, lookupErr)
		if ctx.Err() == nil && errors.Is(lookupErr, context.DeadlineExceeded) {
			return "", &retryable{lookupErr} // too slow for the window; nothing was sent
		}
		return "", lookupErr
	case len(held) > 0:
		return o.adopt(ctx, s, answered)
	case createErr == nil:
		return o.verify(ctx, s, []string{id}, answered)
	}
	return o.afterFailure(ctx, s, createErr)
}

// afterFailure handles a create that failed: a refusal of a unique key
// adopts the holder; a failure that may have landed looks for the object;
// one that provably did not land is retried.
func (o onceTimes) afterFailure(ctx context.Context, s onceSpec, createErr error) (string, error) {
	if ctx.Err() != nil {
		return "", createErr
	}
	maybe := s.unique && s.refused != nil && s.refused(createErr)
	if !maybe && !notLanded(createErr) && !ambiguous(createErr) {
		return "", createErr
	}
	if !notLanded(createErr) {
		found, err := s.lookup(ctx, nil)
		if err != nil {
			return "", fmt.Errorf("%w (and looking up %s afterwards failed: %v)", createErr, s.what, err)
		}
		if len(found) > 0 && s.unique {
			// The API keeps the key unique: this is the one object.
			return found[0].id, fitting(s, found[0])
		}
		if len(found) > 0 {
			ids := make([]string, len(found))
			for i, c := range found {
				ids[i] = c.id
			}
			return o.verify(ctx, s, ids, time.Now())
		}
		if maybe {
			return "", createErr // refused for another reason
		}
	}
	return "", &retryable{createErr}
}

// verify decides, Window after own were seen, which object keeps the key,
// deletes the others of own and returns the keeper.
func (o onceTimes) verify(ctx context.Context, s onceSpec, own []string, seen time.Time) (string, error) {
	view, err := o.decisionView(ctx, s, own, seen)
	if err != nil {
		return "", err
	}
	keeper := view[0]
	for _, id := range own {
		if id == keeper.id {
			continue
		}
		if err := s.remove(ctx, id); err != nil {
			return "", fmt.Errorf("%s: another run's %s (id %s) keeps the name; removing the duplicate this run created (id %s) failed: %w",
				s.what, s.what, keeper.id, id, err)
		}
	}
	return keeper.id, fitting(s, keeper)
}

// adopt takes, Window after the key was seen held, the object that keeps it.
func (o onceTimes) adopt(ctx context.Context, s onceSpec, seen time.Time) (string, error) {
	view, err := o.decisionView(ctx, s, nil, seen)
	if err != nil {
		return "", err
	}
	return view[0].id, fitting(s, view[0])
}

// decisionView waits until Window has passed since seen (not for a unique
// key), lists the candidates and sorts them keeper first.
func (o onceTimes) decisionView(ctx context.Context, s onceSpec, own []string, seen time.Time) ([]candidate, error) {
	if !s.unique {
		if err := o.pause(ctx, time.Until(seen.Add(o.Window))); err != nil {
			return nil, err
		}
	}
	view, err := s.lookup(ctx, own)
	if err != nil {
		return nil, fmt.Errorf("checking that no other run created %s as well: %w", s.what, err)
	}
	if len(view) == 0 {
		return nil, &retryable{fmt.Errorf("%s: every object holding the name vanished before lswctl could pick one", s.what)}
	}
	slices.SortFunc(view, func(a, b candidate) int { return strings.Compare(a.id, b.id) })
	return view, nil
}

// fitting returns the conflict error when the keeper cannot stand for the
// declaration.
func fitting(s onceSpec, keeper candidate) error {
	if keeper.misfit == "" {
		return nil
	}
	return fmt.Errorf("%s was created since the plan was made, most likely by another run, "+
		"as id %s with %s: two configurations disagree; plan again", s.what, keeper.id, keeper.misfit)
}

// notLanded reports whether a failed call provably never reached the API:
// the connection could not be made (refused, no route, DNS), or the API
// refused it with 429 without acting.
func notLanded(err error) bool {
	if StatusOf(err) == 429 {
		return true
	}
	return neverSent(err)
}

// ambiguous reports whether a failed create may nonetheless have landed: no
// complete answer came back (dropped connection, deadline) or the server
// failed after maybe accepting the request.
func ambiguous(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	st := StatusOf(err)
	return st == 0 || st >= 500
}

// misfits describes the attributes where a live object differs from the
// declaration, "region eu-west-2, not eu-west-3", or "".
func misfits(pairs ...[3]string) string {
	var out []string
	for _, p := range pairs {
		if p[1] != p[2] {
			out = append(out, fmt.Sprintf("%s %s, not %s", p[0], orNone(p[1]), orNone(p[2])))
		}
	}
	return strings.Join(out, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
