package leaseweb

import (
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestScratchAdoptScheduled(t *testing.T) {
	old := sbMonthly("db")
	old.Contract.State = "DELETE_SCHEDULED"
	e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, old)
	oldID := e.idOf("db")
	e.setFaults("POST /publicCloud/v1/instances 500 x1")
	id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("db", sbAfter(nil)))
	t.Logf("old %s, create -> %q, %v; live %d", oldID, id, err, len(e.live("db")))
	// storage m3 LOCAL
	err = e.kind.Check(e.ctx, "create", sbOp("x", sbAfter(map[string]any{"type": "lsw.m3.large", "rootDisk": map[string]any{"size": int64(50), "storageType": "LOCAL"}})))
	t.Logf("check m3 LOCAL: %v", err)
	_, err = e.kind.Create(e.ctx, providers.NoGate, sbOp("x", sbAfter(map[string]any{"type": "lsw.m3.large", "rootDisk": map[string]any{"size": int64(50), "storageType": "LOCAL"}})))
	t.Logf("create m3 LOCAL: %v", err)
}
