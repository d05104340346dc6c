package engine

import (
	"context"
	"fmt"
	"testing"
)

// TestSavedPlanWithReleases: a plan with releases and both kinds of
// deposed halves (issue 7's case: the group to TCP and an instance
// replaced) survives its file form — Verify makes it again, finds it equal,
// and the plan it returns applies in the promised order and converges.
func TestSavedPlanWithReleases(t *testing.T) {
	r := newTierRun(t)
	r.apply(fmt.Sprintf(replaceTier, hourly, "HTTP"))
	cfg := fmt.Sprintf(replaceTier, hourly, "TCP")
	_, p := r.plan(cfg, "instance.web-2")
	saved := saveAndRead(t, p)
	e, _ := r.plan(cfg, "instance.web-2")
	now, err := e.Verify(context.Background(), saved)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	r.rec.take()
	sum, err := e.Apply(context.Background(), now, ApplyOptions{Parallelism: 4, AllowDeletes: 100})
	if err != nil || !sum.OK() {
		t.Fatalf("apply: %v %+v", err, sum)
	}
	checkWriteOrder(t, now, r.rec.take())
	if _, again := r.plan(cfg); again.CanApply() {
		t.Errorf("planning again finds changes: %v", stepKeys(again))
	}
}
