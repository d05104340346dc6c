package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// The benchmarks measure plan and apply against the sandbox with injected
// latency and report, besides ns/op: the API requests per operation, and
// the ratio of wall time to the round-trip lower bound (how close the
// pipeline comes to what the network alone would allow).

const benchLatency = 10 * time.Millisecond

func benchConfig(b *testing.B, n int) string {
	b.Helper()
	var sb strings.Builder
	sb.WriteString("apiVersion: lswctl/v1\ninstances:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  web-%03d:\n    region: eu-west-3\n    type: lsw.m5a.large\n    image: UBUNTU_24_04_64BIT\n"+
			"    rootDisk: {size: 20, storageType: CENTRAL}\n    contract: {type: HOURLY}\n", i)
	}
	path := filepath.Join(b.TempDir(), "lswctl.yaml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchSeed(n int) string {
	type inst struct {
		Reference           string `json:"reference"`
		Region              string `json:"region"`
		Type                string `json:"type"`
		ImageID             string `json:"imageId"`
		RootDiskSize        int    `json:"rootDiskSize"`
		RootDiskStorageType string `json:"rootDiskStorageType"`
	}
	doc := struct {
		Version   int    `json:"version"`
		Instances []inst `json:"instances"`
	}{Version: 1}
	for i := range n {
		doc.Instances = append(doc.Instances, inst{fmt.Sprintf("web-%03d", i), "eu-west-3", "lsw.m5a.large", "UBUNTU_24_04_64BIT", 20, "CENTRAL"})
	}
	out, _ := json.Marshal(doc)
	return string(out)
}

func benchEngine(b *testing.B, path string, srv *sandbox.Server) *Engine {
	b.Helper()
	e, err := Load(Options{
		Paths: []string{path}, Cwd: filepath.Dir(path), Version: "bench", Sandbox: true,
		LookupEnv:  func(string) (string, bool) { return "", false },
		HTTPClient: &http.Client{Transport: srv.Transport()},
	})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkPlan plans N instances that are all up to date. Reading them
// takes two paged lists (all instances, and those scheduled for deletion),
// each a first page and then the rest concurrently: 2 round trips at best.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{10, 100, 500} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			path := benchConfig(b, n)
			srv, err := sandbox.New(sandbox.Options{Delay: -1, Faults: sandbox.Faults{Latency: benchLatency}})
			if err != nil {
				b.Fatal(err)
			}
			if err := srv.Seed(strings.NewReader(benchSeed(n))); err != nil {
				b.Fatal(err)
			}
			srv.ResetStats()
			b.ResetTimer()
			for range b.N {
				p, err := benchEngine(b, path, srv).Plan(context.Background())
				if err != nil || p.CanApply() {
					b.Fatalf("plan: %v, changes %v", err, p != nil && p.CanApply())
				}
			}
			b.StopTimer()
			perOp := time.Duration(int64(b.Elapsed()) / int64(b.N))
			b.ReportMetric(float64(srv.Stats().Total)/float64(b.N), "requests/op")
			b.ReportMetric(float64(perOp)/float64(2*benchLatency), "x-lower-bound")
		})
	}
}

// BenchmarkApply creates N instances with --parallelism 10. The lower bound
// is ceil(N/10) rounds of launches, the sandbox's CREATING delay, and one
// read that sees RUNNING.
func BenchmarkApply(b *testing.B) {
	const delay = 100 * time.Millisecond
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			path := benchConfig(b, n)
			var requests int
			for range b.N {
				b.StopTimer()
				srv, err := sandbox.New(sandbox.Options{Delay: delay, Faults: sandbox.Faults{Latency: benchLatency}})
				if err != nil {
					b.Fatal(err)
				}
				e := benchEngine(b, path, srv)
				p, err := e.Plan(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				srv.ResetStats()
				b.StartTimer()
				sum, err := e.Apply(context.Background(), p, ApplyOptions{Parallelism: 10})
				if err != nil || !sum.OK() {
					b.Fatalf("apply: %v", err)
				}
				requests += srv.Stats().Total
			}
			perOp := time.Duration(int64(b.Elapsed()) / int64(b.N))
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			lower := time.Duration((n+9)/10)*benchLatency + delay + benchLatency
			b.ReportMetric(float64(perOp)/float64(lower), "x-lower-bound")
		})
	}
}
