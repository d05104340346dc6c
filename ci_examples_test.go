package main

import (
	"os"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestCIExamplesSerialiseApplies: the CI examples never run two applies
// against one environment at once (README, "Concurrent runs"): GitHub's
// apply job is in a concurrency group that queues instead of cancelling,
// GitLab's apply job is in a resource group.
func TestCIExamplesSerialiseApplies(t *testing.T) {
	var gh struct {
		Jobs map[string]struct {
			Environment string `yaml:"environment"`
			Concurrency struct {
				Group            string `yaml:"group"`
				CancelInProgress *bool  `yaml:"cancel-in-progress"`
			} `yaml:"concurrency"`
		} `yaml:"jobs"`
	}
	readYAML(t, "examples/ci/github-actions.yml", &gh)
	apply := gh.Jobs["apply"]
	if apply.Environment == "" || apply.Concurrency.Group == "" ||
		apply.Concurrency.CancelInProgress == nil || *apply.Concurrency.CancelInProgress {
		t.Errorf("github-actions.yml: the apply job needs an environment and a concurrency group with cancel-in-progress: false, got %+v", apply)
	}

	var gl struct {
		Apply struct {
			Environment   string `yaml:"environment"`
			ResourceGroup string `yaml:"resource_group"`
		} `yaml:"apply"`
	}
	readYAML(t, "examples/ci/gitlab-ci.yml", &gl)
	if job := gl.Apply; job.Environment == "" || job.ResourceGroup == "" {
		t.Errorf("gitlab-ci.yml: the apply job needs an environment and a resource_group, got %+v", job)
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
